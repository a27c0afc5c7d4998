#include "providers/openaiparser.h"

#include "providers/jsonutil.h"

namespace ts {

using jsonutil::json;
using jsonutil::member;
using jsonutil::str;

namespace {

QString textOf(const json &j, const char *key)
{
    const json *v = member(j, key);
    if (!v)
        return {};
    if (v->is_string())
        return jsonutil::toQString(v->get_ref<const std::string &>());
    if (v->is_array()) {
        // Some servers answer with content parts: [{"type":"text","text":"..."}].
        QString out;
        for (const auto &part : *v) {
            if (part.is_string())
                out += jsonutil::toQString(part.get_ref<const std::string &>());
            else
                out += str(part, "text");
        }
        return out;
    }
    return {};
}

} // namespace

OpenAIResponseParser::OpenAIResponseParser(bool stream)
    : SseResponseParser(ProviderKind::OpenAI, stream, /*lenientEofFlush=*/false)
{
}

void OpenAIResponseParser::handleNonJsonEvent(const SseEvent &event)
{
    if (event.data.trimmed() == "[DONE]") {
        m_r.doneSentinel = true;
        m_r.complete = true;
    }
}

void OpenAIResponseParser::handleEvent(const SseEvent &event, const json &data)
{
    // OpenRouter and others may name error events; any truthy top-level error is one.
    if (takeErrorFrom(data))
        return;
    if (event.type == "error" && data.is_object()) {
        setProtocolError(str(data, "message").isEmpty() ? jsonutil::toQString(data.dump())
                                                        : str(data, "message"));
        return;
    }
    handleEnvelope(data);
    if (const json *choices = member(data, "choices"); choices && choices->is_array()) {
        int position = 0;
        for (const auto &c : *choices)
            handleChoice(c, position++, /*streamed=*/true);
    }
}

void OpenAIResponseParser::handleEnvelope(const json &chunk)
{
    if (m_r.responseId.isEmpty())
        m_r.responseId = str(chunk, "id");
    if (const QString model = str(chunk, "model"); !model.isEmpty())
        m_r.model = model;
    if (const json *fp = member(chunk, "system_fingerprint"); fp && fp->is_string())
        m_r.metadata["system_fingerprint"] = *fp;
    if (const json *usage = member(chunk, "usage"); usage && usage->is_object()) {
        // Usage is cumulative (vLLM sends it on every chunk): the last one wins.
        if (auto v = jsonutil::optInt(*usage, "prompt_tokens"))
            m_r.inputTokens = v;
        if (auto v = jsonutil::optInt(*usage, "completion_tokens"))
            m_r.outputTokens = v;
        if (auto v = jsonutil::optInt(*usage, "total_tokens"))
            m_r.totalTokens = v;
        if (const json *d = member(*usage, "completion_tokens_details"))
            if (auto v = jsonutil::optInt(*d, "reasoning_tokens"))
                m_r.reasoningTokens = v;
        if (const json *d = member(*usage, "prompt_tokens_details"))
            if (auto v = jsonutil::optInt(*d, "cached_tokens"))
                m_r.cachedInputTokens = v;
    }
    if (const json *timings = member(chunk, "timings"); timings && timings->is_object())
        m_r.metadata["timings"] = *timings; // llama.cpp, non-standard
}

void OpenAIResponseParser::handleChoice(const json &c, int position, bool streamed)
{
    if (!c.is_object())
        return;
    const int index = jsonutil::optInt(c, "index").value_or(position);
    const json *delta = member(c, streamed ? "delta" : "message");
    if (!delta && streamed)
        delta = member(c, "message"); // some servers send whole messages in chunks
    if (delta && delta->is_object()) {
        choice(index); // a choice with only a role still exists
        appendText(index, textOf(*delta, "content"));
        appendReasoning(index, textOf(*delta, "reasoning_content"));
        appendReasoning(index, textOf(*delta, "reasoning"));
        appendRefusal(index, textOf(*delta, "refusal"));
        if (const json *calls = member(*delta, "tool_calls"); calls && calls->is_array())
            handleToolCalls(index, *calls);
    }
    if (const json *text = member(c, "text"); text && text->is_string())
        appendText(index, jsonutil::toQString(text->get_ref<const std::string &>()));
    // Token log probabilities: {"logprobs": {"content": [{"token", "logprob", ...}]}}, whole or
    // a few tokens per chunk.
    if (const json *lp = member(c, "logprobs"); lp && lp->is_object())
        if (const json *content = member(*lp, "content"))
            appendLogProbs(index, *content, "logprob");
    setFinishReason(index, str(c, "finish_reason"));
    if (const json *sr = member(c, "stop_reason"); sr && !sr->is_null())
        m_r.metadata["stop_reason"] = *sr; // vLLM: the stop string or token that ended it
}

void OpenAIResponseParser::handleToolCalls(int choiceIndex, const json &calls)
{
    int position = 0;
    for (const auto &tc : calls) {
        const int pos = position++;
        if (!tc.is_object())
            continue;
        const int toolIndex = jsonutil::optInt(tc, "index").value_or(pos);
        ToolCall &t = toolCall(choiceIndex, toolIndex);
        if (const QString id = str(tc, "id"); !id.isEmpty())
            t.id = id;
        if (const json *fn = member(tc, "function"); fn && fn->is_object()) {
            if (const QString name = str(*fn, "name"); !name.isEmpty() && t.name.isEmpty())
                t.name = name;
            if (const json *args = member(*fn, "arguments")) {
                if (args->is_string()) {
                    t.arguments += jsonutil::toQString(args->get_ref<const std::string &>());
                } else if (args->is_object()) {
                    t.arguments = jsonutil::toQString(args->dump());
                    t.argumentsJson = *args;
                }
            }
        }
        markToolCallsChanged(choiceIndex);
    }
}

void OpenAIResponseParser::handleCompleteBody(const json &body)
{
    if (!body.is_object())
        return;
    handleEnvelope(body);
    const json *choices = member(body, "choices");
    if (!choices || !choices->is_array()) {
        setProtocolError(QStringLiteral("The response has no \"choices\"."));
        return;
    }
    int position = 0;
    for (const auto &c : *choices)
        handleChoice(c, position++, /*streamed=*/false);
    m_r.complete = true;
}

} // namespace ts
