#pragma once

#include "common/error.h"
#include "providers/chatresult.h"

#include <QMetaType>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// How a generation ended, as stored in generations.status.
enum class GenerationStatus { Ok, Error, Cancelled, Incomplete };

QString generationStatusName(GenerationStatus status);
GenerationStatus parseGenerationStatus(const QString &name);

/// One model answer with everything needed to trace it: the request as sent, the output, timing,
/// tokens, cost, error and whether it came from the cache.
struct Generation
{
    qint64 id = 0;
    qint64 runId = 0;
    std::optional<qint64> testCaseId;
    int sampleIndex = 0;
    nlohmann::json variables = nlohmann::json::object();
    nlohmann::json request = nlohmann::json::object(); ///< provider, url, model, body (no key)
    QString output;
    QString reasoning;
    nlohmann::json toolCalls = nlohmann::json::array();
    /// Log probability of each output token when the request asked for them and the provider
    /// sent them. Stored (without a column of its own) in `request` under "response_logprobs"
    /// beside the request as sent, and read back from there.
    std::optional<QList<double>> logProbs;
    QString finishReason;           ///< the provider's own value
    FinishReason finish = FinishReason::Unknown;
    GenerationStatus status = GenerationStatus::Ok;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> ttftMs;
    std::optional<double> latencyMs;
    std::optional<double> cost;
    std::optional<Error> error;
    bool cacheHit = false;
    QString cacheKey;
    QString createdAt;

    bool ok() const { return status == GenerationStatus::Ok; }
    /// Output tokens per second after the first token, when measurable.
    std::optional<double> tokensPerSecond() const;
    nlohmann::json toJson() const;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::Generation)
