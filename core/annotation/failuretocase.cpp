#include "annotation/failuretocase.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/targetcontent.h"
#include "common/json.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "logs/logstore.h"
#include "logs/todataset/templateinversion.h"
#include "prompts/promptstore.h"
#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QRegularExpression>

namespace ts::failuretocase {

namespace {

/// Why the target failed: the criterion's question and the note people wrote.
struct Failure
{
    QString criterion;
    QString question;
    QString note;
};

Result<Failure> failureOf(Database &db, const Target &target, const QString &criterion)
{
    LabelStore store(db);
    auto labels = store.labels();
    if (!labels)
        return fail(labels.error());
    Failure f;
    CriterionStore criteria(db);
    for (const Label &l : std::as_const(*labels)) {
        if (!(l.target == target) || l.value != LabelValue::No)
            continue;
        if (!criterion.isEmpty() && l.criterion != criterion)
            continue;
        auto v = criteria.version(l.criterionVersionId);
        if (!v)
            return fail(v.error());
        f.criterion = l.criterion;
        f.question = v->question;
        f.note = l.note.value_or(QString());
        if (f.note.isEmpty()) {
            auto note = store.note(target, l.annotator);
            if (!note)
                return fail(note.error());
            f.note = note->value_or(QString());
        }
        return f;
    }
    if (!criterion.isEmpty()) {
        auto v = criteria.latest(criterion);
        if (!v)
            return fail(v.error());
        f.criterion = criterion;
        f.question = v->question;
    }
    // Any note on the target says what was wrong.
    auto st = db.prepare(QStringLiteral("SELECT note FROM annotation_notes WHERE target_kind = ? "
                                        "AND target_id = ? ORDER BY created_at DESC LIMIT 1"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    if (*row)
        f.note = st->text(0);
    return f;
}

struct Variables
{
    TestCaseData data;
    CaseOrigin origin;
    CaseSource source = CaseSource::Manual;
    QString from;
    QStringList unrecovered;
};

Result<Variables> variablesOf(Database &db, const Target &target, const QString &prompt)
{
    Variables v;
    switch (target.kind) {
    case Target::Kind::Generation: {
        auto st = db.prepare(QStringLiteral(
            "SELECT g.variables, r.kind FROM generations g JOIN runs r ON r.id = g.run_id "
            "WHERE g.id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, target.id);
        auto row = st->one(
            [](const Statement &s) {
                return std::pair {s.text(0), s.text(1)};
            },
            QStringLiteral("No generation %1 in this project.").arg(target.id));
        if (!row)
            return fail(row.error());
        v.data.vars = parseJson(row->first).value_or(nlohmann::json::object());
        if (!v.data.vars.is_object())
            v.data.vars = nlohmann::json::object();
        v.source = row->second == QLatin1String("playground") ? CaseSource::Playground
                                                              : CaseSource::Manual;
        v.from = QStringLiteral("generation");
        return v;
    }
    case Target::Kind::Log: {
        auto record = LogStore(db).record(target.id);
        if (!record)
            return fail(record.error());
        v.source = CaseSource::Log;
        v.origin = {record->output, record->id};
        std::optional<PromptVersion> version;
        PromptStore prompts(db);
        if (!prompt.isEmpty()) {
            auto resolved = prompts.resolve(prompt);
            if (!resolved)
                return fail(resolved.error());
            version = *resolved;
        } else if (record->promptName) {
            // The version the record names, when this project has it.
            auto resolved = prompts.resolve(
                *record->promptName
                + (record->promptVersion ? QLatin1Char('@') + *record->promptVersion : QString()));
            if (resolved)
                version = *resolved;
        }
        const TemplateInversion inv = version ? invertTemplate(version->content, record->messages)
                                              : inputFromLastUserMessage(record->messages);
        v.data.vars = inv.vars;
        v.unrecovered = inv.unrecovered();
        v.from = version
            ? QStringLiteral("template %1@%2").arg(version->promptName).arg(version->number)
            : QStringLiteral("last user message");
        return v;
    }
    case Target::Kind::Case: {
        auto tc = DatasetStore(db).testCase(target.id);
        if (!tc)
            return fail(tc.error());
        v.data = tc->data;
        v.origin = {tc->productionOutput, tc->logId};
        v.source = tc->logId ? CaseSource::Log : CaseSource::Manual;
        v.from = QStringLiteral("test case");
        return v;
    }
    }
    return v;
}

} // namespace

std::optional<SuggestedAssertion> suggestAssertion(const QString &output, const QString &note,
                                                   const QString &question)
{
    // A phrase the note quotes ("says "as an AI"", 'per our policy', “…”) that the output
    // contains: the failure is that phrase, and a deterministic check catches it for free.
    static const QRegularExpression quoted(
        QStringLiteral("\"([^\"\\n]{2,200})\"|\u201c([^\u201d\\n]{2,200})\u201d|(?<![\\w])'([^'\\n]"
                       "{2,200})'(?![\\w])"));
    for (auto it = quoted.globalMatch(note); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        QString phrase;
        for (int group = 1; group <= 3 && phrase.isEmpty(); ++group)
            phrase = m.captured(group).trimmed();
        if (phrase.size() < 2 || !output.contains(phrase, Qt::CaseInsensitive))
            continue;
        SuggestedAssertion s;
        s.spec.type = QStringLiteral("not-icontains");
        s.spec.value = sstr(phrase);
        s.reason = QStringLiteral("The note quotes \"%1\" and the output contains it.").arg(phrase);
        return s;
    }
    if (question.trimmed().isEmpty())
        return std::nullopt;
    SuggestedAssertion s;
    s.spec.type = QStringLiteral("llm-rubric");
    s.spec.value = sstr(question.trimmed());
    s.reason = QStringLiteral("A grading model asks the criterion's question of every output.");
    return s;
}

Result<FailureCase> addCase(Database &db, const Target &target, const FailureCaseOptions &options)
{
    if (options.dataset.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Name the dataset the new test case goes to."));
    auto vars = variablesOf(db, target, options.prompt);
    if (!vars)
        return fail(vars.error());
    auto failure = failureOf(db, target, options.criterion);
    if (!failure)
        return fail(failure.error());
    auto correction = LabelStore(db).correction(target);
    if (!correction)
        return fail(correction.error());
    auto content = loadTargetContent(db, target);
    if (!content)
        return fail(content.error());

    FailureCase made;
    made.data = vars->data;
    if (*correction)
        made.data.expected = **correction;
    if (made.data.description.isEmpty() && !failure->criterion.isEmpty())
        made.data.description
            = QStringLiteral("Failed \"%1\" in review%2")
                  .arg(failure->criterion,
                       failure->note.isEmpty() ? QString() : QStringLiteral(": ") + failure->note);
    made.variablesFrom = vars->from;
    made.unrecovered = vars->unrecovered;
    made.suggestion
        = suggestAssertion(content->output.value_or(QString()), failure->note, failure->question);

    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore datasets(db);
    auto dataset = datasets.dataset(options.dataset.trimmed());
    if (!dataset && dataset.error().code == ErrorCode::NotFound && options.createDataset) {
        dataset = datasets.createDataset(options.dataset.trimmed());
        made.createdDataset = bool(dataset);
    }
    if (!dataset)
        return fail(dataset.error());
    made.datasetId = dataset->id;
    made.dataset = dataset->name;
    auto imported = datasets.importCases(dataset->id, {made.data}, vars->source, {vars->origin});
    if (!imported)
        return fail(imported.error());
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    made.duplicate = imported->added == 0;
    made.caseId = imported->idForInput.value(0);
    return made;
}

Result<StoredAssertion> addSuggestion(Database &db, const FailureCase &made)
{
    if (!made.suggestion)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("There is no assertion to suggest for this case."));
    return AssertionStore(db).add(made.datasetId, made.caseId, made.suggestion->spec);
}

} // namespace ts::failuretocase
