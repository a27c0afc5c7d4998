#include "providers/chattypes.h"

namespace ts {

QString providerKindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAI: return QStringLiteral("openai");
    case ProviderKind::Anthropic: return QStringLiteral("anthropic");
    case ProviderKind::Gemini: return QStringLiteral("gemini");
    case ProviderKind::Ollama: return QStringLiteral("ollama");
    }
    return QStringLiteral("openai");
}

QString providerDisplayName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAI: return QStringLiteral("OpenAI");
    case ProviderKind::Anthropic: return QStringLiteral("Anthropic");
    case ProviderKind::Gemini: return QStringLiteral("Gemini");
    case ProviderKind::Ollama: return QStringLiteral("Ollama");
    }
    return QStringLiteral("OpenAI");
}

std::optional<ProviderKind> parseProviderKind(QStringView name)
{
    const QString n = name.trimmed().toString().toLower();
    if (n == QLatin1String("openai") || n == QLatin1String("openai-compatible"))
        return ProviderKind::OpenAI;
    if (n == QLatin1String("anthropic"))
        return ProviderKind::Anthropic;
    if (n == QLatin1String("gemini") || n == QLatin1String("google"))
        return ProviderKind::Gemini;
    if (n == QLatin1String("ollama"))
        return ProviderKind::Ollama;
    return std::nullopt;
}

QString defaultBaseUrl(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAI: return QStringLiteral("https://api.openai.com/v1");
    case ProviderKind::Anthropic: return QStringLiteral("https://api.anthropic.com");
    case ProviderKind::Gemini: return QStringLiteral("https://generativelanguage.googleapis.com");
    case ProviderKind::Ollama: return QStringLiteral("http://localhost:11434");
    }
    return {};
}

nlohmann::json GenerationParams::toJson() const
{
    nlohmann::json j = nlohmann::json::object();
    if (temperature)
        j["temperature"] = *temperature;
    if (maxTokens)
        j["max_tokens"] = *maxTokens;
    if (topP)
        j["top_p"] = *topP;
    if (seed)
        j["seed"] = *seed;
    if (!stop.isEmpty()) {
        auto arr = nlohmann::json::array();
        for (const QString &s : stop)
            arr.push_back(s.toStdString());
        j["stop"] = std::move(arr);
    }
    if (responseSchema)
        j["response_schema"] = *responseSchema;
    if (logprobs)
        j["logprobs"] = true;
    if (extra.is_object() && !extra.empty())
        j["extra"] = extra;
    return j;
}

Result<GenerationParams> GenerationParams::fromJson(const nlohmann::json &json)
{
    if (json.is_null())
        return GenerationParams{};
    if (!json.is_object())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Generation parameters must be a JSON object."));
    GenerationParams p;
    const auto bad = [](const char *key, const char *what) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Parameter \"%1\" must be %2.")
                        .arg(QLatin1String(key), QLatin1String(what)));
    };
    const auto present = [&](const char *key) {
        const auto it = json.find(key);
        return it != json.end() && !it->is_null();
    };
    if (present("temperature")) {
        if (!json["temperature"].is_number())
            return bad("temperature", "a number");
        p.temperature = json["temperature"].get<double>();
    }
    if (present("max_tokens")) {
        if (!json["max_tokens"].is_number_integer())
            return bad("max_tokens", "an integer");
        p.maxTokens = json["max_tokens"].get<int>();
    }
    if (present("top_p")) {
        if (!json["top_p"].is_number())
            return bad("top_p", "a number");
        p.topP = json["top_p"].get<double>();
    }
    if (present("seed")) {
        if (!json["seed"].is_number_integer())
            return bad("seed", "an integer");
        p.seed = json["seed"].get<qint64>();
    }
    if (present("stop")) {
        const auto &s = json["stop"];
        if (s.is_string()) {
            p.stop << QString::fromStdString(s.get<std::string>());
        } else if (s.is_array()) {
            for (const auto &item : s) {
                if (!item.is_string())
                    return bad("stop", "a string or a list of strings");
                p.stop << QString::fromStdString(item.get<std::string>());
            }
        } else {
            return bad("stop", "a string or a list of strings");
        }
    }
    if (present("response_schema")) {
        const auto &s = json["response_schema"];
        if (!s.is_object() && !(s.is_string() && s.get<std::string>() == "json"))
            return bad("response_schema", "a JSON Schema object or \"json\"");
        p.responseSchema = s;
    }
    if (present("logprobs")) {
        if (!json["logprobs"].is_boolean())
            return bad("logprobs", "true or false");
        p.logprobs = json["logprobs"].get<bool>();
    }
    if (present("extra")) {
        if (!json["extra"].is_object())
            return bad("extra", "a JSON object");
        p.extra = json["extra"];
    }
    return p;
}

} // namespace ts
