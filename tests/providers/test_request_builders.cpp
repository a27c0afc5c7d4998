#include "fixturehelpers.h"

#include "providers/requestbuilder.h"

using namespace ts;
using namespace ts::testing;

namespace {

json bodyOf(const HttpRequest &spec)
{
    return json::parse(spec.body.constData(), spec.body.constData() + spec.body.size());
}

void compareJson(const json &actual, const json &expected)
{
    if (actual != expected) {
        const json patch = json::diff(expected, actual);
        QFAIL(qPrintable(QStringLiteral("JSON differs (expected -> actual patch): %1")
                             .arg(QString::fromStdString(patch.dump()))));
    }
}

ChatMessage msg(const char *role, const char *content)
{
    return ChatMessage{QString::fromUtf8(role), QString::fromUtf8(content)};
}

const json kSchema = json::parse(R"({"type":"object","properties":{"city":{"type":"string"},
    "temperature":{"type":"number"},"units":{"type":"string","enum":["c","f"]}},
    "required":["city","temperature","units"],"additionalProperties":false})");

} // namespace

class TestRequestBuilders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openAiMatchesDocumentedShape()
    {
        const json doc = readJson(QStringLiteral("requests/openai_chat_completions.json"));
        ChatRequest r;
        r.kind = ProviderKind::OpenAI;
        r.baseUrl = QStringLiteral("https://api.openai.com/v1/");
        r.model = QStringLiteral("gpt-4o-2024-08-06");
        r.messages = {msg("developer", "You are a helpful assistant."),
                      msg("user", "What's the weather like in SF?")};
        r.params.temperature = 0.2;
        r.params.maxTokens = 512;
        r.params.seed = 42;
        r.params.responseSchema = json{{"name", "Location"}, {"strict", true}, {"schema", kSchema}};
        r.params.extra = {{"tools", doc["body"]["tools"]}, {"tool_choice", "auto"}};
        const HttpRequest spec = buildChatRequest(r, QStringLiteral("sk-test"));

        json expected = doc["body"];
        // Tool turns are not part of ChatMessage.
        expected["messages"] = json::array({expected["messages"][0], expected["messages"][1]});
        compareJson(bodyOf(spec), expected);
        QCOMPARE(spec.method, QByteArray("POST"));
        QCOMPARE(spec.url, QByteArray("https://api.openai.com/v1/chat/completions"));
        QCOMPARE(spec.header("authorization"), QByteArray("Bearer sk-test"));
        QCOMPARE(spec.header("Content-Type"), QByteArray("application/json"));
    }

    void openAiCompatibleLocalServerGetsMaxTokens()
    {
        const json doc = readJson(QStringLiteral("requests/openai_compat_local.json"));
        ChatRequest r;
        r.baseUrl = QStringLiteral("http://localhost:11434/v1");
        r.model = QStringLiteral("gemma3:1b");
        r.messages = {msg("user", "Hello")};
        r.params.maxTokens = 256;
        r.params.temperature = 0.2;
        r.params.seed = 42;
        const HttpRequest spec = buildChatRequest(r, QString());
        compareJson(bodyOf(spec), doc["body"]);
        QCOMPARE(spec.url, QByteArray("http://localhost:11434/v1/chat/completions"));
        QVERIFY(spec.header("Authorization").isEmpty()); // no key, no header
    }

    void openAiTokenLimitOverrideAndUrlTolerance()
    {
        ChatRequest r;
        r.baseUrl = QStringLiteral("http://127.0.0.1:1234");
        r.model = QStringLiteral("m");
        r.params.maxTokens = 10;
        r.stream = false;
        r.tokenLimitField = TokenLimitField::MaxCompletionTokens;
        HttpRequest spec = buildChatRequest(r, QString());
        QCOMPARE(spec.url, QByteArray("http://127.0.0.1:1234/v1/chat/completions"));
        json body = bodyOf(spec);
        QCOMPARE(body["max_completion_tokens"].get<int>(), 10);
        QVERIFY(!body.contains("max_tokens"));
        QCOMPARE(body["stream"].get<bool>(), false);
        QVERIFY(!body.contains("stream_options")); // only streams ask for usage
        r.baseUrl = QStringLiteral("https://api.groq.com/openai/v1//");
        r.tokenLimitField = TokenLimitField::Auto;
        spec = buildChatRequest(r, QString());
        QCOMPARE(spec.url, QByteArray("https://api.groq.com/openai/v1/chat/completions"));
        QVERIFY(bodyOf(spec).contains("max_tokens"));
    }

    void openAiStopJsonModeAndSchemaName()
    {
        ChatRequest r;
        r.model = QStringLiteral("gpt-4o");
        r.params.stop = {QStringLiteral("END"), QStringLiteral("\n\n")};
        r.params.topP = 0.9;
        r.params.responseSchema = json("json");
        json body = bodyOf(buildChatRequest(r, QString()));
        QVERIFY(body["stop"] == json({"END", "\n\n"}));
        QCOMPARE(body["top_p"].get<double>(), 0.9);
        QVERIFY(body["response_format"] == json({{"type", "json_object"}}));
        json open = kSchema;
        open.erase("additionalProperties");
        open["title"] = "My Answer!";
        r.params.responseSchema = open;
        body = bodyOf(buildChatRequest(r, QString()));
        QCOMPARE(body["response_format"]["json_schema"]["name"].get<std::string>(), "MyAnswer");
        QCOMPARE(body["response_format"]["json_schema"]["strict"].get<bool>(), false);
    }

    void extraIsAMergePatch()
    {
        ChatRequest r;
        r.model = QStringLiteral("m");
        r.params.extra = {{"stream_options", nullptr}, {"logprobs", true}, {"model", "override"}};
        const json body = bodyOf(buildChatRequest(r, QString()));
        QVERIFY(!body.contains("stream_options"));
        QCOMPARE(body["logprobs"].get<bool>(), true);
        QCOMPARE(body["model"].get<std::string>(), "override");
    }

    void anthropicMatchesDocumentedShape()
    {
        const json doc = readJson(QStringLiteral("requests/anthropic_messages.json"));
        ChatRequest r;
        r.kind = ProviderKind::Anthropic;
        r.baseUrl = QStringLiteral("https://api.anthropic.com/");
        r.model = QStringLiteral("claude-sonnet-4-5");
        r.messages = {msg("system", "You are a helpful assistant."),
                      msg("user", "What is the weather like in San Francisco?")};
        r.params.temperature = 0.2;
        r.params.maxTokens = 1024;
        r.params.stop = {QStringLiteral("\n\nHuman:")};
        r.params.seed = 7; // Anthropic has no seed: left out
        r.params.extra = {{"tools", doc["body"]["tools"]}, {"tool_choice", doc["body"]["tool_choice"]}};
        const HttpRequest spec = buildChatRequest(r, QStringLiteral("sk-ant"));
        json expected = doc["body"];
        expected["messages"] = json::array({expected["messages"][0]});
        compareJson(bodyOf(spec), expected);
        QCOMPARE(spec.url, QByteArray("https://api.anthropic.com/v1/messages"));
        QCOMPARE(spec.header("x-api-key"), QByteArray("sk-ant"));
        QCOMPARE(spec.header("anthropic-version"), QByteArray("2023-06-01"));
        QCOMPARE(spec.header("content-type"), QByteArray("application/json"));
        QVERIFY(spec.header("Authorization").isEmpty());
    }

    void anthropicFixtureRequestAndDefaultMaxTokens()
    {
        const json doc = readJson(QStringLiteral("anthropic_messages_stream_basic.expect.json"));
        ChatRequest r;
        r.kind = ProviderKind::Anthropic;
        r.model = QStringLiteral("claude-sonnet-4-5");
        r.messages = {msg("user", "Hello")};
        r.params.maxTokens = 256;
        compareJson(bodyOf(buildChatRequest(r, QStringLiteral("k"))), doc["request"]["body"]);
        r.params.maxTokens.reset();
        r.stream = false;
        r.messages.prepend(msg("system", "A"));
        r.messages.prepend(msg("developer", "B"));
        r.params.responseSchema = kSchema;
        const json body = bodyOf(buildChatRequest(r, QString()));
        QCOMPARE(body["max_tokens"].get<int>(), kDefaultAnthropicMaxTokens);
        QCOMPARE(body["system"].get<std::string>(), "B\n\nA");
        QVERIFY(!body.contains("stream"));
        QCOMPARE(body["messages"].size(), size_t(1));
        QVERIFY(body["output_config"]["format"]["schema"] == kSchema);
    }

    void geminiMatchesDocumentedShape()
    {
        const json doc = readJson(QStringLiteral("requests/gemini_stream_generate_content.json"));
        ChatRequest r;
        r.kind = ProviderKind::Gemini;
        r.model = QStringLiteral("gemini-2.5-flash");
        r.messages = {msg("system", "You are a helpful assistant."),
                      msg("user", "What's the weather like in SF?")};
        r.params.temperature = 0.2;
        r.params.topP = 0.95;
        r.params.maxTokens = 512;
        r.params.seed = 42;
        r.params.stop = {QStringLiteral("END")};
        r.params.responseSchema = kSchema;
        r.params.extra = {{"tools", doc["body"]["tools"]},
                          {"generationConfig", {{"topK", 40},
                                                {"thinkingConfig", {{"thinkingBudget", 1024},
                                                                    {"includeThoughts", true}}}}}};
        HttpRequest spec = buildChatRequest(r, QStringLiteral("AIza"));
        json expected = doc["body"];
        expected["contents"] = json::array({expected["contents"][0]});
        compareJson(bodyOf(spec), expected);
        QCOMPARE(spec.url, doc["_http"]["url"].get<std::string>().c_str());
        QCOMPARE(spec.header("x-goog-api-key"), QByteArray("AIza"));
        r.stream = false;
        r.model = QStringLiteral("models/gemini-2.5-flash");
        r.baseUrl = QStringLiteral("https://generativelanguage.googleapis.com/v1beta/");
        spec = buildChatRequest(r, QStringLiteral("AIza"));
        QCOMPARE(spec.url, doc["_http"]["url_non_streaming"].get<std::string>().c_str());
    }

    void geminiAssistantRoleIsModel()
    {
        ChatRequest r;
        r.kind = ProviderKind::Gemini;
        r.model = QStringLiteral("gemini-2.0-flash");
        r.messages = {msg("user", "Hi"), msg("assistant", "Hello"), msg("user", "Again")};
        const json body = bodyOf(buildChatRequest(r, QString()));
        QCOMPARE(body["contents"][1]["role"].get<std::string>(), "model");
        QCOMPARE(body["contents"][1]["parts"][0]["text"].get<std::string>(), "Hello");
        QVERIFY(!body.contains("generationConfig"));
        QVERIFY(!body.contains("systemInstruction"));
        QVERIFY(!body.contains("model")); // the model is in the URL
    }

    void ollamaMatchesDocumentedShape()
    {
        const json doc = readJson(QStringLiteral("requests/ollama_chat.json"));
        ChatRequest r;
        r.kind = ProviderKind::Ollama;
        r.baseUrl = QStringLiteral("http://localhost:11434/");
        r.model = QStringLiteral("llama3.2");
        r.messages = {msg("system", "You are a helpful assistant."),
                      msg("user", "what is the weather in tokyo?")};
        r.params.temperature = 0.2;
        r.params.seed = 42;
        r.params.maxTokens = 512;
        r.params.responseSchema = kSchema;
        r.params.extra = {{"tools", doc["body"]["tools"]}, {"options", {{"num_ctx", 8192}}},
                          {"think", false}, {"keep_alive", "5m"}};
        const HttpRequest spec = buildChatRequest(r, QString());
        json expected = doc["body"];
        expected["messages"] = json::array({expected["messages"][0], expected["messages"][1]});
        compareJson(bodyOf(spec), expected);
        QCOMPARE(spec.url, QByteArray("http://localhost:11434/api/chat"));
        QVERIFY(spec.header("Authorization").isEmpty());
    }

    void ollamaStopTopPAndStreamFalse()
    {
        ChatRequest r;
        r.kind = ProviderKind::Ollama;
        r.model = QStringLiteral("m");
        r.stream = false;
        r.params.topP = 0.5;
        r.params.stop = {QStringLiteral("x")};
        r.params.responseSchema = json("json");
        const json body = bodyOf(buildChatRequest(r, QString()));
        QCOMPARE(body["stream"].get<bool>(), false); // Ollama streams unless told not to
        QCOMPARE(body["options"]["top_p"].get<double>(), 0.5);
        QVERIFY(body["options"]["stop"] == json({"x"}));
        QCOMPARE(body["format"].get<std::string>(), "json");
    }

    void generationParamsRoundTrip()
    {
        GenerationParams p;
        p.temperature = 0.7;
        p.maxTokens = 100;
        p.topP = 0.9;
        p.seed = 1234567890123;
        p.stop = {QStringLiteral("a"), QStringLiteral("b")};
        p.responseSchema = kSchema;
        p.extra = {{"logprobs", true}};
        const auto back = GenerationParams::fromJson(p.toJson());
        QVERIFY(back.has_value());
        QVERIFY(*back == p);
        QVERIFY(GenerationParams::fromJson(json{{"temperature", "hot"}}).error().message.contains(
            QStringLiteral("temperature")));
        QVERIFY(!GenerationParams::fromJson(json::array()).has_value());
        QCOMPARE(GenerationParams::fromJson(json{{"stop", "x"}})->stop, QStringList{QStringLiteral("x")});
    }

    void providerKindNames()
    {
        for (auto k : {ProviderKind::OpenAI, ProviderKind::Anthropic, ProviderKind::Gemini,
                       ProviderKind::Ollama})
            QCOMPARE(parseProviderKind(providerKindName(k)), std::optional<ProviderKind>(k));
        QCOMPARE(parseProviderKind(u"Google"), std::optional<ProviderKind>(ProviderKind::Gemini));
        QVERIFY(!parseProviderKind(u"cohere"));
    }
};

QTEST_GUILESS_MAIN(TestRequestBuilders)
#include "test_request_builders.moc"
