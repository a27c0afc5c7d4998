#include "providers/requestbuilder.h"

#include <QUrl>

#include <cctype>

namespace ts {

using json = nlohmann::json;

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

bool isSystemRole(const QString &role)
{
    return role == QLatin1String("system") || role == QLatin1String("developer");
}

json stopArray(const QStringList &stop)
{
    json arr = json::array();
    for (const QString &st : stop)
        arr.push_back(s(st));
    return arr;
}

bool isJsonMode(const GenerationParams &p)
{
    return p.responseSchema && p.responseSchema->is_string();
}

bool hasSchema(const GenerationParams &p)
{
    return p.responseSchema && p.responseSchema->is_object();
}

// The schema itself, also when given in OpenAI's wrapper {name, schema, strict}.
json plainSchema(const json &schema)
{
    if (auto it = schema.find("schema"); it != schema.end() && it->is_object()
                                         && schema.contains("name"))
        return *it;
    return schema;
}

// OpenAI's strict mode rejects schemas that allow extra properties, so unless the wrapper says
// otherwise, only ask for it when the schema already closes its top-level object.
json openAiResponseFormat(const json &given)
{
    if (auto it = given.find("schema"); it != given.end() && it->is_object()
                                        && given.contains("name"))
        return {{"type", "json_schema"}, {"json_schema", given}};
    std::string name = "response";
    if (auto it = given.find("title"); it != given.end() && it->is_string()) {
        std::string cleaned;
        for (char c : it->get<std::string>()) {
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')
                cleaned += c;
        }
        if (!cleaned.empty())
            name = cleaned.substr(0, 64);
    }
    const bool strict = given.value("additionalProperties", json(true)) == json(false);
    return {{"type", "json_schema"},
            {"json_schema", {{"name", name}, {"schema", given}, {"strict", strict}}}};
}

QString joinPath(const QString &base, const QString &suffixIfMissing, const QString &rest)
{
    if (base.endsWith(suffixIfMissing))
        return base + rest;
    return base + suffixIfMissing + rest;
}

json openAiBody(const ChatRequest &r)
{
    const GenerationParams &p = r.params;
    json messages = json::array();
    for (const ChatMessage &m : r.messages)
        messages.push_back({{"role", s(m.role)}, {"content", s(m.content)}});
    json body = {{"model", s(r.model)}, {"messages", std::move(messages)}, {"stream", r.stream}};
    if (r.stream)
        body["stream_options"] = {{"include_usage", true}};
    if (p.temperature)
        body["temperature"] = *p.temperature;
    if (p.topP)
        body["top_p"] = *p.topP;
    if (p.seed)
        body["seed"] = *p.seed;
    if (p.maxTokens)
        body[usesMaxCompletionTokens(r) ? "max_completion_tokens" : "max_tokens"] = *p.maxTokens;
    if (!p.stop.isEmpty())
        body["stop"] = stopArray(p.stop);
    if (hasSchema(p))
        body["response_format"] = openAiResponseFormat(*p.responseSchema);
    else if (isJsonMode(p))
        body["response_format"] = {{"type", "json_object"}};
    if (p.logprobs)
        body["logprobs"] = true;
    return body;
}

json anthropicBody(const ChatRequest &r)
{
    const GenerationParams &p = r.params;
    json messages = json::array();
    QStringList system;
    for (const ChatMessage &m : r.messages) {
        if (isSystemRole(m.role))
            system << m.content;
        else
            messages.push_back({{"role", s(m.role)}, {"content", s(m.content)}});
    }
    json body = {{"model", s(r.model)},
                 {"messages", std::move(messages)},
                 {"max_tokens", p.maxTokens.value_or(kDefaultAnthropicMaxTokens)}};
    if (!system.isEmpty())
        body["system"] = s(system.join(QStringLiteral("\n\n")));
    if (r.stream)
        body["stream"] = true;
    if (p.temperature)
        body["temperature"] = *p.temperature;
    if (p.topP)
        body["top_p"] = *p.topP;
    if (!p.stop.isEmpty())
        body["stop_sequences"] = stopArray(p.stop);
    if (hasSchema(p))
        body["output_config"] = {{"format", {{"type", "json_schema"}, {"schema", plainSchema(*p.responseSchema)}}}};
    // Anthropic has no seed and no plain JSON mode; both are left out rather than rejected.
    return body;
}

json geminiBody(const ChatRequest &r)
{
    const GenerationParams &p = r.params;
    json contents = json::array();
    json systemParts = json::array();
    for (const ChatMessage &m : r.messages) {
        if (isSystemRole(m.role)) {
            systemParts.push_back({{"text", s(m.content)}});
            continue;
        }
        const std::string role = m.role == QLatin1String("assistant") ? "model" : s(m.role);
        contents.push_back({{"role", role}, {"parts", json::array({{{"text", s(m.content)}}})}});
    }
    json body = {{"contents", std::move(contents)}};
    if (!systemParts.empty())
        body["systemInstruction"] = {{"parts", std::move(systemParts)}};
    json config = json::object();
    if (p.temperature)
        config["temperature"] = *p.temperature;
    if (p.topP)
        config["topP"] = *p.topP;
    if (p.maxTokens)
        config["maxOutputTokens"] = *p.maxTokens;
    if (p.seed)
        config["seed"] = *p.seed;
    if (!p.stop.isEmpty())
        config["stopSequences"] = stopArray(p.stop);
    if (hasSchema(p) || isJsonMode(p))
        config["responseMimeType"] = "application/json";
    if (hasSchema(p))
        config["responseJsonSchema"] = plainSchema(*p.responseSchema);
    if (p.logprobs)
        config["responseLogprobs"] = true;
    if (!config.empty())
        body["generationConfig"] = std::move(config);
    return body;
}

json ollamaBody(const ChatRequest &r)
{
    const GenerationParams &p = r.params;
    json messages = json::array();
    for (const ChatMessage &m : r.messages) {
        const std::string role = m.role == QLatin1String("developer") ? "system" : s(m.role);
        messages.push_back({{"role", role}, {"content", s(m.content)}});
    }
    json body = {{"model", s(r.model)}, {"messages", std::move(messages)}, {"stream", r.stream}};
    json options = json::object();
    if (p.temperature)
        options["temperature"] = *p.temperature;
    if (p.topP)
        options["top_p"] = *p.topP;
    if (p.seed)
        options["seed"] = *p.seed;
    if (p.maxTokens)
        options["num_predict"] = *p.maxTokens;
    if (!p.stop.isEmpty())
        options["stop"] = stopArray(p.stop);
    if (!options.empty())
        body["options"] = std::move(options);
    if (hasSchema(p))
        body["format"] = plainSchema(*p.responseSchema);
    else if (isJsonMode(p))
        body["format"] = "json";
    if (p.logprobs)
        body["logprobs"] = true;
    return body;
}

void addHeader(HttpRequest &spec, const QByteArray &name, const QByteArray &value)
{
    spec.headers.append(std::pair(name, value));
}

} // namespace

QString normalizedBaseUrl(ProviderKind kind, const QString &baseUrl)
{
    QString base = baseUrl.trimmed();
    if (base.isEmpty())
        base = defaultBaseUrl(kind);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

bool usesMaxCompletionTokens(const ChatRequest &request)
{
    switch (request.tokenLimitField) {
    case TokenLimitField::MaxTokens: return false;
    case TokenLimitField::MaxCompletionTokens: return true;
    case TokenLimitField::Auto: break;
    }
    const QUrl url(normalizedBaseUrl(request.kind, request.baseUrl));
    const QString host = url.host().toLower();
    return host == QLatin1String("api.openai.com") || host.endsWith(QLatin1String(".openai.azure.com"));
}

QByteArray chatEndpointUrl(const ChatRequest &r)
{
    const QString base = normalizedBaseUrl(r.kind, r.baseUrl);
    switch (r.kind) {
    case ProviderKind::OpenAI: {
        if (base.endsWith(QLatin1String("/chat/completions")))
            return base.toUtf8();
        // Every compatible server lives under /v1; a bare host almost always means that.
        const QUrl url(base);
        const QString withVersion = url.path().isEmpty() ? base + QStringLiteral("/v1") : base;
        return (withVersion + QStringLiteral("/chat/completions")).toUtf8();
    }
    case ProviderKind::Anthropic:
        return joinPath(base, QStringLiteral("/v1"), QStringLiteral("/messages")).toUtf8();
    case ProviderKind::Gemini: {
        QString model = r.model.trimmed();
        if (!model.contains(QLatin1Char('/')))
            model.prepend(QStringLiteral("models/"));
        const QString method = r.stream ? QStringLiteral(":streamGenerateContent?alt=sse")
                                        : QStringLiteral(":generateContent");
        const QByteArray path = QUrl::toPercentEncoding(model, "/-._~");
        const QString versioned = base.endsWith(QLatin1String("/v1beta"))
                                          || base.endsWith(QLatin1String("/v1"))
                                      ? base
                                      : base + QStringLiteral("/v1beta");
        return versioned.toUtf8() + '/' + path + method.toUtf8();
    }
    case ProviderKind::Ollama:
        return joinPath(base, QStringLiteral("/api"), QStringLiteral("/chat")).toUtf8();
    }
    return {};
}

HttpRequest buildChatRequest(const ChatRequest &request, const QString &apiKey)
{
    HttpRequest spec;
    spec.method = "POST";
    spec.url = chatEndpointUrl(request);
    addHeader(spec, "Content-Type", "application/json");
    const QByteArray key = apiKey.trimmed().toUtf8();
    json body;
    switch (request.kind) {
    case ProviderKind::OpenAI:
        body = openAiBody(request);
        if (!key.isEmpty())
            addHeader(spec, "Authorization", "Bearer " + key);
        if (request.stream)
            addHeader(spec, "Accept", "text/event-stream");
        break;
    case ProviderKind::Anthropic:
        body = anthropicBody(request);
        if (!key.isEmpty())
            addHeader(spec, "x-api-key", key);
        addHeader(spec, "anthropic-version", "2023-06-01");
        if (request.stream)
            addHeader(spec, "Accept", "text/event-stream");
        break;
    case ProviderKind::Gemini:
        body = geminiBody(request);
        if (!key.isEmpty())
            addHeader(spec, "x-goog-api-key", key);
        if (request.stream)
            addHeader(spec, "Accept", "text/event-stream");
        break;
    case ProviderKind::Ollama:
        body = ollamaBody(request);
        if (!key.isEmpty()) // a proxy in front of Ollama may want one
            addHeader(spec, "Authorization", "Bearer " + key);
        break;
    }
    if (request.params.extra.is_object() && !request.params.extra.empty())
        body.merge_patch(request.params.extra);
    spec.body = QByteArray::fromStdString(body.dump(-1, ' ', false, json::error_handler_t::replace));
    return spec;
}

} // namespace ts
