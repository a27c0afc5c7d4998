#include "prompts/promptstore.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"
#include "template/mustache.h"

#include <QRegularExpression>
#include <QSet>

namespace ts {

namespace {

constexpr auto versionColumns =
    "v.id, v.prompt_id, p.name, v.number, v.parent_id, pv.number, v.messages, v.params, "
    "v.response_schema, v.tools, v.note, v.author, v.content_hash, v.created_at, "
    "(SELECT group_concat(l.name, ',') FROM prompt_labels l WHERE l.version_id = v.id), "
    "(SELECT json_group_array(json_array(ps.name, sv.number, sv.id, sv.prompt_id, sv.messages)) "
    "   FROM prompt_version_snippets ps JOIN prompt_versions sv ON sv.id = ps.snippet_version_id "
    "   WHERE ps.version_id = v.id) ";

QString kindName(PromptKind kind)
{
    return kind == PromptKind::Snippet ? QStringLiteral("snippet") : QStringLiteral("prompt");
}

PromptVersion versionFromRow(const Statement &s)
{
    PromptVersion v;
    v.id = s.int64(0);
    v.promptId = s.int64(1);
    v.promptName = s.text(2);
    v.number = int(s.int64(3));
    v.parentId = s.optionalInt(4);
    if (auto n = s.optionalInt(5))
        v.parentNumber = int(*n);
    nlohmann::json content = nlohmann::json::object();
    content["messages"] = parseJson(s.text(6)).value_or(nlohmann::json::array());
    content["params"] = parseJson(s.text(7)).value_or(nlohmann::json::object());
    if (auto schema = s.optionalText(8))
        content["response_schema"] = parseJson(*schema).value_or(nlohmann::json());
    if (auto tools = s.optionalText(9))
        content["tools"] = parseJson(*tools).value_or(nlohmann::json());
    v.content = PromptContent::fromJson(content);
    v.note = s.text(10);
    v.author = s.text(11);
    v.contentHash = s.text(12);
    v.createdAt = s.text(13);
    const QString labels = s.text(14);
    if (!labels.isEmpty()) {
        v.labels = labels.split(QLatin1Char(','));
        v.labels.sort();
    }
    const nlohmann::json pins = parseJson(s.text(15)).value_or(nlohmann::json::array());
    for (const nlohmann::json &pin : pins) {
        if (!pin.is_array() || pin.size() != 5 || !pin[0].is_string())
            continue;
        PromptVersion::SnippetPin p;
        p.name = qstr(pin[0].get<std::string>());
        p.version = pin[1].is_number() ? pin[1].get<int>() : 0;
        p.versionId = pin[2].is_number() ? pin[2].get<qint64>() : 0;
        p.snippetId = pin[3].is_number() ? pin[3].get<qint64>() : 0;
        const auto text = pin[4].is_string() ? parseJson(qstr(pin[4].get<std::string>()))
                                             : std::optional<nlohmann::json>();
        v.content.snippets.insert(
            p.name, PromptContent::fromJson({{"messages", text.value_or(nlohmann::json::array())}})
                        .snippetText());
        v.snippets.append(p);
    }
    std::sort(v.snippets.begin(), v.snippets.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    return v;
}

QString sql(const char *tail)
{
    return QStringLiteral("SELECT ") + QLatin1String(versionColumns)
           + QStringLiteral("FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id "
                            "LEFT JOIN prompt_versions pv ON pv.id = v.parent_id ")
           + QLatin1String(tail);
}

} // namespace

nlohmann::json versionToJson(const PromptVersion &v)
{
    nlohmann::json json = v.content.toJson();
    json["prompt"] = sstr(v.promptName);
    json["version"] = v.number;
    json["parent_version"] = v.parentNumber ? nlohmann::json(*v.parentNumber) : nlohmann::json();
    json["note"] = sstr(v.note);
    json["author"] = sstr(v.author);
    json["content_hash"] = sstr(v.contentHash);
    json["created_at"] = sstr(v.createdAt);
    nlohmann::json labels = nlohmann::json::array();
    for (const QString &l : v.labels)
        labels.push_back(sstr(l));
    json["labels"] = labels;
    nlohmann::json snippets = nlohmann::json::array();
    for (const PromptVersion::SnippetPin &pin : v.snippets)
        snippets.push_back({{"name", sstr(pin.name)}, {"version", pin.version}});
    json["snippets"] = snippets;
    return json;
}

PromptStore::PromptStore(Database &db)
    : m_db(db)
{}

QString PromptStore::promptNameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("A prompt needs a name");
    if (name != name.trimmed())
        return QStringLiteral("A prompt name cannot start or end with spaces");
    if (name.contains(QLatin1Char('@')))
        return QStringLiteral("A prompt name cannot contain '@' (it separates name and version)");
    return {};
}

QString PromptStore::labelNameProblem(const QString &label)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    if (label.isEmpty())
        return QStringLiteral("A label needs a name");
    if (!valid.match(label).hasMatch())
        return QStringLiteral("Label \"%1\" may only contain letters, digits, '_', '.' and '-'")
            .arg(label);
    bool numeric = false;
    label.toInt(&numeric);
    if (numeric)
        return QStringLiteral("Label \"%1\" would be mistaken for a version number").arg(label);
    if (label == QLatin1String("latest"))
        return QStringLiteral("\"latest\" always means the newest version and cannot be a label");
    return {};
}

Result<PromptInfo> PromptStore::createPrompt(const QString &name, const QString &description,
                                             PromptKind kind)
{
    if (const QString problem = promptNameProblem(name); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO prompts(name, description, created_at, kind) VALUES (?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    if (auto ok = stmt->bind(1, name).bind(2, description).bind(3, nowUtc()).bind(4, kindName(kind)).run();
        !ok) {
        if (ok.error().code == ErrorCode::AlreadyExists) {
            auto other = findPrompt([&](const PromptInfo &i) { return i.name == name; }, {},
                                    std::nullopt);
            const bool snippet = other && other->kind == PromptKind::Snippet;
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("A %1 named \"%2\" already exists (prompts and snippets share names)")
                            .arg(snippet ? QStringLiteral("snippet") : QStringLiteral("prompt"), name));
        }
        return fail(ok.error());
    }
    return prompt(m_db.lastInsertId());
}

Result<PromptInfo> PromptStore::renamePrompt(qint64 promptId, const QString &newName)
{
    if (const QString problem = promptNameProblem(newName); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    auto current = prompt(promptId);
    if (!current)
        return fail(current.error());
    if (current->name == newName)
        return current;
    auto stmt = m_db.prepare(QStringLiteral("UPDATE prompts SET name = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    if (auto ok = stmt->bind(1, newName).bind(2, promptId).run(); !ok) {
        if (ok.error().code == ErrorCode::AlreadyExists)
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("The name \"%1\" is taken (prompts and snippets share names)")
                            .arg(newName));
        return fail(ok.error());
    }
    return prompt(promptId);
}

Result<QList<PromptInfo>> PromptStore::listPrompts(const QString &filter, PromptKind kind)
{
    return list(filter, kind);
}

Result<QList<PromptInfo>> PromptStore::list(const QString &filter, std::optional<PromptKind> kind)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT p.id, p.name, p.description, p.created_at, "
        "  COALESCE((SELECT max(created_at) FROM prompt_versions WHERE prompt_id = p.id), p.created_at), "
        "  (SELECT count(*) FROM prompt_versions WHERE prompt_id = p.id), "
        "  COALESCE((SELECT max(number) FROM prompt_versions WHERE prompt_id = p.id), 0), "
        "  (SELECT group_concat(name, ',') FROM (SELECT name FROM prompt_labels "
        "     WHERE prompt_id = p.id ORDER BY name)), p.kind "
        "FROM prompts p WHERE (?1 = '' OR p.name LIKE '%' || ?1 || '%' "
        "  OR p.description LIKE '%' || ?1 || '%') AND (?2 = '' OR p.kind = ?2) "
        "ORDER BY p.name COLLATE NOCASE"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, filter).bind(2, kind ? kindName(*kind) : QString());
    return stmt->all([](const Statement &s) {
        PromptInfo info;
        info.id = s.int64(0);
        info.name = s.text(1);
        info.description = s.text(2);
        info.createdAt = s.text(3);
        info.updatedAt = s.text(4);
        info.versionCount = int(s.int64(5));
        info.latestVersion = int(s.int64(6));
        const QString labels = s.text(7);
        if (!labels.isEmpty())
            info.labels = labels.split(QLatin1Char(','));
        info.kind = s.text(8) == QLatin1String("snippet") ? PromptKind::Snippet : PromptKind::Prompt;
        return info;
    });
}

Result<PromptInfo> PromptStore::prompt(const QString &name, PromptKind kind)
{
    return findPrompt([&](const PromptInfo &info) { return info.name == name; },
                      QStringLiteral("No %1 named \"%2\"").arg(kindName(kind), name), kind);
}

Result<PromptInfo> PromptStore::prompt(qint64 id)
{
    return findPrompt([&](const PromptInfo &info) { return info.id == id; },
                      QStringLiteral("No prompt with id %1").arg(id), std::nullopt);
}

Result<PromptInfo> PromptStore::findPrompt(const std::function<bool(const PromptInfo &)> &match,
                                           const QString &notFound, std::optional<PromptKind> kind)
{
    auto all = list({}, kind);
    if (!all)
        return fail(all.error());
    for (const PromptInfo &info : *all)
        if (match(info))
            return info;
    return fail(ErrorCode::NotFound, notFound);
}

Result<void> PromptStore::deletePrompt(qint64 promptId)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    // A snippet that saved versions of other prompts render with stays: they would break.
    auto users = m_db.prepare(QStringLiteral(
        "SELECT p.name, v.number FROM prompt_version_snippets ps "
        "JOIN prompt_versions sv ON sv.id = ps.snippet_version_id "
        "JOIN prompt_versions v ON v.id = ps.version_id JOIN prompts p ON p.id = v.prompt_id "
        "WHERE sv.prompt_id = ?1 AND v.prompt_id <> ?1 ORDER BY p.name, v.number DESC LIMIT 1"));
    if (!users)
        return fail(users.error());
    users->bind(1, promptId);
    if (auto row = users->step(); !row)
        return fail(row.error());
    else if (*row)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The snippet is used by \"%1\" version %2; saved versions render "
                                   "with it, so it cannot be deleted")
                        .arg(users->text(0))
                        .arg(users->int64(1)));
    // Runs keep their generations; only the link to the deleted versions goes.
    for (const char *statement :
         {"UPDATE runs SET prompt_version_id = NULL WHERE prompt_version_id IN "
          "(SELECT id FROM prompt_versions WHERE prompt_id = ?)",
          "DELETE FROM prompt_labels WHERE prompt_id = ?",
          "DELETE FROM prompt_label_moves WHERE prompt_id = ?",
          "DELETE FROM drafts WHERE prompt_id = ?",
          "DELETE FROM prompt_versions WHERE prompt_id = ?", "DELETE FROM prompts WHERE id = ?"}) {
        auto stmt = m_db.prepare(QString::fromUtf8(statement));
        if (!stmt)
            return fail(stmt.error());
        if (auto ok = stmt->bind(1, promptId).run(); !ok)
            return fail(ok.error());
    }
    return tx->commit();
}

Result<QList<PromptVersion>> PromptStore::snippetsReachedBy(const PromptContent &content,
                                                            const QString &ownName)
{
    QStringList pending;
    auto collect = [&pending](const QString &text) {
        if (!text.contains(QLatin1String("{{")))
            return;
        // A template that does not parse pins nothing: rendering reports its error.
        if (auto parsed = MustacheTemplate::parse(text))
            pending.append(parsed->partials());
    };
    for (const PromptMessage &m : content.messages)
        collect(m.text);
    QSet<QString> seen;
    if (!ownName.isEmpty())
        seen.insert(ownName);
    QList<PromptVersion> reached;
    auto find = m_db.prepare(
        QStringLiteral("SELECT id FROM prompts WHERE name = ? AND kind = 'snippet'"));
    if (!find)
        return fail(find.error());
    while (!pending.isEmpty()) {
        const QString name = pending.takeFirst();
        if (seen.contains(name))
            continue;
        seen.insert(name);
        find->reset();
        find->bind(1, name);
        auto row = find->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            continue; // missing: an error at the tag when rendering, never pinned
        auto v = latest(find->int64(0));
        if (!v) {
            if (v.error().code == ErrorCode::NotFound)
                continue;
            return fail(v.error());
        }
        collect(v->content.snippetText());
        reached.append(*v);
    }
    return reached;
}

Result<SaveOutcome> PromptStore::saveVersion(qint64 promptId, const PromptContent &content,
                                             const QString &note, const QString &author)
{
    auto info = prompt(promptId);
    if (!info)
        return fail(info.error());
    if (content.messages.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A prompt version needs at least one message"));
    if (info->kind == PromptKind::Snippet) {
        if (content.messages.size() != 1 || content.messages.first().role != QLatin1String(snippetRole))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("A snippet version holds exactly one text"));
    } else {
        for (const PromptMessage &m : content.messages)
            if (!isValidRole(m.role))
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("Unknown message role \"%1\" (use system, user or assistant)")
                                .arg(m.role));
    }
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto reached = snippetsReachedBy(
        content, info->kind == PromptKind::Snippet ? info->name : QString());
    if (!reached)
        return fail(reached.error());
    PromptContent pinned = content;
    pinned.snippets.clear();
    for (const PromptVersion &s : *reached)
        pinned.snippets.insert(s.promptName, s.content.snippetText());
    const QString hash = pinned.contentHash();
    auto current = latest(promptId);
    if (current && current->contentHash == hash)
        return SaveOutcome{*current, false};
    if (!current && current.error().code != ErrorCode::NotFound)
        return fail(current.error());

    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO prompt_versions(prompt_id, number, parent_id, messages, params, "
        "response_schema, tools, note, author, content_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    const int number = current ? current->number + 1 : 1;
    stmt->bind(1, promptId).bind(2, number);
    if (current)
        stmt->bind(3, current->id);
    else
        stmt->bindNull(3);
    stmt->bind(4, toJsonText(content.messagesJson())).bind(5, toJsonText(content.params.toJson()));
    if (content.responseSchema)
        stmt->bind(6, toJsonText(*content.responseSchema));
    else
        stmt->bindNull(6);
    if (content.tools)
        stmt->bind(7, toJsonText(*content.tools));
    else
        stmt->bindNull(7);
    stmt->bind(8, note).bind(9, author).bind(10, hash).bind(11, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    const qint64 id = m_db.lastInsertId();
    auto pin = m_db.prepare(QStringLiteral(
        "INSERT INTO prompt_version_snippets(version_id, name, snippet_version_id) VALUES (?, ?, ?)"));
    if (!pin)
        return fail(pin.error());
    for (const PromptVersion &s : *reached) {
        pin->reset();
        if (auto ok = pin->bind(1, id).bind(2, s.promptName).bind(3, s.id).run(); !ok)
            return fail(ok.error());
    }
    // The saved content supersedes the autosaved draft.
    if (auto del = m_db.prepare(QStringLiteral("DELETE FROM drafts WHERE prompt_id = ?"))) {
        if (auto ok = del->bind(1, promptId).run(); !ok)
            return fail(ok.error());
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    auto saved = versionById(id);
    if (!saved)
        return fail(saved.error());
    return SaveOutcome{*saved, true};
}

Result<PromptVersion> PromptStore::readVersion(const QString &where, qint64 a, qint64 b)
{
    auto stmt = m_db.prepare(sql("WHERE ") + where);
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, a);
    if (where.contains(QLatin1String("?2")))
        stmt->bind(2, b);
    return stmt->one(versionFromRow, QStringLiteral("No such version"));
}

Result<QList<PromptVersion>> PromptStore::versions(qint64 promptId)
{
    auto stmt = m_db.prepare(sql("WHERE v.prompt_id = ? ORDER BY v.number DESC"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, promptId);
    return stmt->all(versionFromRow);
}

Result<PromptVersion> PromptStore::version(qint64 promptId, int number)
{
    auto v = readVersion(QStringLiteral("v.prompt_id = ?1 AND v.number = ?2"), promptId, number);
    if (!v && v.error().code == ErrorCode::NotFound) {
        auto info = prompt(promptId);
        return fail(ErrorCode::NotFound,
                    QStringLiteral("Prompt \"%1\" has no version %2")
                        .arg(info ? info->name : QString::number(promptId))
                        .arg(number));
    }
    return v;
}

Result<PromptVersion> PromptStore::versionById(qint64 versionId)
{
    return readVersion(QStringLiteral("v.id = ?1"), versionId);
}

Result<PromptVersion> PromptStore::latest(qint64 promptId)
{
    auto v = readVersion(QStringLiteral("v.prompt_id = ?1 ORDER BY v.number DESC LIMIT 1"), promptId);
    if (!v && v.error().code == ErrorCode::NotFound)
        return fail(ErrorCode::NotFound, QStringLiteral("The prompt has no saved version yet"));
    return v;
}

Result<PromptVersion> PromptStore::resolve(const QString &reference, PromptKind kind)
{
    const qsizetype at = reference.lastIndexOf(QLatin1Char('@'));
    const QString name = at < 0 ? reference : reference.left(at);
    const QString selector = at < 0 ? QStringLiteral("latest") : reference.mid(at + 1);
    auto info = prompt(name, kind);
    if (!info)
        return fail(info.error());
    if (selector.isEmpty() || selector == QLatin1String("latest")) {
        auto v = latest(info->id);
        if (!v && v.error().code == ErrorCode::NotFound)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("%1 \"%2\" has no saved version yet")
                            .arg(kind == PromptKind::Snippet ? QStringLiteral("Snippet")
                                                             : QStringLiteral("Prompt"),
                                 name));
        return v;
    }
    bool numeric = false;
    QString digits = selector;
    if (digits.startsWith(QLatin1Char('v')))
        digits.remove(0, 1);
    const int number = digits.toInt(&numeric);
    if (numeric)
        return version(info->id, number);
    auto stmt = m_db.prepare(sql("WHERE v.id = (SELECT version_id FROM prompt_labels "
                                 "WHERE prompt_id = ?1 AND name = ?2)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, info->id).bind(2, selector);
    return stmt->one(versionFromRow,
                     QStringLiteral("Prompt \"%1\" has no label \"%2\"").arg(name, selector));
}

Result<void> PromptStore::setLabel(qint64 promptId, const QString &label, int number,
                                   const QString &author)
{
    if (const QString problem = labelNameProblem(label); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    auto target = version(promptId, number);
    if (!target)
        return fail(target.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto previous = m_db.prepare(QStringLiteral(
        "SELECT version_id FROM prompt_labels WHERE prompt_id = ? AND name = ?"));
    if (!previous)
        return fail(previous.error());
    previous->bind(1, promptId).bind(2, label);
    std::optional<qint64> fromId;
    if (auto row = previous->step(); row && *row)
        fromId = previous->int64(0);
    if (fromId == target->id)
        return {};
    const QString now = nowUtc();
    auto upsert = m_db.prepare(QStringLiteral(
        "INSERT INTO prompt_labels(prompt_id, name, version_id, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(prompt_id, name) DO UPDATE SET version_id = excluded.version_id, "
        "updated_at = excluded.updated_at"));
    if (!upsert)
        return fail(upsert.error());
    if (auto ok = upsert->bind(1, promptId).bind(2, label).bind(3, target->id).bind(4, now).run(); !ok)
        return fail(ok.error());
    auto move = m_db.prepare(QStringLiteral(
        "INSERT INTO prompt_label_moves(prompt_id, name, from_version_id, to_version_id, author, "
        "moved_at) VALUES (?, ?, ?, ?, ?, ?)"));
    if (!move)
        return fail(move.error());
    move->bind(1, promptId).bind(2, label).bind(3, fromId).bind(4, target->id).bind(5, author).bind(6, now);
    if (auto ok = move->run(); !ok)
        return fail(ok.error());
    return tx->commit();
}

Result<void> PromptStore::removeLabel(qint64 promptId, const QString &label, const QString &author)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto previous = m_db.prepare(QStringLiteral(
        "SELECT version_id FROM prompt_labels WHERE prompt_id = ? AND name = ?"));
    if (!previous)
        return fail(previous.error());
    previous->bind(1, promptId).bind(2, label);
    auto row = previous->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No label \"%1\" on this prompt").arg(label));
    const qint64 fromId = previous->int64(0);
    auto del = m_db.prepare(QStringLiteral("DELETE FROM prompt_labels WHERE prompt_id = ? AND name = ?"));
    if (!del)
        return fail(del.error());
    if (auto ok = del->bind(1, promptId).bind(2, label).run(); !ok)
        return fail(ok.error());
    auto move = m_db.prepare(QStringLiteral(
        "INSERT INTO prompt_label_moves(prompt_id, name, from_version_id, to_version_id, author, "
        "moved_at) VALUES (?, ?, ?, NULL, ?, ?)"));
    if (!move)
        return fail(move.error());
    if (auto ok = move->bind(1, promptId).bind(2, label).bind(3, fromId).bind(4, author).bind(5, nowUtc()).run(); !ok)
        return fail(ok.error());
    return tx->commit();
}

Result<QList<LabelMove>> PromptStore::labelHistory(qint64 promptId)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT m.name, f.number, t.number, m.author, m.moved_at FROM prompt_label_moves m "
        "LEFT JOIN prompt_versions f ON f.id = m.from_version_id "
        "LEFT JOIN prompt_versions t ON t.id = m.to_version_id "
        "WHERE m.prompt_id = ? ORDER BY m.id DESC"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, promptId);
    return stmt->all([](const Statement &s) {
        LabelMove move;
        move.label = s.text(0);
        if (auto n = s.optionalInt(1))
            move.fromVersion = int(*n);
        if (auto n = s.optionalInt(2))
            move.toVersion = int(*n);
        move.author = s.text(3);
        move.movedAt = s.text(4);
        return move;
    });
}

Result<PromptVersion> PromptStore::restore(qint64 promptId, int number, const QString &author)
{
    auto old = version(promptId, number);
    if (!old)
        return fail(old.error());
    auto current = latest(promptId);
    if (!current)
        return fail(current.error());
    if (current->contentHash == old->contentHash)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Version %1 already has the same content as the latest version %2")
                        .arg(number)
                        .arg(current->number));
    auto saved = saveVersion(promptId, old->content,
                             QStringLiteral("Restored from version %1").arg(number), author);
    if (!saved)
        return fail(saved.error());
    return saved->version;
}

Result<void> PromptStore::saveDraft(qint64 promptId, const PromptContent &content,
                                    std::optional<int> baseVersion)
{
    std::optional<qint64> baseId;
    if (baseVersion) {
        auto base = version(promptId, *baseVersion);
        if (!base)
            return fail(base.error());
        baseId = base->id;
    }
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO drafts(prompt_id, base_version_id, content, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(prompt_id) DO UPDATE SET base_version_id = excluded.base_version_id, "
        "content = excluded.content, updated_at = excluded.updated_at"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->bind(1, promptId).bind(2, baseId).bind(3, toJsonText(content.toJson())).bind(4, nowUtc()).run();
}

Result<std::optional<PromptDraft>> PromptStore::draft(qint64 promptId)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT d.content, v.number, d.updated_at FROM drafts d "
        "LEFT JOIN prompt_versions v ON v.id = d.base_version_id WHERE d.prompt_id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, promptId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<PromptDraft>();
    PromptDraft d;
    d.content = PromptContent::fromJson(parseJson(stmt->text(0)).value_or(nlohmann::json::object()));
    if (auto n = stmt->optionalInt(1))
        d.baseVersion = int(*n);
    d.updatedAt = stmt->text(2);
    return std::optional<PromptDraft>(d);
}

Result<void> PromptStore::discardDraft(qint64 promptId)
{
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM drafts WHERE prompt_id = ?"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->bind(1, promptId).run();
}

} // namespace ts
