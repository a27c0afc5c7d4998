#pragma once

#include "providers/chattypes.h"

namespace ts {

/// Texts to embed with one model.
struct EmbeddingRequest
{
    ProviderKind kind = ProviderKind::OpenAI;
    QString baseUrl;
    QString model;
    QStringList inputs;
    std::optional<int> dimensions;  ///< OpenAI dimensions, Ollama dimensions, Gemini outputDimensionality
    bool base64 = false;            ///< OpenAI encoding_format "base64" (smaller responses)
    nlohmann::json extra = nlohmann::json::object(); ///< merge-patched into the body
};

/// One vector per input, in input order.
struct EmbeddingResult
{
    QList<QList<float>> vectors;
    QString model;
    std::optional<int> inputTokens;
};

/// POST request for embeddings: OpenAI {base}/embeddings, Ollama {base}/api/embed, Gemini
/// {base}/v1beta/models/{m}:embedContent (one input) or :batchEmbedContents (several).
/// Anthropic has no embeddings API: an InvalidArgument error.
Result<HttpRequest> buildEmbeddingRequest(const EmbeddingRequest &request,
                                              const QString &apiKey);

/// Parses a 2xx embeddings body, decoding OpenAI base64 float32 vectors.
Result<EmbeddingResult> parseEmbeddingResponse(ProviderKind kind, QByteArrayView body);

} // namespace ts
