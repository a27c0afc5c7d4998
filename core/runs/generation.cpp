#include "runs/generation.h"

#include "common/json.h"

namespace ts {

QString generationStatusName(GenerationStatus status)
{
    switch (status) {
    case GenerationStatus::Ok: return QStringLiteral("ok");
    case GenerationStatus::Error: return QStringLiteral("error");
    case GenerationStatus::Cancelled: return QStringLiteral("cancelled");
    case GenerationStatus::Incomplete: return QStringLiteral("incomplete");
    }
    return QStringLiteral("error");
}

GenerationStatus parseGenerationStatus(const QString &name)
{
    if (name == QLatin1String("ok"))
        return GenerationStatus::Ok;
    if (name == QLatin1String("cancelled"))
        return GenerationStatus::Cancelled;
    if (name == QLatin1String("incomplete"))
        return GenerationStatus::Incomplete;
    return GenerationStatus::Error;
}

std::optional<double> Generation::tokensPerSecond() const
{
    if (!outputTokens || !latencyMs || !ttftMs || *outputTokens < 2)
        return std::nullopt;
    const double streamingMs = *latencyMs - *ttftMs;
    if (streamingMs <= 0)
        return std::nullopt;
    return double(*outputTokens - 1) * 1000.0 / streamingMs;
}

nlohmann::json Generation::toJson() const
{
    auto opt = [](const auto &v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
    nlohmann::json json = {
        {"id", id},
        {"run_id", runId},
        {"test_case_id", opt(testCaseId)},
        {"sample_index", sampleIndex},
        {"variables", variables},
        {"output", sstr(output)},
        {"reasoning", sstr(reasoning)},
        {"tool_calls", toolCalls},
        {"finish_reason", sstr(finishReason)},
        {"finish", sstr(finishReasonName(finish))},
        {"status", sstr(generationStatusName(status))},
        {"input_tokens", opt(inputTokens)},
        {"output_tokens", opt(outputTokens)},
        {"ttft_ms", opt(ttftMs)},
        {"latency_ms", opt(latencyMs)},
        {"cost", opt(cost)},
        {"cache_hit", cacheHit},
    };
    json["error"] = error ? nlohmann::json{{"type", sstr(errorCodeName(error->code))},
                                           {"message", sstr(error->message)}}
                          : nlohmann::json();
    return json;
}

} // namespace ts
