#include "providers/geminiparser.h"

#include "providers/jsonutil.h"

namespace ts {

using jsonutil::json;
using jsonutil::member;
using jsonutil::str;

GeminiResponseParser::GeminiResponseParser(bool stream)
    : SseResponseParser(ProviderKind::Gemini, stream, /*lenientEofFlush=*/true)
{
}

void GeminiResponseParser::handleEvent(const SseEvent &, const json &data)
{
    if (takeErrorFrom(data))
        return;
    handleResponse(data);
}

void GeminiResponseParser::handleCompleteBody(const json &body)
{
    // Without alt=sse the stream is one JSON array of responses.
    if (body.is_array()) {
        for (const auto &r : body) {
            if (!takeErrorFrom(r))
                handleResponse(r);
        }
        return;
    }
    handleResponse(body);
    if (!m_r.complete && !member(body, "candidates") && !member(body, "promptFeedback"))
        setProtocolError(QStringLiteral("The response has no \"candidates\"."));
}

void GeminiResponseParser::handleResponse(const json &response)
{
    if (!response.is_object())
        return;
    if (const QString v = str(response, "modelVersion"); !v.isEmpty())
        m_r.model = v;
    if (const QString id = str(response, "responseId"); !id.isEmpty())
        m_r.responseId = id;
    if (const json *usage = member(response, "usageMetadata"); usage && usage->is_object()) {
        if (auto v = jsonutil::optInt(*usage, "promptTokenCount"))
            m_r.inputTokens = v;
        if (auto v = jsonutil::optInt(*usage, "candidatesTokenCount"))
            m_r.outputTokens = v;
        if (auto v = jsonutil::optInt(*usage, "totalTokenCount"))
            m_r.totalTokens = v;
        if (auto v = jsonutil::optInt(*usage, "thoughtsTokenCount"))
            m_r.reasoningTokens = v;
        if (auto v = jsonutil::optInt(*usage, "cachedContentTokenCount"))
            m_r.cachedInputTokens = v;
    }
    if (const json *fb = member(response, "promptFeedback"); fb && fb->is_object()) {
        m_r.metadata["promptFeedback"] = *fb;
        if (const QString reason = str(*fb, "blockReason"); !reason.isEmpty()) {
            setFinishReason(0, reason);
            m_r.complete = true;
        }
    }
    const json *candidates = member(response, "candidates");
    if (!candidates || !candidates->is_array())
        return;
    int position = 0;
    for (const auto &cand : *candidates) {
        const int index = jsonutil::optInt(cand, "index").value_or(position);
        ++position;
        choice(index);
        if (const json *content = member(cand, "content")) {
            if (const json *parts = member(*content, "parts"); parts && parts->is_array()) {
                for (const auto &part : *parts) {
                    if (const json *fc = member(part, "functionCall"); fc && fc->is_object()) {
                        ToolCall &t = toolCall(index, int(choice(index).toolCalls.size()));
                        t.id = str(*fc, "id");
                        t.name = str(*fc, "name");
                        const json args = fc->value("args", json::object());
                        t.arguments = jsonutil::toQString(args.dump());
                        t.argumentsJson = args;
                        if (const json *sig = member(part, "thoughtSignature"))
                            m_r.metadata["thought_signature"] = *sig;
                        continue;
                    }
                    if (jsonutil::isTrue(part, "thought"))
                        appendReasoning(index, str(part, "text"));
                    else
                        appendText(index, str(part, "text"));
                }
            }
        }
        // responseLogprobs: {"logprobsResult": {"chosenCandidates": [{"token",
        // "logProbability"}], "topCandidates": [...]}} (per streamed chunk, or whole).
        if (const json *lp = member(cand, "logprobsResult"); lp && lp->is_object())
            if (const json *chosen = member(*lp, "chosenCandidates"))
                appendLogProbs(index, *chosen, "logProbability");
        if (const QString reason = str(cand, "finishReason"); !reason.isEmpty()) {
            setFinishReason(index, reason);
            if (index == 0)
                m_r.complete = true;
        }
    }
}

} // namespace ts
