#pragma once

// Vectors from a configured embedding model for drift, cached in the project's `embeddings`
// table by model and text hash.

#include "common/error.h"
#include "insights/textvectors.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace ts {

class Database;
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

} // namespace ts
