#include "storage/migrations.h"

#include "storage/database.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace ts {

QList<Migration> builtinMigrations()
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_(\\w+)\\.sql$"));
    QList<Migration> result;
    const QDir dir(QStringLiteral(":/migrations"));
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = pattern.match(file);
        if (!match.hasMatch())
            continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        result.append(Migration{match.captured(1).toInt(), match.captured(2),
                                QString::fromUtf8(f.readAll())});
    }
    std::sort(result.begin(), result.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return result;
}

int latestSchemaVersion(const QList<Migration> &migrations)
{
    int latest = 0;
    for (const Migration &m : migrations)
        latest = std::max(latest, m.version);
    return latest;
}

Result<int> applyMigrations(Database &db, const QList<Migration> &migrations)
{
    auto current = db.queryInt(QStringLiteral("PRAGMA user_version"));
    if (!current)
        return fail(current.error());
    int version = int(*current);
    for (const Migration &m : migrations) {
        if (m.version <= version)
            continue;
        const QString savepoint = QStringLiteral("migration_%1").arg(m.version);
        if (auto ok = db.exec(QStringLiteral("SAVEPOINT ") + savepoint); !ok)
            return fail(ok.error());
        auto applied = db.exec(m.sql);
        if (applied)
            applied = db.exec(QStringLiteral("PRAGMA user_version = %1").arg(m.version));
        if (!applied) {
            (void)db.exec(QStringLiteral("ROLLBACK TO ") + savepoint);
            (void)db.exec(QStringLiteral("RELEASE ") + savepoint);
            return fail(ErrorCode::Database,
                        QStringLiteral("Upgrading the project to schema %1 (%2) failed: %3. "
                                       "The file was left unchanged.")
                            .arg(m.version)
                            .arg(m.name, applied.error().message));
        }
        if (auto ok = db.exec(QStringLiteral("RELEASE ") + savepoint); !ok)
            return fail(ok.error());
        version = m.version;
    }
    return version;
}

} // namespace ts
