#pragma once

#include "logs/logformat.h"

namespace ts {

/// OpenTelemetry-based formats: OTLP/JSON traces (GenAI conventions in every shape), OTLP/JSON
/// logs holding GenAI events (auxiliary), OpenInference spans and Phoenix's span export.
QList<LogFormat> otelLogFormats();

} // namespace ts
