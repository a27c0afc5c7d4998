#include "providers/responseparser.h"

#include "providers/anthropicparser.h"
#include "providers/geminiparser.h"
#include "providers/jsonutil.h"
#include "providers/ollamaparser.h"
#include "providers/openaiparser.h"
#include "providers/providererror.h"

#include <algorithm>

namespace ts {

ResponseParser::ResponseParser(ProviderKind kind, bool stream)
    : m_kind(kind)
    , m_stream(stream)
{
}

ResponseParser::~ResponseParser() = default;

void ResponseParser::feed(QByteArrayView bytes)
{
    if (m_finished || bytes.isEmpty())
        return;
    if (m_stream)
        feedStream(bytes);
    else
        m_body.append(bytes.data(), bytes.size());
}

void ResponseParser::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_stream)
        finishStream();
    else
        parseBufferedBody();
    if (!m_r.complete && !m_r.error)
        m_r.incomplete = true;
}

void ResponseParser::parseBufferedBody()
{
    const QByteArray body = std::exchange(m_body, QByteArray());
    const auto j = jsonutil::parse(std::string_view(body.constData(), size_t(body.size())));
    if (j.is_discarded()) {
        if (body.trimmed().isEmpty())
            return; // nothing arrived: incomplete, not a protocol error
        // A cut-off body is incomplete; anything else is a server we do not understand.
        if (!body.trimmed().startsWith('{') && !body.trimmed().startsWith('['))
            setProtocolError(QStringLiteral("The server sent a response that is not JSON."));
        return;
    }
    if (takeErrorFrom(j))
        return;
    handleCompleteBody(j);
}

ChatChoice &ResponseParser::choice(int index)
{
    auto it = std::find_if(m_r.choices.begin(), m_r.choices.end(),
                           [index](const ChatChoice &c) { return c.index == index; });
    if (it != m_r.choices.end())
        return *it;
    // Keep choices ordered by index so that choices[0] is choice 0 whenever it exists.
    auto pos = std::find_if(m_r.choices.begin(), m_r.choices.end(),
                            [index](const ChatChoice &c) { return c.index > index; });
    ChatChoice c;
    c.index = index;
    return *m_r.choices.insert(pos, c);
}

void ResponseParser::appendText(int choiceIndex, QStringView text)
{
    if (text.isEmpty())
        return;
    choice(choiceIndex).text.append(text);
    if (choiceIndex == 0)
        m_delta.text.append(text);
}

void ResponseParser::appendReasoning(int choiceIndex, QStringView text)
{
    if (text.isEmpty())
        return;
    choice(choiceIndex).reasoning.append(text);
    if (choiceIndex == 0)
        m_delta.reasoning.append(text);
}

void ResponseParser::appendRefusal(int choiceIndex, QStringView text)
{
    if (!text.isEmpty())
        choice(choiceIndex).refusal.append(text);
}

void ResponseParser::setFinishReason(int choiceIndex, const QString &native)
{
    if (!native.isEmpty()) // "" is what old Ollama /v1 sends instead of null
        choice(choiceIndex).finishReason = native;
}

ToolCall &ResponseParser::toolCall(int choiceIndex, int toolIndex)
{
    ChatChoice &c = choice(choiceIndex);
    for (ToolCall &t : c.toolCalls) {
        if (t.index == toolIndex)
            return t;
    }
    auto pos = std::find_if(c.toolCalls.begin(), c.toolCalls.end(),
                            [toolIndex](const ToolCall &t) { return t.index > toolIndex; });
    ToolCall t;
    t.index = toolIndex;
    markToolCallsChanged(choiceIndex);
    return *c.toolCalls.insert(pos, t);
}

void ResponseParser::markToolCallsChanged(int choiceIndex)
{
    if (choiceIndex == 0)
        m_delta.toolCallsChanged = true;
}

void ResponseParser::setError(ProviderError error)
{
    if (!m_r.error) // the first error is the cause; later ones are consequences
        m_r.error = std::move(error);
}

bool ResponseParser::takeErrorFrom(const nlohmann::json &json)
{
    auto e = errorFromJson(m_kind, 0, json);
    if (!e)
        return false;
    setError(std::move(*e));
    return true;
}

void ResponseParser::setProtocolError(const QString &message)
{
    ProviderError e;
    e.provider = m_kind;
    e.type = QStringLiteral("protocol_error");
    e.message = message;
    e.category = ErrorCode::Protocol;
    setError(std::move(e));
}

void ResponseParser::appendLogProbs(int choiceIndex, const nlohmann::json &entries, const char *key)
{
    if (!entries.is_array())
        return;
    ChatChoice &c = choice(choiceIndex);
    if (!c.logProbs)
        c.logProbs = QList<double>();
    for (const nlohmann::json &e : entries) {
        const nlohmann::json *v = jsonutil::member(e, key);
        if (v && v->is_number())
            c.logProbs->append(v->get<double>());
    }
}

ChatResult ResponseParser::result() const
{
    ChatResult r = m_r;
    for (ChatChoice &c : r.choices) {
        for (ToolCall &t : c.toolCalls) {
            if (t.argumentsJson.is_null() && !t.arguments.trimmed().isEmpty()) {
                const QByteArray raw = t.arguments.toUtf8();
                auto j = jsonutil::parse(std::string_view(raw.constData(), size_t(raw.size())));
                if (!j.is_discarded())
                    t.argumentsJson = std::move(j);
            }
        }
        if (!c.finishReason.isEmpty()) {
            c.finish = normalizeFinishReason(m_kind, c.finishReason);
            // Gemini and Ollama have no separate tool-call reason: they stop normally.
            if (c.finish == FinishReason::Stop && !c.toolCalls.isEmpty())
                c.finish = FinishReason::ToolCalls;
        } else if (r.error) {
            c.finish = FinishReason::Error;
        } else if (r.incomplete) {
            c.finish = FinishReason::Incomplete;
        }
    }
    if (!r.choices.isEmpty() && r.choices.front().index == 0) {
        const ChatChoice &c0 = r.choices.front();
        r.text = c0.text;
        r.reasoning = c0.reasoning;
        r.refusal = c0.refusal;
        r.finishReason = c0.finishReason;
        r.finish = c0.finish;
        r.toolCalls = c0.toolCalls;
        r.logProbs = c0.logProbs;
    }
    if (r.error && r.finishReason.isEmpty())
        r.finish = FinishReason::Error;
    else if (r.incomplete && r.finishReason.isEmpty())
        r.finish = FinishReason::Incomplete;
    if (!r.totalTokens && r.inputTokens && r.outputTokens)
        r.totalTokens = *r.inputTokens + *r.outputTokens;
    return r;
}

StreamDelta ResponseParser::takeDelta()
{
    return std::exchange(m_delta, StreamDelta());
}

std::unique_ptr<ResponseParser> makeResponseParser(ProviderKind kind, bool stream)
{
    switch (kind) {
    case ProviderKind::OpenAI:
        return std::make_unique<OpenAIResponseParser>(stream);
    case ProviderKind::Anthropic:
        return std::make_unique<AnthropicResponseParser>(stream);
    case ProviderKind::Gemini:
        return std::make_unique<GeminiResponseParser>(stream);
    case ProviderKind::Ollama:
        return std::make_unique<OllamaResponseParser>(stream);
    }
    return std::make_unique<OpenAIResponseParser>(stream);
}

ChatResult parseChatResponse(ProviderKind kind, bool stream, QByteArrayView body)
{
    auto parser = makeResponseParser(kind, stream);
    parser->feed(body);
    parser->finish();
    return parser->result();
}

} // namespace ts
