#include "providers/chatresult.h"

namespace ts {

QString finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop: return QStringLiteral("stop");
    case FinishReason::Length: return QStringLiteral("length");
    case FinishReason::ToolCalls: return QStringLiteral("tool_calls");
    case FinishReason::ContentFilter: return QStringLiteral("content_filter");
    case FinishReason::Refusal: return QStringLiteral("refusal");
    case FinishReason::Error: return QStringLiteral("error");
    case FinishReason::Cancelled: return QStringLiteral("cancelled");
    case FinishReason::Incomplete: return QStringLiteral("incomplete");
    case FinishReason::Unknown: return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

FinishReason normalizeFinishReason(ProviderKind kind, const QString &native)
{
    const QString n = native.trimmed().toLower();
    if (n.isEmpty())
        return FinishReason::Unknown;
    // Values shared by several APIs first, then each provider's own vocabulary.
    if (n == QLatin1String("stop") || n == QLatin1String("end_turn")
        || n == QLatin1String("stop_sequence") || n == QLatin1String("eos")
        || n == QLatin1String("finish_reason_unspecified"))
        return FinishReason::Stop;
    if (n == QLatin1String("length") || n == QLatin1String("max_tokens")
        || n == QLatin1String("model_context_window_exceeded"))
        return FinishReason::Length;
    if (n == QLatin1String("tool_calls") || n == QLatin1String("function_call")
        || n == QLatin1String("tool_use"))
        return FinishReason::ToolCalls;
    if (n == QLatin1String("content_filter"))
        return FinishReason::ContentFilter;
    if (n == QLatin1String("refusal"))
        return FinishReason::Refusal;
    if (kind == ProviderKind::Gemini) {
        static const QStringList filtered{
            QStringLiteral("safety"), QStringLiteral("recitation"), QStringLiteral("blocklist"),
            QStringLiteral("prohibited_content"), QStringLiteral("spii"),
            QStringLiteral("image_safety"), QStringLiteral("language"),
            QStringLiteral("image_prohibited_content"), QStringLiteral("image_recitation")};
        if (filtered.contains(n))
            return FinishReason::ContentFilter;
        if (n == QLatin1String("malformed_function_call")
            || n == QLatin1String("unexpected_tool_call"))
            return FinishReason::Error;
    }
    return FinishReason::Unknown;
}

} // namespace ts
