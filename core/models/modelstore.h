#pragma once

#include "common/error.h"
#include "models/modelconfig.h"

namespace ts {

class Database;

/// Model configurations of a project (the `models` table).
class ModelStore final
{
public:
    explicit ModelStore(Database &db);

    Result<QList<ModelConfig>> list();
    Result<ModelConfig> find(const QString &name);
    Result<ModelConfig> find(qint64 id);
    /// Adds a model; the name must be new. Refuses anything that looks like a key in keyRef.
    Result<ModelConfig> add(const ModelConfig &model);
    Result<ModelConfig> update(const ModelConfig &model);
    Result<void> remove(const QString &name);

    /// Why a configuration cannot be saved, or an empty string.
    static QString problem(const ModelConfig &model);

private:
    Database &m_db;
};

} // namespace ts
