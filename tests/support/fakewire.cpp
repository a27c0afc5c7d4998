#include "fakewire.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <cmath>

namespace ts::test {

namespace {

using Json = nlohmann::ordered_json;

constexpr qint64 created = 1730000000;
const char *const createdAt = "2025-01-01T00:00:00.000000000Z";

std::string str(const QString &text)
{
    return text.toStdString();
}

QByteArray bytes(const Json &json)
{
    return QByteArray::fromStdString(json.dump());
}

quint32 fnv1a(const QString &text)
{
    quint32 hash = 2166136261u;
    for (const char byte : text.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return hash;
}

void gatherText(const Json &node, QStringList &out)
{
    if (node.is_string()) {
        out << QString::fromStdString(node.get<std::string>());
    } else if (node.is_array()) {
        for (const Json &item : node)
            gatherText(item, out);
    } else if (node.is_object()) {
        if (node.contains("text") && node["text"].is_string())
            out << QString::fromStdString(node["text"].get<std::string>());
        else if (node.contains("content"))
            gatherText(node["content"], out);
        else if (node.contains("parts"))
            gatherText(node["parts"], out);
    }
}

QString textOf(const Json &node)
{
    QStringList parts;
    gatherText(node, parts);
    return parts.join(QLatin1Char(' '));
}

int intAt(const Json &object, const char *key, int fallback)
{
    if (object.is_object() && object.contains(key) && object[key].is_number_integer())
        return object[key].get<int>();
    return fallback;
}

QByteArray sse(const Json &data, bool crlf = false)
{
    const QByteArray end = crlf ? "\r\n\r\n" : "\n\n";
    return "data: " + bytes(data) + end;
}

QByteArray namedEvent(const char *name, const Json &data)
{
    return QByteArray("event: ") + name + "\ndata: " + bytes(data) + "\n\n";
}

QString finishReason(FakeApi api, bool truncated)
{
    switch (api) {
    case FakeApi::OpenAi:
    case FakeApi::Ollama:
        return truncated ? QStringLiteral("length") : QStringLiteral("stop");
    case FakeApi::Anthropic:
        return truncated ? QStringLiteral("max_tokens") : QStringLiteral("end_turn");
    case FakeApi::Gemini:
        return truncated ? QStringLiteral("MAX_TOKENS") : QStringLiteral("STOP");
    }
    return {};
}

// The streaming vocabulary of one API.
struct StreamContext
{
    const FakeChat &chat;
    QString id;
    int outputTokens = 0;
    bool truncated = false;

    /// Token i's log probability entry in the API's shape; null when none was asked for.
    Json logProbEntry(int i, const QString &text) const
    {
        if (chat.logProbs.isEmpty())
            return nullptr;
        const double lp = chat.logProbs.at(i % chat.logProbs.size());
        if (chat.api == FakeApi::Gemini)
            return {{"token", str(text)}, {"logProbability", lp}};
        Json byteList = Json::array();
        for (const char b : text.toUtf8())
            byteList.push_back(int(quint8(b)));
        return {{"token", str(text)},
                {"logprob", lp},
                {"bytes", byteList},
                {"top_logprobs", Json::array()}};
    }
    Json logProbList(const QStringList &tokens, int first) const
    {
        Json list = Json::array();
        for (int i = 0; i < tokens.size(); ++i)
            list.push_back(logProbEntry(first + i, tokens.at(i)));
        return list;
    }

    Json openAiChunk(Json delta, const Json &finish, const Json &logprobs = nullptr) const
    {
        Json chunk = {{"id", str(id)},
                      {"object", "chat.completion.chunk"},
                      {"created", created},
                      {"model", str(chat.model)},
                      {"system_fingerprint", "fp_fake"},
                      {"choices",
                       Json::array({{{"index", 0},
                                     {"delta", std::move(delta)},
                                     {"logprobs", logprobs},
                                     {"finish_reason", finish}}})}};
        if (chat.includeUsage)
            chunk["usage"] = nullptr;
        return chunk;
    }
    Json geminiChunk(const QString &text, bool last, const Json &chosen = nullptr) const
    {
        Json candidate
            = {{"content", {{"parts", Json::array({{{"text", str(text)}}})}, {"role", "model"}}}};
        if (chosen.is_array())
            candidate["logprobsResult"]
                = {{"topCandidates", Json::array()}, {"chosenCandidates", chosen}};
        Json usage
            = {{"promptTokenCount", chat.inputTokens}, {"totalTokenCount", chat.inputTokens}};
        if (last) {
            candidate["finishReason"] = str(finishReason(FakeApi::Gemini, truncated));
            usage = {{"promptTokenCount", chat.inputTokens},
                     {"candidatesTokenCount", outputTokens},
                     {"totalTokenCount", chat.inputTokens + outputTokens}};
        }
        return {{"candidates", Json::array({candidate})},
                {"usageMetadata", usage},
                {"modelVersion", str(chat.model)},
                {"responseId", str(id)}};
    }

    QList<QByteArray> preamble() const
    {
        switch (chat.api) {
        case FakeApi::OpenAi:
            return {sse(openAiChunk({{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}},
                                    nullptr))};
        case FakeApi::Anthropic: {
            const Json message
                = {{"id", str(id)},
                   {"type", "message"},
                   {"role", "assistant"},
                   {"content", Json::array()},
                   {"model", str(chat.model)},
                   {"stop_reason", nullptr},
                   {"stop_sequence", nullptr},
                   {"usage", {{"input_tokens", chat.inputTokens}, {"output_tokens", 1}}}};
            return {namedEvent("message_start", {{"type", "message_start"}, {"message", message}}),
                    namedEvent("content_block_start",
                               {{"type", "content_block_start"},
                                {"index", 0},
                                {"content_block", {{"type", "text"}, {"text", ""}}}}),
                    namedEvent("ping", {{"type", "ping"}})};
        }
        case FakeApi::Gemini:
        case FakeApi::Ollama:
            return {};
        }
        return {};
    }

    QByteArray token(int index, const QString &text, bool last) const
    {
        const Json lp = logProbEntry(index, text);
        switch (chat.api) {
        case FakeApi::OpenAi:
            return sse(openAiChunk({{"content", str(text)}}, nullptr,
                                   lp.is_null() ? Json() : Json {{"content", Json::array({lp})}}));
        case FakeApi::Anthropic:
            return namedEvent("content_block_delta",
                              {{"type", "content_block_delta"},
                               {"index", 0},
                               {"delta", {{"type", "text_delta"}, {"text", str(text)}}}});
        case FakeApi::Gemini:
            return sse(geminiChunk(text, last, lp.is_null() ? Json() : Json::array({lp})), true);
        case FakeApi::Ollama: {
            Json chunk = {{"model", str(chat.model)},
                          {"created_at", createdAt},
                          {"message", {{"role", "assistant"}, {"content", str(text)}}},
                          {"done", false}};
            if (!lp.is_null())
                chunk["logprobs"] = Json::array({lp});
            return bytes(chunk) + '\n';
        }
        }
        return {};
    }

    QList<QByteArray> closing() const
    {
        const std::string reason = str(finishReason(chat.api, truncated));
        switch (chat.api) {
        case FakeApi::OpenAi: {
            QList<QByteArray> out {sse(openAiChunk(Json::object(), reason))};
            if (chat.includeUsage) {
                Json usage = openAiChunk(Json::object(), nullptr);
                usage["choices"] = Json::array();
                usage["usage"] = {{"prompt_tokens", chat.inputTokens},
                                  {"completion_tokens", outputTokens},
                                  {"total_tokens", chat.inputTokens + outputTokens}};
                out << sse(usage);
            }
            out << QByteArray("data: [DONE]\n\n");
            return out;
        }
        case FakeApi::Anthropic:
            return {
                namedEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}),
                namedEvent("message_delta",
                           {{"type", "message_delta"},
                            {"delta", {{"stop_reason", reason}, {"stop_sequence", nullptr}}},
                            {"usage", {{"output_tokens", outputTokens}}}}),
                namedEvent("message_stop", {{"type", "message_stop"}})};
        case FakeApi::Gemini:
            return {};
        case FakeApi::Ollama:
            return {bytes({{"model", str(chat.model)},
                           {"created_at", createdAt},
                           {"message", {{"role", "assistant"}, {"content", ""}}},
                           {"done_reason", reason},
                           {"done", true},
                           {"total_duration", 1000000 * (outputTokens + 1)},
                           {"load_duration", 1000000},
                           {"prompt_eval_count", chat.inputTokens},
                           {"prompt_eval_duration", 1000000},
                           {"eval_count", outputTokens},
                           {"eval_duration", 1000000 * outputTokens}})
                    + '\n'};
        }
        return {};
    }

    QByteArray error() const
    {
        switch (chat.api) {
        case FakeApi::OpenAi:
            return sse({{"error",
                         {{"message",
                           "The server had an error while processing your "
                           "request. Sorry about that!"},
                          {"type", "server_error"},
                          {"param", nullptr},
                          {"code", nullptr}}}});
        case FakeApi::Anthropic:
            return namedEvent(
                "error",
                {{"type", "error"},
                 {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}});
        case FakeApi::Gemini:
            return sse({{"error",
                         {{"code", 503},
                          {"message", "The model is overloaded. Please try again later."},
                          {"status", "UNAVAILABLE"}}}},
                       true);
        case FakeApi::Ollama:
            return bytes({{"error",
                           "an error was encountered while running the model: "
                           "unexpected EOF"}})
                + '\n';
        }
        return {};
    }

    QByteArray fullBody(const QStringList &tokens) const
    {
        const QString text = tokens.join(QString());
        const Json lps = chat.logProbs.isEmpty() ? Json() : logProbList(tokens, 0);
        const std::string reason = str(finishReason(chat.api, truncated));
        switch (chat.api) {
        case FakeApi::OpenAi:
            return bytes(
                {{"id", str(id)},
                 {"object", "chat.completion"},
                 {"created", created},
                 {"model", str(chat.model)},
                 {"choices",
                  Json::array(
                      {{{"index", 0},
                        {"message",
                         {{"role", "assistant"}, {"content", str(text)}, {"refusal", nullptr}}},
                        {"logprobs", lps.is_null() ? Json() : Json {{"content", lps}}},
                        {"finish_reason", reason}}})},
                 {"usage",
                  {{"prompt_tokens", chat.inputTokens},
                   {"completion_tokens", outputTokens},
                   {"total_tokens", chat.inputTokens + outputTokens}}},
                 {"system_fingerprint", "fp_fake"}});
        case FakeApi::Anthropic:
            return bytes(
                {{"id", str(id)},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", str(chat.model)},
                 {"content", Json::array({{{"type", "text"}, {"text", str(text)}}})},
                 {"stop_reason", reason},
                 {"stop_sequence", nullptr},
                 {"usage", {{"input_tokens", chat.inputTokens}, {"output_tokens", outputTokens}}}});
        case FakeApi::Gemini: {
            Json whole = geminiChunk(text, true, lps);
            whole["candidates"][0]["index"] = 0;
            return bytes(whole);
        }
        case FakeApi::Ollama: {
            Json body = {{"model", str(chat.model)},
                         {"created_at", createdAt},
                         {"message", {{"role", "assistant"}, {"content", str(text)}}},
                         {"done_reason", reason},
                         {"done", true},
                         {"total_duration", 1000000 * (outputTokens + 1)},
                         {"load_duration", 1000000},
                         {"prompt_eval_count", chat.inputTokens},
                         {"prompt_eval_duration", 1000000},
                         {"eval_count", outputTokens},
                         {"eval_duration", 1000000 * outputTokens}};
            if (!lps.is_null())
                body["logprobs"] = lps;
            return bytes(body);
        }
        }
        return {};
    }
};

QByteArray contentType(FakeApi api, bool stream)
{
    if (!stream)
        return "application/json";
    return api == FakeApi::Ollama ? "application/x-ndjson" : "text/event-stream";
}

} // namespace

int fakeWordCount(const QString &text)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    return int(text.split(space, Qt::SkipEmptyParts).size());
}

std::optional<FakeChat> parseFakeChat(FakeApi api, const QByteArray &body, const QString &pathModel)
{
    const Json json = Json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (!json.is_object())
        return std::nullopt;
    FakeChat chat;
    chat.api = api;
    chat.model = pathModel;
    if (json.contains("model") && json["model"].is_string())
        chat.model = QString::fromStdString(json["model"].get<std::string>());
    if (chat.model.isEmpty())
        return std::nullopt;
    const char *listKey = api == FakeApi::Gemini ? "contents" : "messages";
    QStringList everything;
    if (json.contains("system"))
        everything << textOf(json["system"]);
    if (json.contains("systemInstruction"))
        everything << textOf(json["systemInstruction"]);
    if (json.contains(listKey) && json[listKey].is_array()) {
        for (const Json &message : json[listKey]) {
            const QString text = textOf(message);
            everything << text;
            const std::string role = message.value("role", std::string("user"));
            if (role == "user")
                chat.prompt = text;
        }
    }
    chat.inputTokens = fakeWordCount(everything.join(QLatin1Char(' ')));
    chat.stream = json.value("stream", api == FakeApi::Ollama);
    const auto isTrue = [](const Json &object, const char *key) {
        return object.is_object() && object.contains(key) && object[key].is_boolean()
            && object[key].get<bool>();
    };
    chat.wantsLogProbs = api == FakeApi::Gemini
        ? json.contains("generationConfig") && isTrue(json["generationConfig"], "responseLogprobs")
        : api != FakeApi::Anthropic && isTrue(json, "logprobs");
    switch (api) {
    case FakeApi::OpenAi:
        chat.maxTokens = intAt(json, "max_completion_tokens", intAt(json, "max_tokens", -1));
        chat.includeUsage = json.contains("stream_options")
            && json["stream_options"].value("include_usage", false);
        break;
    case FakeApi::Anthropic:
        chat.maxTokens = intAt(json, "max_tokens", -1);
        break;
    case FakeApi::Gemini:
        if (json.contains("generationConfig"))
            chat.maxTokens = intAt(json["generationConfig"], "maxOutputTokens", -1);
        break;
    case FakeApi::Ollama:
        if (json.contains("options"))
            chat.maxTokens = intAt(json["options"], "num_predict", -1);
        break;
    }
    return chat;
}

QStringList fakeAnswerTokens(const QString &model, const QString &prompt, int count)
{
    static const QStringList filler
        = {QStringLiteral("alpha"),  QStringLiteral("bravo"),    QStringLiteral("charlie"),
           QStringLiteral("delta"),  QStringLiteral("echo"),     QStringLiteral("foxtrot"),
           QStringLiteral("golf"),   QStringLiteral("hotel"),    QStringLiteral("india"),
           QStringLiteral("juliet"), QStringLiteral("kilo"),     QStringLiteral("lima"),
           QStringLiteral("mike"),   QStringLiteral("november"), QStringLiteral("oscar"),
           QStringLiteral("papa")};
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QStringList words = prompt.split(space, Qt::SkipEmptyParts);
    const quint32 seed = fnv1a(model + QLatin1Char('\n') + prompt);
    QStringList tokens;
    for (int i = 0; i < count; ++i) {
        QString word;
        if (i == 0)
            word = QStringLiteral("Echo:");
        else if (i <= words.size() && i <= count / 2)
            word = words.at(i - 1);
        else
            word = filler.at(int((seed + quint32(i) * 2654435761u) % quint32(filler.size())));
        tokens << (i == 0 ? word : QLatin1Char(' ') + word);
    }
    return tokens;
}

FakeReply fakeChatReply(const FakeChat &chat, const FakeBehavior &behavior, int outputTokens,
                        int latencyMs, double tokensPerSec)
{
    FakeReply reply;
    reply.model = chat.model;
    int count = std::max(outputTokens, 0);
    bool truncated = false;
    if (chat.maxTokens >= 0 && chat.maxTokens < count) {
        count = chat.maxTokens;
        truncated = true;
    }
    const QStringList tokens = fakeAnswerTokens(chat.model, chat.prompt, count);
    StreamContext context {chat, QStringLiteral("fake-%1").arg(fnv1a(chat.model + chat.prompt)),
                           count, truncated};
    reply.headers.emplaceBack("content-type", contentType(chat.api, chat.stream && chat.sse));
    const int interval = behavior.fault == FakeFault::Trickle
        ? behavior.trickleMs
        : (tokensPerSec > 0 ? int(std::lround(1000.0 / tokensPerSec)) : 0);

    if (!chat.stream) {
        QByteArray body = context.fullBody(tokens);
        switch (behavior.fault) {
        case FakeFault::Drop:
        case FakeFault::Stall:
            reply.cutAt = body.size() / 2;
            reply.end
                = behavior.fault == FakeFault::Drop ? FakeReply::End::Drop : FakeReply::End::Stall;
            break;
        case FakeFault::Truncate:
            body.truncate(body.size() / 2);
            break;
        default:
            break;
        }
        reply.pieces.append({latencyMs + interval * std::max(count - 1, 0), body});
        return reply;
    }
    if (!chat.sse) {
        // Gemini streamGenerateContent without alt=sse: one JSON array of the chunks.
        Json array = Json::array();
        for (int i = 0; i < tokens.size(); ++i)
            array.push_back(context.geminiChunk(
                tokens.at(i), i + 1 == tokens.size(),
                chat.logProbs.isEmpty() ? Json()
                                        : Json::array({context.logProbEntry(i, tokens.at(i))})));
        reply.pieces.append({latencyMs, bytes(array)});
        return reply;
    }
    reply.streamed = true;
    for (const QByteArray &piece : context.preamble())
        reply.pieces.append({0, piece});
    const bool cuts = behavior.fault == FakeFault::Drop || behavior.fault == FakeFault::Stall
        || behavior.fault == FakeFault::StreamError || behavior.fault == FakeFault::Truncate;
    const int sent
        = cuts ? std::min<int>(behavior.afterTokens, int(tokens.size())) : int(tokens.size());
    for (int i = 0; i < sent; ++i) {
        const bool last = !cuts && i + 1 == tokens.size();
        reply.pieces.append({i == 0 ? latencyMs : interval, context.token(i, tokens.at(i), last)});
    }
    if (tokens.isEmpty() && chat.api == FakeApi::Gemini && !cuts)
        reply.pieces.append({latencyMs, context.token(0, QString(), true)});
    switch (behavior.fault) {
    case FakeFault::Drop:
        reply.end = FakeReply::End::Drop;
        return reply;
    case FakeFault::Stall:
        reply.end = FakeReply::End::Stall;
        return reply;
    case FakeFault::StreamError:
        reply.pieces.append({interval, context.error()});
        return reply;
    case FakeFault::Truncate:
        return reply; // the stream ends cleanly, without its closing events
    default:
        break;
    }
    for (const QByteArray &piece : context.closing())
        reply.pieces.append({0, piece});
    return reply;
}

} // namespace ts::test
