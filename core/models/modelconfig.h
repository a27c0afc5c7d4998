#pragma once

#include "common/modelparameters.h"
#include "providers/chattypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

/// A model as the project knows it: which server, which model, default parameters, prices and
/// where its key lives. Never holds the key itself.
struct ModelConfig
{
    qint64 id = 0;
    QString name; ///< display name, unique in the project
    ProviderKind provider = ProviderKind::OpenAI;
    QString baseUrl;
    QString modelId;
    ModelParameters params;
    /// "env:VAR", "keychain:ENTRY" or empty (local servers need no key).
    QString keyRef;
    std::optional<double> priceInputPerMTok;
    std::optional<double> priceOutputPerMTok;
    int maxConcurrency = 4;

    /// Cost in the price's currency (USD by convention), or nullopt when prices or tokens are unknown.
    std::optional<double> cost(std::optional<qint64> inputTokens,
                               std::optional<qint64> outputTokens) const;
    /// What runs store as model_snapshot: everything but the id.
    nlohmann::json toJson() const;
    static ModelConfig fromJson(const nlohmann::json &json);
};

/// A starting point for a new model configuration.
struct ModelPreset
{
    QString id;          ///< "openai", "anthropic", "gemini", "ollama", "lmstudio", "vllm", "custom"
    QString title;       ///< "OpenAI", "LM Studio (local)", ...
    ProviderKind provider;
    QString baseUrl;
    QString exampleModel;
    QString keyEnvVar;   ///< suggested environment variable, empty when no key is needed
};

const QList<ModelPreset> &modelPresets();
std::optional<ModelPreset> findPreset(const QString &id);

} // namespace ts
