// Token log probabilities: asked for only when GenerationParams::logprobs is set (so other
// requests are unchanged), and read from each provider's own shape, streamed (a few tokens per
// chunk) or whole. The payloads follow the providers' documented responses.

#include "fixturehelpers.h"

#include "providers/requestbuilder.h"

using namespace ts;
using namespace ts::testing;

namespace {

json bodyOf(const HttpRequest &spec)
{
    return json::parse(spec.body.constData(), spec.body.constData() + spec.body.size());
}

ChatResult parseFed(ProviderKind kind, bool stream, const QByteArray &body, Feed feed)
{
    auto parser = makeResponseParser(kind, stream);
    for (QByteArrayView part : cut(body, feed))
        parser->feed(part);
    parser->finish();
    return parser->result();
}

void compareLogProbs(const ChatResult &r, const QList<double> &expected)
{
    QVERIFY(r.logProbs.has_value());
    QCOMPARE(r.logProbs->size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(r.logProbs->at(i), expected[i]);
}

// OpenAI chat completions with `logprobs: true`, streamed: each chunk carries the log
// probabilities of the tokens in its delta; the role chunk and the finish chunk carry null.
const QByteArray kOpenAiStream
    = "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,"
      "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":"
      "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
      "\"logprobs\":{\"content\":[],\"refusal\":null},\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,"
      "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
      "\"Hello\"},\"logprobs\":{\"content\":[{\"token\":\"Hello\",\"logprob\":-0.31725305,"
      "\"bytes\":[72,101,108,108,111],\"top_logprobs\":[]}],\"refusal\":null},"
      "\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,"
      "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
      "\"!\"},\"logprobs\":{\"content\":[{\"token\":\"!\",\"logprob\":-0.02380986,\"bytes\":[33],"
      "\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,"
      "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":"
      "null,\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";

const QByteArray kOpenAiWhole
    = R"({"id":"chatcmpl-AB2","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini",
"choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
"logprobs":{"content":[{"token":"Hello","logprob":-0.31725305,"bytes":[72,101,108,108,111],
"top_logprobs":[{"token":"Hello","logprob":-0.31725305,"bytes":[72,101,108,108,111]},
{"token":"Hi","logprob":-1.3190403,"bytes":[72,105]}]},{"token":"!","logprob":-0.02380986,
"bytes":[33],"top_logprobs":[]}],"refusal":null},"finish_reason":"stop"}],
"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}})";

// Gemini with generationConfig.responseLogprobs: logprobsResult on each candidate.
const QByteArray kGeminiStream
    = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky\"}],\"role\": "
      "\"model\"},\"logprobsResult\": {\"topCandidates\": [],\"chosenCandidates\": [{\"token\": "
      "\"The\",\"logProbability\": -0.0123},{\"token\": \" sky\",\"logProbability\": "
      "-0.5}]}}],\"usageMetadata\": {\"promptTokenCount\": 5,\"totalTokenCount\": "
      "5},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" is blue\"}],\"role\": "
      "\"model\"},\"finishReason\": \"STOP\",\"logprobsResult\": {\"topCandidates\": "
      "[],\"chosenCandidates\": [{\"token\": \" is\",\"logProbability\": -0.25},{\"token\": \" "
      "blue\",\"logProbability\": -1.75}]},\"avgLogprobs\": -0.62807}],\"usageMetadata\": "
      "{\"promptTokenCount\": 5,\"candidatesTokenCount\": 4,\"totalTokenCount\": "
      "9},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n";

// Ollama /api/chat with "logprobs": true: each NDJSON line carries its tokens' entries.
const QByteArray kOllamaStream
    = "{\"model\":\"gemma3\",\"created_at\":\"2025-11-20T10:00:00.1Z\",\"message\":{\"role\":"
      "\"assistant\",\"content\":\"Hi\"},\"logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.75,"
      "\"bytes\":[72,105],\"top_logprobs\":[]}],\"done\":false}\n"
      "{\"model\":\"gemma3\",\"created_at\":\"2025-11-20T10:00:00.2Z\",\"message\":{\"role\":"
      "\"assistant\",\"content\":\" there\"},\"logprobs\":[{\"token\":\" there\",\"logprob\":"
      "-0.125,\"bytes\":[32,116,104,101,114,101],\"top_logprobs\":[]}],\"done\":false}\n"
      "{\"model\":\"gemma3\",\"created_at\":\"2025-11-20T10:00:00.3Z\",\"message\":{\"role\":"
      "\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
      "\"total_duration\":1000,\"prompt_eval_count\":5,\"eval_count\":2}\n";

} // namespace

class TestLogprobs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openAiStreamedInEveryChunking_data()
    {
        QTest::addColumn<int>("feed");
        QTest::newRow("whole") << int(Feed::Whole);
        QTest::newRow("byte by byte") << int(Feed::ByteByByte);
        QTest::newRow("random") << int(Feed::SmallRandom);
    }
    void openAiStreamedInEveryChunking()
    {
        QFETCH(int, feed);
        const ChatResult r = parseFed(ProviderKind::OpenAI, true, kOpenAiStream, Feed(feed));
        QCOMPARE(r.text, QStringLiteral("Hello!"));
        compareLogProbs(r, {-0.31725305, -0.02380986});
    }

    void openAiWholeBodyIgnoresTopAlternatives()
    {
        const ChatResult r = parseChatResponse(ProviderKind::OpenAI, false, kOpenAiWhole);
        QCOMPARE(r.text, QStringLiteral("Hello!"));
        compareLogProbs(r, {-0.31725305, -0.02380986});
    }

    void noLogProbsWhenNotSent()
    {
        QByteArray body = kOpenAiWhole;
        const qsizetype from = body.indexOf("\"logprobs\":{");
        const qsizetype to = body.indexOf(",\"finish_reason\"");
        body.replace(from, to - from, "\"logprobs\":null");
        const ChatResult r = parseChatResponse(ProviderKind::OpenAI, false, body);
        QCOMPARE(r.text, QStringLiteral("Hello!"));
        QVERIFY(!r.logProbs);
        const ChatResult anthropic = parseChatResponse(
            ProviderKind::Anthropic, false,
            R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
"usage":{"input_tokens":5,"output_tokens":1}})");
        QCOMPARE(anthropic.text, QStringLiteral("Hi"));
        QVERIFY(!anthropic.logProbs);
    }

    void geminiChosenCandidates()
    {
        const ChatResult streamed
            = parseFed(ProviderKind::Gemini, true, kGeminiStream, Feed::ByteByByte);
        QCOMPARE(streamed.text, QStringLiteral("The sky is blue"));
        compareLogProbs(streamed, {-0.0123, -0.5, -0.25, -1.75});
        const ChatResult whole = parseChatResponse(
            ProviderKind::Gemini, false,
            R"({"candidates":[{"content":{"parts":[{"text":"Yes"}],"role":"model"},
"finishReason":"STOP","index":0,"logprobsResult":{"topCandidates":[{"candidates":[
{"token":"Yes","logProbability":-0.001},{"token":"No","logProbability":-7.2}]}],
"chosenCandidates":[{"token":"Yes","logProbability":-0.001}]}}],
"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}})");
        compareLogProbs(whole, {-0.001});
    }

    void ollamaPerLine()
    {
        const ChatResult streamed
            = parseFed(ProviderKind::Ollama, true, kOllamaStream, Feed::SmallRandom);
        QCOMPARE(streamed.text, QStringLiteral("Hi there"));
        compareLogProbs(streamed, {-0.75, -0.125});
        const ChatResult whole = parseChatResponse(
            ProviderKind::Ollama, false,
            R"({"model":"gemma3","message":{"role":"assistant","content":"Hi there"},
"logprobs":[{"token":"Hi","logprob":-0.75},{"token":" there","logprob":-0.125}],
"done_reason":"stop","done":true})");
        compareLogProbs(whole, {-0.75, -0.125});
    }

    void requestedOnlyWhenAsked()
    {
        ChatRequest r;
        r.model = QStringLiteral("m");
        r.messages = {{QStringLiteral("user"), QStringLiteral("Hi")}};
        r.stream = false;
        for (ProviderKind kind : {ProviderKind::OpenAI, ProviderKind::Anthropic,
                                  ProviderKind::Gemini, ProviderKind::Ollama}) {
            r.kind = kind;
            r.baseUrl = QStringLiteral("http://127.0.0.1:1");
            r.params.logprobs = false;
            const json plain = bodyOf(buildChatRequest(r, QStringLiteral("k")));
            QVERIFY(!plain.contains("logprobs"));
            QVERIFY(!plain.contains("generationConfig"));
            r.params.logprobs = true;
            const json asked = bodyOf(buildChatRequest(r, QStringLiteral("k")));
            switch (kind) {
            case ProviderKind::OpenAI:
            case ProviderKind::Ollama:
                QCOMPARE(asked.value("logprobs", false), true);
                break;
            case ProviderKind::Gemini:
                QCOMPARE(asked["generationConfig"].value("responseLogprobs", false), true);
                QVERIFY(!asked.contains("logprobs"));
                break;
            case ProviderKind::Anthropic:
                // No such option: the request stays as it was.
                QVERIFY(asked == plain);
                break;
            }
        }
    }

    void parametersKeepTheFlag()
    {
        GenerationParams p;
        QVERIFY(!p.toJson().contains("logprobs")); // cache keys of other requests unchanged
        p.logprobs = true;
        QVERIFY(p.toJson()["logprobs"] == json(true));
        const auto back = GenerationParams::fromJson(p.toJson());
        QVERIFY(back);
        QVERIFY(back->logprobs);
        QVERIFY(!GenerationParams::fromJson(json {{"logprobs", "yes"}}));
    }
};

QTEST_GUILESS_MAIN(TestLogprobs)
#include "test_logprobs.moc"
