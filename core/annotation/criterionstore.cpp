#include "annotation/criterionstore.h"

#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

namespace ts {

namespace {

const QString selectVersion = QStringLiteral(
    "SELECT v.id, v.criterion_id, c.name, v.version, v.question, v.description, v.author, "
    "v.created_at FROM criterion_versions v JOIN criteria c ON c.id = v.criterion_id ");

CriterionVersion versionFrom(const Statement &s)
{
    return CriterionVersion{s.int64(0), s.int64(1), s.text(2), int(s.int64(3)),
                            s.text(4),  s.text(5),  s.text(6), s.text(7)};
}

QString authorOr(const QString &author)
{
    return author.isEmpty() ? currentAuthor() : author;
}

Result<CriterionVersion> insertVersion(Database &db, qint64 criterionId, int number,
                                       const QString &question, const QString &description,
                                       const QString &author)
{
    auto st = db.prepare(QStringLiteral(
        "INSERT INTO criterion_versions (criterion_id, version, question, description, author, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, criterionId).bind(2, number).bind(3, question).bind(4, description);
    st->bind(5, authorOr(author)).bind(6, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    auto q = db.prepare(selectVersion + QStringLiteral("WHERE v.id = ?"));
    if (!q)
        return fail(q.error());
    q->bind(1, db.lastInsertId());
    return q->one(versionFrom, QStringLiteral("criterion version"));
}

} // namespace

CriterionStore::CriterionStore(Database &db)
    : m_db(db)
{
}

Result<CriterionVersion> CriterionStore::create(const QString &name, const QString &question,
                                                const QString &description, const QString &author)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A criterion needs a name."));
    if (question.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Criterion \"%1\" needs a yes/no question.").arg(trimmed));
    if (latest(trimmed))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A criterion named \"%1\" already exists.").arg(trimmed));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto st = m_db.prepare(QStringLiteral("INSERT INTO criteria (name, created_at) VALUES (?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, trimmed).bind(2, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    auto v = insertVersion(m_db, m_db.lastInsertId(), 1, question.trimmed(), description, author);
    if (!v)
        return v;
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return v;
}

Result<CriterionVersion> CriterionStore::ensure(const QString &name, const QString &author)
{
    if (auto existing = latest(name.trimmed()))
        return existing;
    return create(name, name, {}, author);
}

Result<CriterionVersion> CriterionStore::edit(const QString &name, const QString &question,
                                              const QString &description, const QString &author)
{
    auto current = latest(name);
    if (!current)
        return current;
    if (question.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Criterion \"%1\" needs a yes/no question.").arg(name));
    if (current->question == question.trimmed() && current->description == description)
        return current;
    return insertVersion(m_db, current->criterionId, current->version + 1, question.trimmed(),
                         description, author);
}

Result<QList<CriterionVersion>> CriterionStore::list()
{
    auto st = m_db.prepare(selectVersion
                           + QStringLiteral("WHERE v.version = (SELECT max(version) FROM "
                                            "criterion_versions WHERE criterion_id = c.id) "
                                            "ORDER BY c.name"));
    if (!st)
        return fail(st.error());
    return st->all(versionFrom);
}

Result<CriterionVersion> CriterionStore::latest(const QString &name)
{
    auto st = m_db.prepare(selectVersion
                           + QStringLiteral("WHERE c.name = ? ORDER BY v.version DESC LIMIT 1"));
    if (!st)
        return fail(st.error());
    st->bind(1, name);
    return st->one(versionFrom, QStringLiteral("No criterion named \"%1\".").arg(name));
}

Result<CriterionVersion> CriterionStore::latest(qint64 criterionId)
{
    auto st = m_db.prepare(selectVersion
                           + QStringLiteral("WHERE c.id = ? ORDER BY v.version DESC LIMIT 1"));
    if (!st)
        return fail(st.error());
    st->bind(1, criterionId);
    return st->one(versionFrom, QStringLiteral("No criterion %1.").arg(criterionId));
}

Result<CriterionVersion> CriterionStore::version(qint64 criterionVersionId)
{
    auto st = m_db.prepare(selectVersion + QStringLiteral("WHERE v.id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, criterionVersionId);
    return st->one(versionFrom,
                   QStringLiteral("No criterion wording %1.").arg(criterionVersionId));
}

Result<QList<CriterionVersion>> CriterionStore::history(const QString &name)
{
    auto st = m_db.prepare(selectVersion + QStringLiteral("WHERE c.name = ? ORDER BY v.version"));
    if (!st)
        return fail(st.error());
    st->bind(1, name);
    return st->all(versionFrom);
}

Result<CriterionVersion> CriterionStore::ensureVersion(const QString &name, int number,
                                                       const QString &question,
                                                       const QString &description,
                                                       const QString &author)
{
    auto versions = history(name);
    if (!versions)
        return fail(versions.error());
    if (versions->isEmpty()) {
        auto created = create(name, question, description, author);
        if (!created || number == 1)
            return created;
        // Keep the pack's numbering: the first wording we know is its version `number`.
        auto st = m_db.prepare(QStringLiteral("UPDATE criterion_versions SET version = ? WHERE id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, number).bind(2, created->id);
        if (auto ok = st->run(); !ok)
            return fail(ok.error());
        return version(created->id);
    }
    for (const CriterionVersion &v : *versions)
        if (v.question == question && v.description == description)
            return v; // the same wording, whatever number it has here
    const int next = std::max(number, versions->last().version + 1);
    return insertVersion(m_db, versions->first().criterionId, next, question, description, author);
}

} // namespace ts
