#include "io/promptfooproviders.h"

#include <QHash>

namespace ts {

namespace {

using nlohmann::json;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

struct ParsedId
{
    QString kind;
    QString model;
    QString baseUrl;
    QString note; ///< why it is only approximately mapped, if so
};

// OpenAI-compatible hosted services promptfoo names by prefix.
QString compatibleBaseUrl(const QString &prefix)
{
    if (prefix == QLatin1String("openrouter"))
        return QStringLiteral("https://openrouter.ai/api/v1");
    if (prefix == QLatin1String("groq"))
        return QStringLiteral("https://api.groq.com/openai/v1");
    if (prefix == QLatin1String("togetherai"))
        return QStringLiteral("https://api.together.xyz/v1");
    if (prefix == QLatin1String("mistral"))
        return QStringLiteral("https://api.mistral.ai/v1");
    if (prefix == QLatin1String("deepseek"))
        return QStringLiteral("https://api.deepseek.com/v1");
    return QString();
}

// "openai:chat:gpt-4o" -> {openai, gpt-4o}; models may contain ':' ("llama3.2:1b").
std::optional<ParsedId> parseId(const QString &id)
{
    const qsizetype colon = id.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    const QString prefix = id.left(colon);
    QString rest = id.mid(colon + 1);
    auto takeMode = [&rest](std::initializer_list<const char *> modes) -> QString {
        for (const char *mode : modes) {
            const QString m = QLatin1String(mode) + QLatin1Char(':');
            if (rest.startsWith(m)) {
                rest = rest.mid(m.size());
                return QLatin1String(mode);
            }
        }
        return QString();
    };
    ParsedId out;
    if (prefix == QLatin1String("openai")) {
        const QString mode = takeMode({"chat", "completion", "embedding", "embeddings", "responses",
                                       "assistant", "realtime", "image"});
        if (!mode.isEmpty() && mode != QLatin1String("chat"))
            return std::nullopt;
        out.kind = QStringLiteral("openai");
    } else if (prefix == QLatin1String("anthropic")) {
        const QString mode = takeMode({"messages", "completion"});
        if (mode == QLatin1String("completion"))
            return std::nullopt;
        out.kind = QStringLiteral("anthropic");
    } else if (prefix == QLatin1String("google")) {
        takeMode({"chat"});
        if (rest.startsWith(QLatin1String("live:")) || rest.startsWith(QLatin1String("image:")))
            return std::nullopt;
        out.kind = QStringLiteral("gemini");
    } else if (prefix == QLatin1String("vertex")) {
        if (!rest.startsWith(QLatin1String("gemini")))
            return std::nullopt;
        out.kind = QStringLiteral("gemini");
        out.note = QStringLiteral("Vertex AI (Google Cloud auth) imported as the Gemini API; "
                                  "set a Gemini API key");
    } else if (prefix == QLatin1String("ollama")) {
        const QString mode = takeMode({"chat", "completion", "embeddings", "embedding"});
        if (mode.startsWith(QLatin1String("embedding")))
            return std::nullopt;
        out.kind = QStringLiteral("ollama");
        if (mode == QLatin1String("completion"))
            out.note = QStringLiteral("Ollama /api/generate imported as chat");
    } else if (const QString url = compatibleBaseUrl(prefix); !url.isEmpty()) {
        out.kind = QStringLiteral("openai");
        out.baseUrl = url;
    } else {
        return std::nullopt;
    }
    out.model = rest;
    if (out.model.isEmpty())
        return std::nullopt;
    return out;
}

// promptfoo config key -> neutral key, for the parameters every provider shares.
QString neutralKey(const QString &key)
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("temperature"), QStringLiteral("temperature")},
        {QStringLiteral("max_tokens"), QStringLiteral("max_tokens")},
        {QStringLiteral("max_completion_tokens"), QStringLiteral("max_completion_tokens")},
        {QStringLiteral("maxOutputTokens"), QStringLiteral("max_tokens")},
        {QStringLiteral("num_predict"), QStringLiteral("max_tokens")},
        {QStringLiteral("top_p"), QStringLiteral("top_p")},
        {QStringLiteral("topP"), QStringLiteral("top_p")},
        {QStringLiteral("top_k"), QStringLiteral("top_k")},
        {QStringLiteral("topK"), QStringLiteral("top_k")},
        {QStringLiteral("frequency_penalty"), QStringLiteral("frequency_penalty")},
        {QStringLiteral("presence_penalty"), QStringLiteral("presence_penalty")},
        {QStringLiteral("stop"), QStringLiteral("stop")},
        {QStringLiteral("stopSequences"), QStringLiteral("stop")},
        {QStringLiteral("seed"), QStringLiteral("seed")},
        {QStringLiteral("response_format"), QStringLiteral("response_format")},
        {QStringLiteral("reasoning_effort"), QStringLiteral("reasoning_effort")},
        {QStringLiteral("tools"), QStringLiteral("tools")},
        {QStringLiteral("tool_choice"), QStringLiteral("tool_choice")},
    };
    return names.value(key);
}

void mapConfig(const json &config, const QString &where, ImportedProvider &out,
               QStringList &unmapped)
{
    for (auto it = config.begin(); it != config.end(); ++it) {
        const QString key = qs(it.key());
        const QString at = where + QLatin1Char('.') + key;
        const json &value = it.value();
        if (key == QLatin1String("apiKey")) {
            unmapped.append(QStringLiteral("%1: API keys are not imported; store a key reference "
                                           "(environment variable or keychain) instead")
                                .arg(at));
        } else if (key == QLatin1String("apiKeyEnvar") && value.is_string()) {
            out.keyEnvVar = qs(value.get<std::string>());
        } else if ((key == QLatin1String("apiBaseUrl") || key == QLatin1String("baseUrl")
                    || key == QLatin1String("baseURL"))
                   && value.is_string()) {
            out.baseUrl = qs(value.get<std::string>());
        } else if (key == QLatin1String("apiHost") && value.is_string()) {
            out.baseUrl = QStringLiteral("https://%1/v1").arg(qs(value.get<std::string>()));
        } else if (key == QLatin1String("generationConfig") && value.is_object()) {
            mapConfig(value, at, out, unmapped); // Gemini nests its sampling parameters
        } else if (const QString neutral = neutralKey(key); !neutral.isEmpty()) {
            out.config[neutral.toStdString()] = value;
        } else {
            unmapped.append(QStringLiteral("%1: provider option not supported").arg(at));
        }
    }
}

} // namespace

std::optional<ImportedProvider> mapPromptfooProvider(const json &entry, const QString &where,
                                                     QStringList &unmapped)
{
    QString id;
    json options = json::object();
    if (entry.is_string()) {
        id = qs(entry.get<std::string>());
    } else if (entry.is_object() && entry.contains("id") && entry["id"].is_string()) {
        id = qs(entry["id"].get<std::string>());
        options = entry;
        options.erase("id");
    } else if (entry.is_object() && entry.size() == 1 && entry.begin().value().is_object()) {
        id = qs(entry.begin().key()); // {"openai:gpt-4o": {label, config}}
        options = entry.begin().value();
        options.erase("id");
    } else {
        unmapped.append(QStringLiteral("%1: provider entry not understood").arg(where));
        return std::nullopt;
    }

    const std::optional<ParsedId> parsed = parseId(id);
    if (!parsed) {
        unmapped.append(QStringLiteral("%1: provider \"%2\" is not supported").arg(where, id));
        return std::nullopt;
    }
    ImportedProvider out;
    out.id = id;
    out.providerKind = parsed->kind;
    out.model = parsed->model;
    out.baseUrl = parsed->baseUrl;
    if (!parsed->note.isEmpty())
        unmapped.append(QStringLiteral("%1: %2").arg(where, parsed->note));

    for (auto it = options.begin(); it != options.end(); ++it) {
        const QString key = qs(it.key());
        if (key == QLatin1String("label") && it.value().is_string())
            out.label = qs(it.value().get<std::string>());
        else if (key == QLatin1String("config") && it.value().is_object())
            mapConfig(it.value(), where + QStringLiteral(".config"), out, unmapped);
        else
            unmapped.append(QStringLiteral("%1.%2: provider key not supported").arg(where, key));
    }
    return out;
}

} // namespace ts
