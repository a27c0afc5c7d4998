#include "providers/ollamaparser.h"

#include "providers/jsonutil.h"

namespace ts {

using jsonutil::json;
using jsonutil::member;
using jsonutil::str;

OllamaResponseParser::OllamaResponseParser(bool stream)
    : ResponseParser(ProviderKind::Ollama, stream)
{
    m_lines.setLineHandler([this](QByteArrayView line) { handleLine(line); });
}

void OllamaResponseParser::feedStream(QByteArrayView bytes)
{
    m_lines.feed(bytes);
}

void OllamaResponseParser::finishStream()
{
    m_lines.finish();
    m_r.incompleteEventDiscardedAtEof = m_lines.incompleteLineDiscarded();
}

void OllamaResponseParser::handleLine(QByteArrayView line)
{
    const auto j = jsonutil::parse(std::string_view(line.data(), size_t(line.size())));
    if (j.is_discarded()) {
        m_r.metadata["malformed_lines"] = m_r.metadata.value("malformed_lines", 0) + 1;
        return;
    }
    if (takeErrorFrom(j))
        return;
    handleCompleteBody(j);
}

void OllamaResponseParser::handleCompleteBody(const json &body)
{
    if (!body.is_object())
        return;
    if (const QString model = str(body, "model"); !model.isEmpty())
        m_r.model = model;
    if (const json *msg = member(body, "message"); msg && msg->is_object()) {
        choice(0);
        appendText(0, str(*msg, "content"));
        appendReasoning(0, str(*msg, "thinking"));
        if (const json *calls = member(*msg, "tool_calls"); calls && calls->is_array()) {
            for (const auto &tc : *calls) {
                const json *fn = member(tc, "function");
                if (!fn || !fn->is_object())
                    continue;
                // Ollama sends each call whole; a per-call index is optional.
                const int idx
                    = jsonutil::optInt(*fn, "index").value_or(int(choice(0).toolCalls.size()));
                ToolCall &t = toolCall(0, idx);
                t.id = str(tc, "id");
                t.name = str(*fn, "name");
                if (const json *args = member(*fn, "arguments")) {
                    if (args->is_string()) {
                        t.arguments = jsonutil::toQString(args->get_ref<const std::string &>());
                    } else {
                        t.arguments = jsonutil::toQString(args->dump());
                        t.argumentsJson = *args;
                    }
                }
                markToolCallsChanged(0);
            }
        }
    }
    // logprobs: true → "logprobs": [{"token", "logprob", "bytes", "top_logprobs"}] beside each
    // chunk's message (Ollama 0.12.11 and later).
    if (const json *lp = member(body, "logprobs"); lp && lp->is_array())
        appendLogProbs(0, *lp, "logprob");
    if (jsonutil::isTrue(body, "done")) {
        choice(0);
        setFinishReason(0, str(body, "done_reason"));
        if (auto v = jsonutil::optInt(body, "prompt_eval_count"))
            m_r.inputTokens = v;
        if (auto v = jsonutil::optInt(body, "eval_count"))
            m_r.outputTokens = v;
        for (const char *key :
             {"total_duration", "load_duration", "prompt_eval_duration", "eval_duration"}) {
            if (auto v = jsonutil::optInt64(body, key))
                m_r.metadata[key] = *v;
        }
        m_r.complete = true;
    }
}

} // namespace ts
