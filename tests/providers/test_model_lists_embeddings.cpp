#include "fixturehelpers.h"

#include "providers/embeddings.h"
#include "providers/modellist.h"

#include <QtEndian>

#include <cstring>

using namespace ts;
using namespace ts::testing;

namespace {

json bodyOf(const HttpRequest &spec)
{
    return json::parse(spec.body.constData(), spec.body.constData() + spec.body.size());
}

} // namespace

class TestModelListsEmbeddings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ollamaTagsFixture()
    {
        const json expect = readJson(QStringLiteral("ollama_tags.expect.json"))["expect"];
        const auto list = parseModelList(ProviderKind::Ollama, readData(QStringLiteral("ollama_tags.json")));
        QVERIFY(list.has_value());
        QCOMPARE(list->models.size(), qsizetype(expect["models"].size()));
        for (qsizetype i = 0; i < list->models.size(); ++i) {
            const json &e = expect["models"][size_t(i)];
            const ModelInfo &m = list->models[i];
            QCOMPARE(m.id, qs(e["name"]));
            QCOMPARE(m.sizeBytes, std::optional<qint64>(e["size"].get<qint64>()));
            QCOMPARE(m.family, qs(e["family"]));
            QCOMPARE(m.parameterSize, qs(e["parameter_size"]));
            QCOMPARE(m.quantization, qs(e["quantization_level"]));
        }
        QVERIFY(list->models[0].created.isValid());
        const HttpRequest spec = buildModelListRequest(ProviderKind::Ollama, QString(), QString());
        QCOMPARE(spec.method, QByteArray("GET"));
        QCOMPARE(spec.url, QByteArray(readJson(QStringLiteral("ollama_tags.expect.json"))["request"]["url"]
                                          .get<std::string>().c_str()));
    }

    void openAiModels()
    {
        const auto list = parseModelList(ProviderKind::OpenAI,
            "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1715367049,"
            "\"owned_by\":\"system\"},{\"id\":\"qwen2.5-7b-instruct\",\"object\":\"model\",\"owned_by\":\"organization_owner\"}]}");
        QVERIFY(list.has_value());
        QCOMPARE(list->models.size(), 2);
        QCOMPARE(list->models[0].id, QStringLiteral("gpt-4o"));
        QCOMPARE(list->models[0].created.toSecsSinceEpoch(), 1715367049);
        QCOMPARE(list->models[1].ownedBy, QStringLiteral("organization_owner"));
        const auto spec = buildModelListRequest(ProviderKind::OpenAI, QStringLiteral("http://127.0.0.1:1234"),
                                                QStringLiteral("k"));
        QCOMPARE(spec.url, QByteArray("http://127.0.0.1:1234/v1/models"));
        QCOMPARE(spec.header("Authorization"), QByteArray("Bearer k"));
    }

    void anthropicModelsWithPaging()
    {
        const auto list = parseModelList(ProviderKind::Anthropic,
            "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5-20250929\",\"display_name\":"
            "\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"}],\"has_more\":true,"
            "\"first_id\":\"claude-sonnet-4-5-20250929\",\"last_id\":\"claude-sonnet-4-5-20250929\"}");
        QVERIFY(list.has_value());
        QCOMPARE(list->models[0].displayName, QStringLiteral("Claude Sonnet 4.5"));
        QCOMPARE(list->nextPageToken, QStringLiteral("claude-sonnet-4-5-20250929"));
        const auto spec = buildModelListRequest(ProviderKind::Anthropic, QString(), QStringLiteral("k"),
                                                list->nextPageToken);
        QCOMPARE(spec.url, QByteArray("https://api.anthropic.com/v1/models?limit=1000&after_id=claude-sonnet-4-5-20250929"));
        QCOMPARE(spec.header("anthropic-version"), QByteArray("2023-06-01"));
    }

    void geminiModels()
    {
        const auto list = parseModelList(ProviderKind::Gemini,
            "{\"models\":[{\"name\":\"models/gemini-2.0-flash\",\"displayName\":\"Gemini 2.0 Flash\","
            "\"inputTokenLimit\":1048576,\"outputTokenLimit\":8192,\"supportedGenerationMethods\":"
            "[\"generateContent\",\"countTokens\"]}],\"nextPageToken\":\"abc\"}");
        QVERIFY(list.has_value());
        QCOMPARE(list->models[0].id, QStringLiteral("gemini-2.0-flash"));
        QCOMPARE(list->models[0].inputTokenLimit, std::optional<int>(1048576));
        QVERIFY(list->models[0].methods.contains(QStringLiteral("generateContent")));
        QCOMPARE(list->nextPageToken, QStringLiteral("abc"));
        const auto spec = buildModelListRequest(ProviderKind::Gemini, QString(), QStringLiteral("k"),
                                                QStringLiteral("abc"));
        QCOMPARE(spec.url, QByteArray("https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=abc"));
        QCOMPARE(spec.header("x-goog-api-key"), QByteArray("k"));
    }

    void badModelListIsAnError()
    {
        QCOMPARE(parseModelList(ProviderKind::OpenAI, "<html>").error().code, ErrorCode::Protocol);
        QCOMPARE(parseModelList(ProviderKind::Ollama, "{\"data\":[]}").error().code, ErrorCode::Protocol);
    }

    void openAiEmbeddingRequestMatchesDoc()
    {
        const json doc = readJson(QStringLiteral("requests/openai_embeddings.json"));
        EmbeddingRequest r;
        r.model = QStringLiteral("text-embedding-3-small");
        r.inputs = {QStringLiteral("The food was delicious and the waiter..."), QStringLiteral("second text")};
        r.dimensions = 512;
        const auto spec = buildEmbeddingRequest(r, QStringLiteral("sk"));
        QVERIFY(spec.has_value());
        QVERIFY(bodyOf(*spec) == doc["body"]);
        QCOMPARE(spec->url, QByteArray("https://api.openai.com/v1/embeddings"));
        QCOMPARE(spec->header("Authorization"), QByteArray("Bearer sk"));
    }

    void openAiEmbeddingFloatAndBase64()
    {
        const auto f = parseEmbeddingResponse(ProviderKind::OpenAI,
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-1]},"
            "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,2]}],\"model\":\"m\","
            "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");
        QVERIFY(f.has_value());
        QCOMPARE(f->vectors.size(), 2);
        QCOMPARE(f->vectors[0], (QList<float>{0.25f, 2.0f})); // ordered by index
        QCOMPARE(f->inputTokens, std::optional<int>(8));

        QByteArray raw(12, Qt::Uninitialized);
        const float values[3] = {1.5f, -0.125f, 3.0f};
        for (int i = 0; i < 3; ++i) {
            quint32 bits;
            std::memcpy(&bits, &values[i], 4);
            qToLittleEndian(bits, raw.data() + i * 4);
        }
        const QByteArray body = "{\"data\":[{\"index\":0,\"embedding\":\"" + raw.toBase64() + "\"}]}";
        const auto b = parseEmbeddingResponse(ProviderKind::OpenAI, body);
        QVERIFY(b.has_value());
        QCOMPARE(b->vectors[0], (QList<float>{1.5f, -0.125f, 3.0f}));
        EmbeddingRequest r;
        r.model = QStringLiteral("m");
        r.inputs = {QStringLiteral("x")};
        r.base64 = true;
        QCOMPARE(bodyOf(*buildEmbeddingRequest(r, QString()))["encoding_format"].get<std::string>(), "base64");
    }

    void ollamaEmbed()
    {
        const json doc = readJson(QStringLiteral("requests/ollama_embed.json"));
        EmbeddingRequest r;
        r.kind = ProviderKind::Ollama;
        r.model = QStringLiteral("all-minilm");
        r.inputs = {QStringLiteral("Why is the sky blue?"), QStringLiteral("Why is the grass green?")};
        r.extra = {{"truncate", true}, {"keep_alive", "5m"}};
        const auto spec = buildEmbeddingRequest(r, QString());
        QVERIFY(spec.has_value());
        QVERIFY(bodyOf(*spec) == doc["body"]);
        QCOMPARE(spec->url, QByteArray("http://localhost:11434/api/embed"));
        const auto res = parseEmbeddingResponse(ProviderKind::Ollama,
            "{\"model\":\"all-minilm\",\"embeddings\":[[0.1,0.2],[0.3,0.4]],\"prompt_eval_count\":12}");
        QVERIFY(res.has_value());
        QCOMPARE(res->vectors.size(), 2);
        QCOMPARE(res->vectors[1][1], 0.4f);
        QCOMPARE(res->inputTokens, std::optional<int>(12));
    }

    void geminiEmbedSingleAndBatch()
    {
        EmbeddingRequest r;
        r.kind = ProviderKind::Gemini;
        r.model = QStringLiteral("gemini-embedding-001");
        r.inputs = {QStringLiteral("hello")};
        r.dimensions = 768;
        auto spec = buildEmbeddingRequest(r, QStringLiteral("k"));
        QCOMPARE(spec->url, QByteArray("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent"));
        QVERIFY(bodyOf(*spec) == json::parse(R"({"content":{"parts":[{"text":"hello"}]},"outputDimensionality":768})"));
        r.inputs << QStringLiteral("world");
        spec = buildEmbeddingRequest(r, QStringLiteral("k"));
        QVERIFY(spec->url.endsWith(":batchEmbedContents"));
        QCOMPARE(bodyOf(*spec)["requests"].size(), size_t(2));
        QCOMPARE(bodyOf(*spec)["requests"][1]["model"].get<std::string>(), "models/gemini-embedding-001");
        const auto one = parseEmbeddingResponse(ProviderKind::Gemini, "{\"embedding\":{\"values\":[1,2,3]}}");
        QCOMPARE(one->vectors, (QList<QList<float>>{{1.f, 2.f, 3.f}}));
        const auto many = parseEmbeddingResponse(ProviderKind::Gemini,
                                                 "{\"embeddings\":[{\"values\":[1]},{\"values\":[2]}]}");
        QCOMPARE(many->vectors.size(), 2);
    }

    void embeddingErrors()
    {
        EmbeddingRequest r;
        r.kind = ProviderKind::Anthropic;
        r.inputs = {QStringLiteral("x")};
        QCOMPARE(buildEmbeddingRequest(r, QString()).error().code, ErrorCode::InvalidArgument);
        r.kind = ProviderKind::OpenAI;
        r.inputs.clear();
        QVERIFY(!buildEmbeddingRequest(r, QString()).has_value());
        QCOMPARE(parseEmbeddingResponse(ProviderKind::OpenAI, "{\"data\":[{\"embedding\":[\"a\"]}]}").error().code,
                 ErrorCode::Protocol);
    }
};

QTEST_GUILESS_MAIN(TestModelListsEmbeddings)
#include "test_model_lists_embeddings.moc"
