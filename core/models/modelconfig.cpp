#include "models/modelconfig.h"

#include "common/json.h"

namespace ts {

std::optional<double> ModelConfig::cost(std::optional<qint64> inputTokens,
                                        std::optional<qint64> outputTokens) const
{
    if (!priceInputPerMTok && !priceOutputPerMTok)
        return std::nullopt;
    if (!inputTokens && !outputTokens)
        return std::nullopt;
    return double(inputTokens.value_or(0)) * priceInputPerMTok.value_or(0) / 1e6
           + double(outputTokens.value_or(0)) * priceOutputPerMTok.value_or(0) / 1e6;
}

nlohmann::json ModelConfig::toJson() const
{
    nlohmann::json json = {{"name", sstr(name)},
                           {"provider", sstr(providerKindName(provider))},
                           {"base_url", sstr(baseUrl)},
                           {"model", sstr(modelId)},
                           {"params", params.toJson()},
                           {"key_ref", sstr(keyRef)},
                           {"max_concurrency", maxConcurrency}};
    json["price_input_per_mtok"] = priceInputPerMTok ? nlohmann::json(*priceInputPerMTok) : nlohmann::json();
    json["price_output_per_mtok"] = priceOutputPerMTok ? nlohmann::json(*priceOutputPerMTok) : nlohmann::json();
    return json;
}

ModelConfig ModelConfig::fromJson(const nlohmann::json &json)
{
    ModelConfig m;
    m.name = jsonString(json, "name");
    m.provider = parseProviderKind(jsonString(json, "provider")).value_or(ProviderKind::OpenAI);
    m.baseUrl = jsonString(json, "base_url");
    m.modelId = jsonString(json, "model");
    if (json.contains("params"))
        m.params = ModelParameters::fromJson(json["params"]);
    m.keyRef = jsonString(json, "key_ref");
    if (auto it = json.find("price_input_per_mtok"); it != json.end() && it->is_number())
        m.priceInputPerMTok = it->get<double>();
    if (auto it = json.find("price_output_per_mtok"); it != json.end() && it->is_number())
        m.priceOutputPerMTok = it->get<double>();
    if (auto it = json.find("max_concurrency"); it != json.end() && it->is_number_integer())
        m.maxConcurrency = it->get<int>();
    return m;
}

const QList<ModelPreset> &modelPresets()
{
    static const QList<ModelPreset> presets = {
        {QStringLiteral("openai"), QStringLiteral("OpenAI"), ProviderKind::OpenAI,
         QStringLiteral("https://api.openai.com/v1"), QStringLiteral("gpt-4o-mini"),
         QStringLiteral("OPENAI_API_KEY")},
        {QStringLiteral("anthropic"), QStringLiteral("Anthropic"), ProviderKind::Anthropic,
         QStringLiteral("https://api.anthropic.com"), QStringLiteral("claude-3-5-haiku-latest"),
         QStringLiteral("ANTHROPIC_API_KEY")},
        {QStringLiteral("gemini"), QStringLiteral("Google Gemini"), ProviderKind::Gemini,
         QStringLiteral("https://generativelanguage.googleapis.com"),
         QStringLiteral("gemini-2.0-flash"), QStringLiteral("GEMINI_API_KEY")},
        {QStringLiteral("ollama"), QStringLiteral("Ollama (local)"), ProviderKind::Ollama,
         QStringLiteral("http://localhost:11434"), QStringLiteral("llama3.2"), QString()},
        {QStringLiteral("lmstudio"), QStringLiteral("LM Studio (local)"), ProviderKind::OpenAI,
         QStringLiteral("http://localhost:1234/v1"), QStringLiteral("local-model"), QString()},
        {QStringLiteral("vllm"), QStringLiteral("vLLM"), ProviderKind::OpenAI,
         QStringLiteral("http://localhost:8000/v1"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"),
         QString()},
        {QStringLiteral("custom"), QStringLiteral("Custom OpenAI-compatible server"),
         ProviderKind::OpenAI, QStringLiteral("http://localhost:8080/v1"), QString(), QString()},
    };
    return presets;
}

std::optional<ModelPreset> findPreset(const QString &id)
{
    for (const ModelPreset &p : modelPresets())
        if (p.id == id)
            return p;
    return std::nullopt;
}

} // namespace ts
