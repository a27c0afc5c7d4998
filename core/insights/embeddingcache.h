#pragma once

// Vectors from a configured embedding model for drift and for eval assertions (`similar`,
// answer-relevance), cached in the project's `embeddings` table by model and text hash, and
// the project's default embedding model.

#include "common/error.h"
#include "insights/textvectors.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ts {

class Database;
class EvalRunner;
class NetworkClient;
struct ModelConfig;

/// Turns texts into vectors, one per text, in order.
using EmbedFunction = std::function<Result<QList<QList<float>>>(const QStringList &texts)>;

/// The cache key of a model: "PROVIDER:MODEL_ID", e.g. "openai:text-embedding-3-small".
QString embeddingModelKey(const ModelConfig &model);

/// SHA-256 (hex) of the text's UTF-8 bytes: the cache key of a text.
QString embeddingTextHash(const QString &text);

struct EmbeddedTexts
{
    DocVectors vectors; ///< one row per text; empty texts give zero rows
    int fromCache = 0; ///< distinct texts found in the cache
    int embedded = 0; ///< distinct texts sent to the model
};

/// Vectors for `texts`: those cached for `modelKey` are read from the project, the other
/// distinct non-empty texts are embedded in batches of `batchSize` through `embed` and stored
/// as each batch lands (an interrupted run keeps what it paid for). Vectors of differing
/// dimensions are an error.
Result<EmbeddedTexts> embedTexts(Database &db, const QString &modelKey, const QStringList &texts,
                                 const EmbedFunction &embed, int batchSize = 64);

/// Embeds through `model`'s embeddings API (OpenAI, Ollama or Gemini) over `network`, waiting
/// for each batch in a nested event loop: for the CLI or a worker thread, never the UI thread.
EmbedFunction networkEmbedder(const ModelConfig &model, NetworkClient *network);

/// Where the project keeps its default embedding model: a `project_meta` key whose value is
/// the model's id.
inline constexpr const char *kDefaultEmbeddingModelKey = "default_embedding_model";

/// The project's default embedding model; nullopt when none is set or it was removed.
Result<std::optional<ModelConfig>> defaultEmbeddingModel(Database &db);
/// Sets (or, with nullopt, clears) the project's default embedding model. Refuses an Anthropic
/// model (no embeddings API).
Result<void> setDefaultEmbeddingModel(Database &db, std::optional<qint64> modelId);

/// Vectors as evals read them, one list per text.
using EvalEmbedFunction
    = std::function<Result<QList<QList<double>>>(const QString &modelName, const QStringList &)>;

/// Embeddings for an eval's assertions by configured model name: each call opens its own
/// connection to the project at `projectPath` (so it runs on any worker thread), finds the
/// model, reads cached vectors and embeds only the texts not cached yet through `network`
/// (stored as they land: an eval run again embeds nothing it already embedded). A missing
/// model, an Anthropic model, a refused key or a model the server will not embed with is an
/// error saying so.
EvalEmbedFunction evalEmbedder(const QString &projectPath, NetworkClient *network);

/// Gives an eval its embeddings through evalEmbedder(): for the `similar` and answer-relevance
/// assertions that name no model of their own, the eval's embedding model
/// (EvalConfig::embeddingModel) or else the project's default, looked up when first needed
/// (none set: those assertions are errors saying how to choose one); the model an assertion
/// names for the others.
void installEvalEmbedders(EvalRunner &runner, const QString &projectPath, NetworkClient *network);

} // namespace ts
