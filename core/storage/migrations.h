#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

namespace ts {

class Database;

/// One numbered schema step, read from resources/migrations/NNNN_name.sql.
struct Migration
{
    int version = 0;
    QString name;
    QString sql;
};

/// The migrations compiled into this build, in version order.
QList<Migration> builtinMigrations();

/// The schema version this build writes.
int latestSchemaVersion(const QList<Migration> &migrations);

/// Applies every migration newer than the file's user_version. Each runs in its own savepoint
/// inside the caller's transaction, so a failure undoes everything and leaves the file as it was.
Result<int> applyMigrations(Database &db, const QList<Migration> &migrations);

} // namespace ts
