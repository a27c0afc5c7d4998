#include "playground/playgroundcases.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QObject>

namespace ts {

Result<QStringList> datasetNames(Database &db)
{
    auto stmt = db.prepare(QStringLiteral("SELECT name FROM datasets ORDER BY name COLLATE NOCASE"));
    if (!stmt)
        return fail(stmt.error());
    QStringList names;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        names.append(stmt->text(0));
    }
    return names;
}

Result<qint64> addPlaygroundCase(Database &db, const QString &datasetName, const TestCaseData &data)
{
    const QString name = datasetName.trimmed();
    if (name.isEmpty())
        return fail(ErrorCode::InvalidArgument, QObject::tr("Name the dataset the test case goes to."));
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());

    qint64 datasetId = 0;
    {
        auto find = db.prepare(QStringLiteral("SELECT id FROM datasets WHERE name = ?"));
        if (!find)
            return fail(find.error());
        find->bind(1, name);
        auto row = find->step();
        if (!row)
            return fail(row.error());
        if (*row)
            datasetId = find->int64(0);
    }
    if (!datasetId) {
        auto insert = db.prepare(QStringLiteral(
            "INSERT INTO datasets(name, description, created_at) VALUES (?, ?, ?)"));
        if (!insert)
            return fail(insert.error());
        insert->bind(1, name).bind(2, QObject::tr("Test cases saved from the playground")).bind(3, nowUtc());
        if (auto ok = insert->run(); !ok)
            return fail(ok.error());
        datasetId = db.lastInsertId();
    }

    const QString key = QString::fromLatin1(contentKey(data));
    {
        auto same = db.prepare(QStringLiteral(
            "SELECT position FROM test_cases WHERE dataset_id = ? AND content_key = ?"));
        if (!same)
            return fail(same.error());
        same->bind(1, datasetId).bind(2, key);
        auto row = same->step();
        if (!row)
            return fail(row.error());
        if (*row)
            return fail(ErrorCode::AlreadyExists,
                        QObject::tr("\"%1\" already has this test case (case %2).")
                            .arg(name)
                            .arg(same->int64(0) + 1));
    }

    auto insert = db.prepare(QStringLiteral(
        "INSERT INTO test_cases(dataset_id, position, vars, expected, tags, description, source, "
        "content_key, created_at) "
        "VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM test_cases WHERE dataset_id = ?), "
        "?, ?, ?, ?, 'playground', ?, ?)"));
    if (!insert)
        return fail(insert.error());
    nlohmann::json tags = nlohmann::json::array();
    for (const QString &t : data.tags)
        tags.push_back(sstr(t));
    insert->bind(1, datasetId).bind(2, datasetId).bind(3, toJsonText(data.vars)).bind(4, data.expected)
        .bind(5, toJsonText(tags)).bind(6, data.description).bind(7, key).bind(8, nowUtc());
    if (auto ok = insert->run(); !ok)
        return fail(ok.error());
    const qint64 id = db.lastInsertId();
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return id;
}

} // namespace ts
