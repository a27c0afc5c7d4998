#include "runs/modelprobe.h"

#include "models/keystore.h"
#include "net/networkclient.h"
#include "net/redact.h"
#include "providers/providererror.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"

#include <QPointer>

#include <memory>

namespace ts {

namespace {

struct Listing
{
    NetworkClient *network;
    ModelConfig model;
    QString apiKey;
    QPointer<QObject> context;
    std::function<void(Result<QList<ModelInfo>>)> done;
    QList<ModelInfo> found;
};

void fetchPage(std::shared_ptr<Listing> l, const QString &pageToken)
{
    if (!l->context)
        return;
    const HttpRequest request = buildModelListRequest(l->model.provider, l->model.baseUrl,
                                                      l->apiKey, pageToken);
    CallOptions options;
    options.collectBody = true;
    options.retry.maxRetries = 1;
    options.firstByteTimeoutMs = 30000;
    HttpCall *call = l->network->start(request, options, l->context);
    QObject::connect(call, &HttpCall::finished, l->context, [l, call](const HttpOutcome &outcome) {
        call->deleteLater();
        if (!outcome.ok()) {
            Error error = *outcome.error;
            if (outcome.status >= 400 && !outcome.errorBody.isEmpty())
                error = parseErrorBody(l->model.provider, outcome.status, outcome.errorBody).toError();
            error.message = redactSecrets(error.message);
            l->done(fail(error));
            return;
        }
        auto page = parseModelList(l->model.provider, outcome.body);
        if (!page) {
            l->done(fail(page.error()));
            return;
        }
        l->found += page->models;
        if (!page->nextPageToken.isEmpty() && l->found.size() < 5000)
            fetchPage(l, page->nextPageToken);
        else
            l->done(l->found);
    });
}

} // namespace

void ModelProbe::listModels(NetworkClient *network, GenerationWriter *writer,
                            const ModelConfig &model, QObject *context,
                            std::function<void(Result<QList<ModelInfo>>)> done)
{
    auto listing = std::make_shared<Listing>(Listing{network, model, {}, context, std::move(done), {}});
    auto withKey = [listing](Result<QString> key) {
        if (!key) {
            if (listing->context)
                listing->done(fail(key.error()));
            return;
        }
        listing->apiKey = *key;
        fetchPage(listing, QString());
    };
    if (writer) {
        writer->prepare(model.keyRef, QString(), context,
                        [withKey](GenerationWriter::Preparation prep) { withKey(prep.apiKey); });
    } else {
        withKey(KeyStore::resolve(model.keyRef));
    }
}

void ModelProbe::testConnection(RunEngine &engine, const ModelConfig &model, QObject *context,
                                std::function<void(Generation)> done)
{
    GenerationSpec spec;
    spec.model = model;
    spec.messages = {{QStringLiteral("user"), QStringLiteral("Reply with OK.")}};
    spec.params.maxTokens = 16;
    spec.useCache = false;
    spec.runId = 0;
    GenerationJob *job = engine.start(spec, context);
    QObject::connect(job, &GenerationJob::finished, context, [job, done](const Generation &g) {
        job->deleteLater();
        done(g);
    });
}

} // namespace ts
