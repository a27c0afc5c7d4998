#include "logs/formats/otelformats.h"

#include "logs/formats/otlplogs.h"
#include "logs/formats/otlptraces.h"
#include "logs/formats/phoenix.h"

namespace ts {

QList<LogFormat> otelLogFormats()
{
    LogFormat openInference;
    openInference.name = QStringLiteral("openinference");
    openInference.description = QStringLiteral("OpenInference spans in OTLP/JSON (Arize Phoenix)");
    openInference.detect = &looksLikeOpenInferenceTraces;
    // The same reader: it tells OpenInference spans from GenAI ones span by span.
    openInference.read = &readOtlpTracesFile;

    LogFormat traces;
    traces.name = QStringLiteral("otlp");
    traces.description = QStringLiteral("OTLP/JSON traces (OpenTelemetry GenAI)");
    traces.detect = &looksLikeOtlpTraces;
    traces.read = &readOtlpTracesFile;

    LogFormat logs;
    logs.name = QStringLiteral("otlp-logs");
    logs.description = QStringLiteral("OTLP/JSON logs with GenAI events (joined to the traces)");
    logs.detect = &looksLikeOtlpLogs;
    logs.auxiliary = true;
    logs.collect = &collectOtlpLogs;

    LogFormat phoenix;
    phoenix.name = QStringLiteral("phoenix");
    phoenix.description = QStringLiteral("Phoenix span export (JSON Lines)");
    phoenix.detect = &looksLikePhoenixSpans;
    phoenix.read = &readPhoenixFile;

    return {openInference, traces, logs, phoenix};
}

} // namespace ts
