#pragma once

#include "common/error.h"
#include "models/modelconfig.h"

#include <QObject>

#include <functional>

namespace ts {

class ModelListModel;
class ProjectSession;

/// The project's model configurations for the UI: a snapshot list model refreshed from the
/// file, and add / update / remove through the ProjectSession's worker (ModelStore on the
/// worker's connection). The UI never waits: results come back as callbacks and signals.
class ModelCatalog final : public QObject
{
    Q_OBJECT

public:
    explicit ModelCatalog(ProjectSession &session, QObject *parent = nullptr);

    /// Plain list (the models dialog). The playground keeps its own checkable copy.
    ModelListModel *model() const { return m_model; }
    const QList<ModelConfig> &models() const;
    ProjectSession &session() const { return m_session; }

    void reload();
    /// Adds (`model.id == 0`) or updates a model; `done` gets the stored configuration.
    void save(const ModelConfig &model, QObject *context,
              std::function<void(Result<ModelConfig>)> done);
    void remove(const QString &name, QObject *context, std::function<void(Result<void>)> done);
    /// Stores `secret` in the OS keychain under `entry` (on the worker thread: the keychain
    /// waits on D-Bus) and returns the reference "keychain:entry".
    void storeKey(const QString &entry, const QString &secret, QObject *context,
                  std::function<void(Result<QString>)> done);

Q_SIGNALS:
    void modelsChanged();
    void errorOccurred(const QString &message);

private:
    ProjectSession &m_session;
    ModelListModel *m_model = nullptr;
};

} // namespace ts
