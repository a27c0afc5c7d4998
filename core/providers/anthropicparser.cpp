#include "providers/anthropicparser.h"

#include "providers/jsonutil.h"

namespace ts {

using jsonutil::json;
using jsonutil::member;
using jsonutil::str;

AnthropicResponseParser::AnthropicResponseParser(bool stream)
    : SseResponseParser(ProviderKind::Anthropic, stream, /*lenientEofFlush=*/false)
{}

void AnthropicResponseParser::readUsage(const json &usage)
{
    if (!usage.is_object())
        return;
    if (auto v = jsonutil::optInt(usage, "input_tokens"))
        m_r.inputTokens = v;
    if (auto v = jsonutil::optInt(usage, "output_tokens"))
        m_r.outputTokens = v;
    if (auto v = jsonutil::optInt(usage, "cache_read_input_tokens"))
        m_r.cachedInputTokens = v;
    if (auto v = jsonutil::optInt(usage, "cache_creation_input_tokens"))
        m_r.metadata["cache_creation_input_tokens"] = *v;
}

void AnthropicResponseParser::startBlock(int blockIndex, const json &block)
{
    const QString type = str(block, "type");
    if (type == QLatin1String("text")) {
        appendText(0, str(block, "text"));
    } else if (type == QLatin1String("thinking")) {
        appendReasoning(0, str(block, "thinking"));
    } else if (type == QLatin1String("tool_use") || type == QLatin1String("server_tool_use")) {
        const int toolIndex = int(m_toolForBlock.size());
        m_toolForBlock.insert(blockIndex, toolIndex);
        ToolCall &t = toolCall(0, toolIndex);
        t.id = str(block, "id");
        t.name = str(block, "name");
        // A non-streaming body carries the whole input; a stream starts with {} and sends
        // the real input as input_json_delta fragments.
        if (const json *input = member(block, "input"); input && input->is_object()
                                                        && !input->empty()) {
            t.arguments = jsonutil::toQString(input->dump());
            t.argumentsJson = *input;
        }
    } else if (type == QLatin1String("redacted_thinking")) {
        m_r.metadata["redacted_thinking"] = true;
    }
}

void AnthropicResponseParser::applyDelta(int blockIndex, const json &delta)
{
    const QString type = str(delta, "type");
    if (type == QLatin1String("text_delta")) {
        appendText(0, str(delta, "text"));
    } else if (type == QLatin1String("thinking_delta")) {
        appendReasoning(0, str(delta, "thinking"));
    } else if (type == QLatin1String("input_json_delta")) {
        const auto it = m_toolForBlock.constFind(blockIndex);
        if (it != m_toolForBlock.constEnd()) {
            toolCall(0, *it).arguments += str(delta, "partial_json");
            markToolCallsChanged(0);
        }
    } else if (type == QLatin1String("signature_delta")) {
        // Needed to send the thinking block back in a later turn.
        const std::string prev = m_r.metadata.value("thinking_signature", std::string());
        m_r.metadata["thinking_signature"] = prev + delta.value("signature", std::string());
    }
}

void AnthropicResponseParser::handleEvent(const SseEvent &event, const json &data)
{
    QString type = QString::fromUtf8(event.type);
    if (type.isEmpty() || type == QLatin1String("message"))
        type = str(data, "type");
    m_r.metadata["event_types"].push_back(type.toStdString());

    if (type == QLatin1String("message_start")) {
        if (const json *msg = member(data, "message")) {
            m_r.responseId = str(*msg, "id");
            m_r.model = str(*msg, "model");
            choice(0);
            if (const json *usage = member(*msg, "usage"))
                readUsage(*usage);
        }
    } else if (type == QLatin1String("content_block_start")) {
        if (const json *block = member(data, "content_block"))
            startBlock(jsonutil::optInt(data, "index").value_or(0), *block);
    } else if (type == QLatin1String("content_block_delta")) {
        if (const json *delta = member(data, "delta"))
            applyDelta(jsonutil::optInt(data, "index").value_or(0), *delta);
    } else if (type == QLatin1String("message_delta")) {
        if (const json *delta = member(data, "delta")) {
            setFinishReason(0, str(*delta, "stop_reason"));
            if (const json *seq = member(*delta, "stop_sequence"); seq && seq->is_string())
                m_r.metadata["stop_sequence"] = *seq;
        }
        if (const json *usage = member(data, "usage"))
            readUsage(*usage);
    } else if (type == QLatin1String("message_stop")) {
        m_r.complete = true;
    } else if (type == QLatin1String("error")) {
        if (!takeErrorFrom(data))
            setProtocolError(QStringLiteral("Anthropic sent an error event without details."));
    }
    // ping, content_block_stop and unknown events carry nothing we need.
}

void AnthropicResponseParser::handleCompleteBody(const json &body)
{
    if (!body.is_object() || str(body, "type") != QLatin1String("message")) {
        setProtocolError(QStringLiteral("The response is not an Anthropic message."));
        return;
    }
    m_r.responseId = str(body, "id");
    m_r.model = str(body, "model");
    choice(0);
    if (const json *content = member(body, "content"); content && content->is_array()) {
        int blockIndex = 0;
        for (const auto &block : *content)
            startBlock(blockIndex++, block);
    }
    setFinishReason(0, str(body, "stop_reason"));
    if (const json *seq = member(body, "stop_sequence"); seq && seq->is_string())
        m_r.metadata["stop_sequence"] = *seq;
    if (const json *usage = member(body, "usage"))
        readUsage(*usage);
    m_r.complete = true;
}

} // namespace ts
