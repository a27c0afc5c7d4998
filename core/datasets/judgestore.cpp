#include "datasets/judgestore.h"

#include "evals/judgeprompts.h"
#include "prompts/promptstore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

namespace ts {

QString judgeKindName(JudgeKind kind)
{
    switch (kind) {
    case JudgeKind::Pointwise:
        return QStringLiteral("pointwise");
    case JudgeKind::Pairwise:
        return QStringLiteral("pairwise");
    case JudgeKind::Factuality:
        return QStringLiteral("factuality");
    }
    return QStringLiteral("pointwise");
}

std::optional<JudgeKind> parseJudgeKind(const QString &name)
{
    for (JudgeKind k : {JudgeKind::Pointwise, JudgeKind::Pairwise, JudgeKind::Factuality})
        if (judgeKindName(k) == name.toLower())
            return k;
    return std::nullopt;
}

QString JudgeConfig::reference(const QString &promptName) const
{
    return promptRef.isEmpty() ? promptName : promptName + QLatin1Char('@') + promptRef;
}

JudgeStore::JudgeStore(Database &db)
    : m_db(db)
{
}

namespace {

// The columns add() and update() share, in the order both statements list them.
Statement &bindJudge(Statement &stmt, const JudgeConfig &judge)
{
    return stmt.bind(1, judge.name)
        .bind(2, judgeKindName(judge.kind))
        .bind(3, judge.promptId)
        .bind(4, judge.promptRef)
        .bind(5, judge.modelId)
        .bind(6, judge.rubric)
        .bind(7, judge.scale.min)
        .bind(8, judge.scale.max)
        .bind(9, judge.scale.passThreshold);
}

} // namespace

Result<JudgeConfig> JudgeStore::add(const JudgeConfig &judge)
{
    if (judge.name.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A judge needs a name."));
    if (!(judge.scale.max > judge.scale.min))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("A judge's score scale needs max > min."));
    if (find(judge.name))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A judge named \"%1\" already exists.").arg(judge.name));
    PromptStore prompts(m_db);
    auto prompt = prompts.prompt(judge.promptId);
    if (!prompt)
        return fail(prompt.error());
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO judges(name, kind, prompt_id, prompt_ref, model_id, rubric, score_min, "
        "score_max, pass_threshold, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    bindJudge(*stmt, judge).bind(10, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return find(m_db.lastInsertId());
}

Result<JudgeConfig> JudgeStore::addWithDefaultPrompt(const QString &name, JudgeKind kind,
                                                     std::optional<qint64> modelId,
                                                     const QString &rubric)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    PromptStore prompts(m_db);
    const QString promptName = name + QStringLiteral("-judge");
    auto info = prompts.prompt(promptName);
    if (!info)
        info = prompts.createPrompt(promptName, QStringLiteral("Judge prompt for %1").arg(name));
    if (!info)
        return fail(info.error());
    PromptContent content;
    const QString text = kind == JudgeKind::Pairwise ? judge::pairwiseTemplate()
        : kind == JudgeKind::Factuality              ? judge::factualityTemplate()
                                                     : judge::pointwiseRubricTemplate();
    content.messages = {{QStringLiteral("user"), text}};
    content.params.temperature = 0.0;
    if (auto saved = prompts.saveVersion(info->id, content, QStringLiteral("default judge prompt"),
                                         currentAuthor());
        !saved)
        return fail(saved.error());
    JudgeConfig judge;
    judge.name = name;
    judge.kind = kind;
    judge.promptId = info->id;
    judge.modelId = modelId;
    judge.rubric = rubric;
    auto added = add(judge);
    if (!added)
        return added;
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return added;
}

Result<JudgeConfig> JudgeStore::update(const JudgeConfig &judge)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "UPDATE judges SET name = ?, kind = ?, prompt_id = ?, prompt_ref = ?, model_id = ?, "
        "rubric = ?, score_min = ?, score_max = ?, pass_threshold = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    bindJudge(*stmt, judge).bind(10, judge.id);
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return find(judge.id);
}

Result<void> JudgeStore::remove(qint64 id)
{
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM judges WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    return stmt->run();
}

Result<QList<JudgeConfig>> JudgeStore::list()
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT id, name, kind, prompt_id, prompt_ref, model_id, rubric, score_min, score_max, "
        "pass_threshold, created_at FROM judges ORDER BY name"));
    if (!stmt)
        return fail(stmt.error());
    QList<JudgeConfig> judges;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        JudgeConfig j;
        j.id = stmt->int64(0);
        j.name = stmt->text(1);
        j.kind = parseJudgeKind(stmt->text(2)).value_or(JudgeKind::Pointwise);
        j.promptId = stmt->int64(3);
        j.promptRef = stmt->text(4);
        j.modelId = stmt->optionalInt(5);
        j.rubric = stmt->text(6);
        j.scale.min = stmt->real(7);
        j.scale.max = stmt->real(8);
        j.scale.passThreshold = stmt->real(9);
        j.createdAt = stmt->text(10);
        judges.append(j);
    }
    return judges;
}

Result<JudgeConfig> JudgeStore::find(qint64 id)
{
    auto all = list();
    if (!all)
        return fail(all.error());
    for (const JudgeConfig &j : *all)
        if (j.id == id)
            return j;
    return fail(ErrorCode::NotFound, QStringLiteral("No judge with id %1.").arg(id));
}

Result<JudgeConfig> JudgeStore::find(const QString &name)
{
    auto all = list();
    if (!all)
        return fail(all.error());
    for (const JudgeConfig &j : *all)
        if (j.name == name)
            return j;
    return fail(ErrorCode::NotFound, QStringLiteral("No judge named \"%1\".").arg(name));
}

} // namespace ts
