#pragma once

#include "providers/chattypes.h"

#include <QDateTime>

namespace ts {

/// One model a server offers.
struct ModelInfo
{
    QString id;           ///< what to send back as the model (Gemini: without "models/")
    QString displayName;  ///< human name when the server gives one, else the id
    QString ownedBy;      ///< OpenAI owned_by
    QDateTime created;
    std::optional<qint64> sizeBytes;       ///< Ollama
    QString family;                        ///< Ollama details.family
    QString parameterSize;                 ///< Ollama details.parameter_size, e.g. "7.6B"
    QString quantization;                  ///< Ollama details.quantization_level
    std::optional<int> inputTokenLimit;    ///< Gemini
    std::optional<int> outputTokenLimit;   ///< Gemini
    QStringList methods;                   ///< Gemini supportedGenerationMethods
};

/// A page of models; nextPageToken is empty on the last page.
struct ModelList
{
    QList<ModelInfo> models;
    QString nextPageToken;
};

/// GET request listing models: OpenAI {base}/models, Anthropic {base}/v1/models,
/// Gemini {base}/v1beta/models, Ollama {base}/api/tags. pageToken continues a listing.
HttpRequest buildModelListRequest(ProviderKind kind, const QString &baseUrl,
                                      const QString &apiKey, const QString &pageToken = {});

/// Parses a model listing body (2xx); an error for anything that is not one.
Result<ModelList> parseModelList(ProviderKind kind, QByteArrayView body);

} // namespace ts
