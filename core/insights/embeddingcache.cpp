#include "insights/embeddingcache.h"

#include "evals/evalrunner.h"
#include "models/keystore.h"
#include "models/modelconfig.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "net/redact.h"
#include "providers/embeddings.h"
#include "providers/providererror.h"
#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QEventLoop>
#include <QHash>
#include <QtEndian>

#include <cstring>

namespace ts {

namespace {

QByteArray packVector(const QList<float> &v)
{
    QByteArray bytes(v.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < v.size(); ++i)
        qToLittleEndian<float>(v[i], bytes.data() + i * 4);
    return bytes;
}

} // namespace

QString embeddingModelKey(const ModelConfig &model)
{
    return providerKindName(model.provider) + QLatin1Char(':') + model.modelId;
}

QString embeddingTextHash(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<EmbeddedTexts> embedTexts(Database &db, const QString &modelKey, const QStringList &texts,
                                 const EmbedFunction &embed, int batchSize)
{
    // Distinct non-empty texts by hash, and the row each text takes its vector from.
    QHash<QString, int> distinctIndex;
    QStringList distinctTexts;
    QStringList distinctHashes;
    std::vector<int> rowOf(size_t(texts.size()), -1);
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (texts[i].isEmpty())
            continue;
        const QString hash = embeddingTextHash(texts[i]);
        auto it = distinctIndex.find(hash);
        if (it == distinctIndex.end()) {
            it = distinctIndex.insert(hash, int(distinctTexts.size()));
            distinctTexts.append(texts[i]);
            distinctHashes.append(hash);
        }
        rowOf[size_t(i)] = it.value();
    }

    EmbeddedTexts out;
    std::vector<QList<float>> vectors(size_t(distinctTexts.size()));
    auto lookup = db.prepare(
        QStringLiteral("SELECT vector FROM embeddings WHERE model = ?1 AND text_hash = ?2"));
    if (!lookup)
        return fail(lookup.error());
    QList<int> missing;
    for (int i = 0; i < int(distinctTexts.size()); ++i) {
        lookup->reset();
        lookup->bind(1, modelKey).bind(2, distinctHashes[i]);
        auto row = lookup->step();
        if (!row)
            return fail(row.error());
        if (!*row) {
            missing.append(i);
            continue;
        }
        const QByteArray blob = lookup->blob(0);
        QList<float> v(blob.size() / 4);
        for (qsizetype k = 0; k < v.size(); ++k)
            v[k] = qFromLittleEndian<float>(blob.constData() + k * 4);
        vectors[size_t(i)] = v;
        ++out.fromCache;
    }

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    for (qsizetype start = 0; start < missing.size(); start += batchSize) {
        const QList<int> batch = missing.mid(start, batchSize);
        QStringList inputs;
        for (int i : batch)
            inputs.append(distinctTexts[i]);
        auto embedded = embed(inputs);
        if (!embedded)
            return fail(embedded.error());
        if (embedded->size() != batch.size())
            return fail(ErrorCode::Protocol,
                        QStringLiteral("The embedding model returned %1 vectors for %2 texts")
                            .arg(embedded->size())
                            .arg(batch.size()));
        auto tx = Transaction::begin(db);
        if (!tx)
            return fail(tx.error());
        auto insert = db.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO embeddings (model, text_hash, dimensions, vector, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5)"));
        if (!insert)
            return fail(insert.error());
        for (qsizetype k = 0; k < batch.size(); ++k) {
            const QList<float> &v = (*embedded)[k];
            insert->reset();
            insert->bind(1, modelKey)
                .bind(2, distinctHashes[batch[k]])
                .bind(3, qint64(v.size()))
                .bind(4, packVector(v))
                .bind(5, now);
            if (auto r = insert->run(); !r)
                return fail(r.error());
            vectors[size_t(batch[k])] = v;
        }
        if (auto c = tx->commit(); !c)
            return fail(c.error());
        out.embedded += int(batch.size());
    }

    qsizetype dimensions = 0;
    for (const QList<float> &v : vectors) {
        if (dimensions == 0)
            dimensions = v.size();
        if (v.size() != dimensions || v.isEmpty())
            return fail(ErrorCode::Protocol,
                        QStringLiteral("Embeddings of %1 have differing dimensions (%2 and %3); "
                                       "was the model changed?")
                            .arg(modelKey)
                            .arg(dimensions)
                            .arg(v.size()));
    }
    out.vectors = DocVectors::Zero(texts.size(), dimensions);
    for (qsizetype i = 0; i < texts.size(); ++i)
        if (rowOf[size_t(i)] >= 0) {
            const QList<float> &v = vectors[size_t(rowOf[size_t(i)])];
            for (qsizetype k = 0; k < dimensions; ++k)
                out.vectors(i, k) = v[k];
        }
    return out;
}

EmbedFunction networkEmbedder(const ModelConfig &model, NetworkClient *network)
{
    return [model, network](const QStringList &texts) -> Result<QList<QList<float>>> {
        auto key = KeyStore::resolve(model.keyRef);
        if (!key)
            return fail(key.error());
        EmbeddingRequest request;
        request.kind = model.provider;
        request.baseUrl = model.baseUrl;
        request.model = model.modelId;
        request.inputs = texts;
        auto http = buildEmbeddingRequest(request, *key);
        if (!http)
            return fail(http.error());
        CallOptions options;
        options.collectBody = true;
        HttpCall *call = network->start(*http, options);
        HttpOutcome outcome;
        QEventLoop loop;
        QObject::connect(call, &HttpCall::finished, &loop, [&](const HttpOutcome &o) {
            outcome = o;
            loop.quit();
        });
        if (!call->isFinished())
            loop.exec();
        else
            outcome = call->outcome();
        delete call;
        if (!outcome.ok()) {
            Error error = *outcome.error;
            if (outcome.status >= 400 && !outcome.errorBody.isEmpty())
                error = parseErrorBody(model.provider, outcome.status, outcome.errorBody).toError();
            error.message = QStringLiteral("Embedding with %1 failed: %2")
                                .arg(model.name, redactSecrets(error.message));
            return fail(error);
        }
        auto parsed = parseEmbeddingResponse(model.provider, outcome.body);
        if (!parsed)
            return fail(parsed.error());
        return parsed->vectors;
    };
}

Result<std::optional<ModelConfig>> defaultEmbeddingModel(Database &db)
{
    auto stmt = db.prepare(QStringLiteral("SELECT value FROM project_meta WHERE key = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, QString::fromLatin1(kDefaultEmbeddingModelKey));
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<ModelConfig>();
    bool ok = false;
    const qint64 id = stmt->text(0).toLongLong(&ok);
    if (!ok)
        return std::optional<ModelConfig>();
    auto model = ModelStore(db).find(id);
    if (!model)
        return model.error().code == ErrorCode::NotFound ? Result<std::optional<ModelConfig>>()
                                                         : fail(model.error());
    return std::optional<ModelConfig>(*model);
}

Result<void> setDefaultEmbeddingModel(Database &db, std::optional<qint64> modelId)
{
    if (!modelId) {
        auto clear = db.prepare(QStringLiteral("DELETE FROM project_meta WHERE key = ?"));
        if (!clear)
            return fail(clear.error());
        return clear->bind(1, QString::fromLatin1(kDefaultEmbeddingModelKey)).run();
    }
    auto model = ModelStore(db).find(*modelId);
    if (!model)
        return fail(model.error());
    if (model->provider == ProviderKind::Anthropic)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 is an Anthropic model, and Anthropic has no embeddings API: "
                                   "choose an OpenAI-compatible, Gemini or Ollama embedding model")
                        .arg(model->name));
    auto set = db.prepare(
        QStringLiteral("INSERT OR REPLACE INTO project_meta(key, value) VALUES (?, ?)"));
    if (!set)
        return fail(set.error());
    return set->bind(1, QString::fromLatin1(kDefaultEmbeddingModelKey))
        .bind(2, QString::number(*modelId))
        .run();
}

EvalEmbedFunction evalEmbedder(const QString &projectPath, NetworkClient *network)
{
    return [projectPath, network](const QString &name,
                                  const QStringList &texts) -> Result<QList<QList<double>>> {
        auto db = Database::open(projectPath, Database::Access::ReadWrite);
        if (!db)
            return fail(db.error());
        auto model = ModelStore(*db).find(name);
        if (!model && model.error().code != ErrorCode::NotFound)
            return fail(model.error());
        if (!model)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("the embedding model \"%1\" is not a model of this project "
                                       "(add it with model add, or choose another)")
                            .arg(name));
        if (model->provider == ProviderKind::Anthropic)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 is an Anthropic model, and Anthropic has no embeddings "
                                       "API: choose an embedding model (OpenAI-compatible, Gemini "
                                       "or Ollama)")
                            .arg(model->name));
        auto embedded
            = embedTexts(*db, embeddingModelKey(*model), texts, networkEmbedder(*model, network));
        if (!embedded) {
            Error error = embedded.error();
            // A server that will not embed with a chat model answers 400 or 404.
            if (error.code == ErrorCode::InvalidArgument || error.code == ErrorCode::ModelNotFound
                || error.code == ErrorCode::NotFound)
                error.message += QStringLiteral(" (is %1 an embedding model?)").arg(model->name);
            return fail(error);
        }
        QList<QList<double>> vectors;
        vectors.reserve(texts.size());
        for (Eigen::Index r = 0; r < embedded->vectors.rows(); ++r) {
            QList<double> v(embedded->vectors.cols());
            for (Eigen::Index c = 0; c < embedded->vectors.cols(); ++c)
                v[c] = double(embedded->vectors(r, c));
            vectors.append(v);
        }
        return vectors;
    };
}

void installEvalEmbedders(EvalRunner &runner, const QString &projectPath, NetworkClient *network)
{
    const EvalEmbedFunction named = evalEmbedder(projectPath, network);
    runner.setNamedEmbedder(named);
    // The project's default; the runner puts an eval's own embedding model before it.
    runner.setEmbedder([named,
                        projectPath](const QStringList &texts) -> Result<QList<QList<double>>> {
        auto db = Database::open(projectPath, Database::Access::ReadOnly);
        if (!db)
            return fail(db.error());
        auto model = defaultEmbeddingModel(*db);
        if (!model)
            return fail(model.error());
        if (!*model)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("needs an embedding model, and none is set for this eval: "
                                       "choose one (eval --embedding-model NAME, or Embedding "
                                       "model in New Eval) or set the project's default (model "
                                       "default-embedding FILE NAME)"));
        return named((*model)->name, texts);
    });
}

} // namespace ts
