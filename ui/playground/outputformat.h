#pragma once

#include "runs/generation.h"

#include <QString>

#include <optional>

namespace ts {

struct ThemeColors;

/// The output as the playground shows it: JSON pretty-printed in a code block when the whole
/// output is a JSON object or array, otherwise Markdown rendered through cmark (raw HTML in
/// the output is escaped). Tool calls follow the text.
QString outputHtml(const QString &text, const nlohmann::json &toolCalls = nlohmann::json::array());

/// The output pretty-printed when it is a JSON object or array (code fences allowed).
std::optional<QString> prettyJson(const QString &text);

/// "TTFT 312 ms · 48.2 tok/s · 152 in / 420 out · $0.0012 · stop", leaving out what is unknown.
QString metricsLine(const Generation &generation);

/// "Rate limited, retrying in 2 s (attempt 2)" from a network retry notice.
QString retryNote(int attempt, int delayMs, const QString &reason);

} // namespace ts
