#include "playground/modelcatalog.h"

#include "common/projectsession.h"
#include "models/keystore.h"
#include "models/modelstore.h"
#include "playground/modellistmodel.h"
#include "storage/project.h"

namespace ts {

ModelCatalog::ModelCatalog(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_model(new ModelListModel(this))
{
    connect(&session, &ProjectSession::projectOpened, this, &ModelCatalog::reload);
    connect(&session, &ProjectSession::projectClosed, this, [this] {
        m_model->setModels({});
        Q_EMIT modelsChanged();
    });
    if (session.hasProject())
        reload();
}

const QList<ModelConfig> &ModelCatalog::models() const
{
    return m_model->models();
}

void ModelCatalog::reload()
{
    m_session.post<Result<QList<ModelConfig>>>(
        [](WorkContext &ctx) -> Result<QList<ModelConfig>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ModelStore(ctx.project->db()).list();
        },
        this,
        [this](Result<QList<ModelConfig>> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not read the models: %1").arg(result.error().message));
                return;
            }
            m_model->setModels(*result);
            Q_EMIT modelsChanged();
        });
}

void ModelCatalog::save(const ModelConfig &model, QObject *context,
                        std::function<void(Result<ModelConfig>)> done)
{
    m_session.post<Result<ModelConfig>>(
        [model](WorkContext &ctx) -> Result<ModelConfig> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            ModelStore store(ctx.project->db());
            return model.id ? store.update(model) : store.add(model);
        },
        context,
        [this, done = std::move(done)](Result<ModelConfig> result) {
            if (result)
                reload();
            if (done)
                done(std::move(result));
        });
}

void ModelCatalog::remove(const QString &name, QObject *context,
                          std::function<void(Result<void>)> done)
{
    m_session.post<Result<void>>(
        [name](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ModelStore(ctx.project->db()).remove(name);
        },
        context,
        [this, done = std::move(done)](Result<void> result) {
            if (result)
                reload();
            if (done)
                done(std::move(result));
        });
}

void ModelCatalog::storeKey(const QString &entry, const QString &secret, QObject *context,
                            std::function<void(Result<QString>)> done)
{
    m_session.post<Result<QString>>(
        [entry, secret](WorkContext &) { return KeyStore::storeInKeychain(entry, secret); },
        context, std::move(done));
}

} // namespace ts
