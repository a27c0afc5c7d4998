#include "snippets/snippetstore.h"

#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QRegularExpression>

namespace ts {

SnippetStore::SnippetStore(Database &db)
    : m_db(db)
    , m_prompts(db)
{
}

QString SnippetStore::snippetNameProblem(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.\\-/]*$"));
    if (name.trimmed().isEmpty())
        return QStringLiteral("A snippet needs a name");
    if (!valid.match(name).hasMatch())
        return QStringLiteral("Snippet name \"%1\" may only contain letters, digits, '_', '.', "
                              "'-' and '/' (it is written as {{> %1}})")
            .arg(name);
    return {};
}

Result<PromptInfo> SnippetStore::create(const QString &name, const QString &description)
{
    if (const QString problem = snippetNameProblem(name); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    return m_prompts.createPrompt(name, description, PromptKind::Snippet);
}

Result<QList<PromptInfo>> SnippetStore::list(const QString &filter)
{
    return m_prompts.listPrompts(filter, PromptKind::Snippet);
}

Result<PromptInfo> SnippetStore::snippet(const QString &name)
{
    return m_prompts.prompt(name, PromptKind::Snippet);
}

Result<PromptVersion> SnippetStore::resolve(const QString &reference)
{
    return m_prompts.resolve(reference, PromptKind::Snippet);
}

Result<QList<PromptInfo>> SnippetStore::dependents(qint64 snippetId)
{
    auto stmt
        = m_db.prepare(QStringLiteral("SELECT DISTINCT v.prompt_id FROM prompt_versions v "
                                      "JOIN prompt_version_snippets ps ON ps.version_id = v.id "
                                      "JOIN prompt_versions sv ON sv.id = ps.snippet_version_id "
                                      "WHERE sv.prompt_id = ?1 AND v.prompt_id <> ?1 "
                                      "  AND v.number = (SELECT max(number) FROM prompt_versions "
                                      "WHERE prompt_id = v.prompt_id)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, snippetId);
    auto ids = stmt->all([](const Statement &s) { return s.int64(0); });
    if (!ids)
        return fail(ids.error());
    QList<PromptInfo> result;
    for (qint64 id : *ids) {
        auto info = m_prompts.prompt(id);
        if (!info)
            return fail(info.error());
        result.append(*info);
    }
    std::sort(result.begin(), result.end(), [](const PromptInfo &a, const PromptInfo &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return result;
}

Result<SnippetSaveOutcome> SnippetStore::save(qint64 snippetId, const QString &text,
                                              const QString &note, const QString &author)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    SnippetSaveOutcome outcome;
    auto saved = m_prompts.saveVersion(snippetId, PromptContent::snippet(text), note, author);
    if (!saved)
        return fail(saved.error());
    outcome.saved = *saved;
    if (saved->created) {
        auto users = dependents(snippetId);
        if (!users)
            return fail(users.error());
        const QString why = QStringLiteral("Snippet \"%1\" v%2")
                                .arg(saved->version.promptName)
                                .arg(saved->version.number);
        for (const PromptInfo &user : *users) {
            auto latest = m_prompts.latest(user.id);
            if (!latest)
                return fail(latest.error());
            auto updated = m_prompts.saveVersion(user.id, latest->content, why, author);
            if (!updated)
                return fail(updated.error());
            if (updated->created)
                outcome.updated.append(updated->version);
        }
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return outcome;
}

Result<QHash<int, QList<std::pair<QString, int>>>> SnippetStore::usersByVersion(qint64 snippetId)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT sv.number, p.name, v.number FROM prompt_version_snippets ps "
        "JOIN prompt_versions sv ON sv.id = ps.snippet_version_id "
        "JOIN prompt_versions v ON v.id = ps.version_id JOIN prompts p ON p.id = v.prompt_id "
        "WHERE sv.prompt_id = ?1 AND v.prompt_id <> ?1 "
        "ORDER BY p.name COLLATE NOCASE, v.number"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, snippetId);
    QHash<int, QList<std::pair<QString, int>>> users;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        users[int(stmt->int64(0))].append({stmt->text(1), int(stmt->int64(2))});
    }
    return users;
}

Result<QHash<QString, QString>> SnippetStore::latestTexts()
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT p.name, v.messages FROM prompts p JOIN prompt_versions v ON v.prompt_id = p.id "
        "WHERE p.kind = 'snippet' "
        "  AND v.number = (SELECT max(number) FROM prompt_versions WHERE prompt_id = p.id)"));
    if (!stmt)
        return fail(stmt.error());
    QHash<QString, QString> texts;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const auto messages = nlohmann::json::parse(stmt->text(1).toStdString(), nullptr, false);
        texts.insert(stmt->text(0),
                     PromptContent::fromJson({{"messages", messages}}).snippetText());
    }
    return texts;
}

Result<PromptInfo> SnippetStore::rename(qint64 snippetId, const QString &newName)
{
    if (const QString problem = snippetNameProblem(newName); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    auto users = dependents(snippetId);
    if (!users)
        return fail(users.error());
    if (!users->isEmpty()) {
        QStringList names;
        for (const PromptInfo &u : *users)
            names << QStringLiteral("\"%1\"").arg(u.name);
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The snippet is used by %1; renaming it would break their "
                                   "{{> name}} tags. Create a snippet with the new name instead.")
                        .arg(names.join(QStringLiteral(", "))));
    }
    return m_prompts.renamePrompt(snippetId, newName);
}

} // namespace ts
