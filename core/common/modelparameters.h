#pragma once

#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// Sampling parameters a prompt version or a model configuration carries. Unset values are
/// left to the provider's defaults. JSON keys: temperature, max_tokens, top_p, seed, stop.
struct ModelParameters
{
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    std::optional<double> topP;
    std::optional<qint64> seed;
    QStringList stop;

    nlohmann::json toJson() const;
    static ModelParameters fromJson(const nlohmann::json &json);
    /// Values set here win over `base` (prompt parameters over model defaults).
    ModelParameters overriding(const ModelParameters &base) const;
    bool operator==(const ModelParameters &) const = default;
};

} // namespace ts
