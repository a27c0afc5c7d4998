#include "fixturehelpers.h"

#include "providers/providererror.h"

using namespace ts;
using namespace ts::testing;

class TestProviderErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void insufficientQuotaFixtureIsNotRetryable()
    {
        const json expect = readJson(QStringLiteral("openai_error_429_insufficient_quota.expect.json"))["expect"];
        const ProviderError e = parseErrorBody(
            ProviderKind::OpenAI, expect["http_status"].get<int>(),
            readData(QStringLiteral("openai_error_429_insufficient_quota.json")));
        QCOMPARE(e.type, qs(expect["error"]["type"]));
        QCOMPARE(e.code, qs(expect["error"]["code"]));
        QCOMPARE(e.message, qs(expect["error"]["message"]));
        QCOMPARE(e.retryable, expect["retryable"].get<bool>());
        QCOMPARE(e.category, ErrorCode::QuotaExceeded);
        QVERIFY(e.displayMessage().contains(QStringLiteral("billing")));
    }

    void rateLimitIsRetryable()
    {
        const ProviderError e = parseErrorBody(
            ProviderKind::OpenAI, 429,
            "{\"error\":{\"message\":\"Rate limit reached for gpt-4o on tokens per min\","
            "\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        QVERIFY(e.retryable);
        QCOMPARE(e.category, ErrorCode::RateLimited);
        QCOMPARE(e.displayMessage(),
                 QStringLiteral("Rate limited by OpenAI: Rate limit reached for gpt-4o on tokens per min"));
    }

    void statusClassification_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<int>("category");
        QTest::addColumn<QString>("messageStart");
        QTest::newRow("openai 401") << int(ProviderKind::OpenAI) << 401
            << QByteArray("{\"error\":{\"message\":\"Incorrect API key provided: sk-abc.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
            << false << int(ErrorCode::Auth) << QStringLiteral("API key rejected (401): Incorrect API key");
        QTest::newRow("openai 404 model") << int(ProviderKind::OpenAI) << 404
            << QByteArray("{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}")
            << false << int(ErrorCode::ModelNotFound) << QStringLiteral("Model not found: The model `gpt-9`");
        QTest::newRow("openai 400") << int(ProviderKind::OpenAI) << 400
            << QByteArray("{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens'\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":\"unsupported_parameter\"}}")
            << false << int(ErrorCode::InvalidArgument) << QStringLiteral("Request rejected by OpenAI (400)");
        QTest::newRow("openai 500") << int(ProviderKind::OpenAI) << 500
            << QByteArray("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}")
            << true << int(ErrorCode::ServerError) << QStringLiteral("Server error at OpenAI (500)");
        QTest::newRow("openai 408") << int(ProviderKind::OpenAI) << 408 << QByteArray("")
            << true << int(ErrorCode::Timeout) << QStringLiteral("OpenAI timed out");
        QTest::newRow("openai 409") << int(ProviderKind::OpenAI) << 409 << QByteArray("{}")
            << true << int(ErrorCode::ServerError) << QString();
        QTest::newRow("anthropic 529") << int(ProviderKind::Anthropic) << 529
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}")
            << true << int(ErrorCode::ServerError) << QStringLiteral("Anthropic is overloaded: Overloaded");
        QTest::newRow("anthropic 429") << int(ProviderKind::Anthropic) << 429
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}")
            << true << int(ErrorCode::RateLimited) << QStringLiteral("Rate limited by Anthropic");
        QTest::newRow("anthropic 401") << int(ProviderKind::Anthropic) << 401
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}")
            << false << int(ErrorCode::Auth) << QStringLiteral("API key rejected (401): invalid x-api-key");
        QTest::newRow("gemini 429") << int(ProviderKind::Gemini) << 429
            << QByteArray("{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"Resource has been exhausted\",\n    \"status\": \"RESOURCE_EXHAUSTED\"\n  }\n}\n")
            << true << int(ErrorCode::RateLimited) << QStringLiteral("Rate limited by Gemini");
        QTest::newRow("gemini 400 key") << int(ProviderKind::Gemini) << 400
            << QByteArray("[{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}]")
            << false << int(ErrorCode::Auth) << QStringLiteral("API key rejected (400): API key not valid");
        QTest::newRow("gemini 503") << int(ProviderKind::Gemini) << 503
            << QByteArray("{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}")
            << true << int(ErrorCode::ServerError) << QString();
        QTest::newRow("ollama 404") << int(ProviderKind::Ollama) << 404
            << QByteArray("{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}")
            << false << int(ErrorCode::ModelNotFound) << QStringLiteral("Model not found: model \"llama9\"");
        QTest::newRow("vllm object error") << int(ProviderKind::OpenAI) << 400
            << QByteArray("{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}")
            << false << int(ErrorCode::InvalidArgument) << QStringLiteral("Request rejected by OpenAI (400): max_tokens");
        QTest::newRow("html from proxy") << int(ProviderKind::OpenAI) << 502
            << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>")
            << true << int(ErrorCode::ServerError) << QStringLiteral("Server error at OpenAI (502): <html>");
    }
    void statusClassification()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, retryable);
        QFETCH(int, category);
        QFETCH(QString, messageStart);
        const ProviderError e = parseErrorBody(ProviderKind(kind), status, body);
        QCOMPARE(e.retryable, retryable);
        QCOMPARE(int(e.category), category);
        QCOMPARE(e.httpStatus, status);
        QVERIFY2(e.displayMessage().startsWith(messageStart), qPrintable(e.displayMessage()));
        QVERIFY(!e.message.isEmpty());
        QCOMPARE(e.toError().message, e.displayMessage());
    }

    void midStreamErrorsWithoutStatus()
    {
        const auto overloaded = errorFromJson(
            ProviderKind::Anthropic, 0,
            json::parse(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"));
        QVERIFY(overloaded);
        QVERIFY(overloaded->retryable);
        const auto invalid = errorFromJson(
            ProviderKind::OpenAI, 0,
            json::parse(R"({"error":{"message":"bad","type":"invalid_request_error"}})"));
        QVERIFY(invalid);
        QVERIFY(!invalid->retryable);
        QVERIFY(!errorFromJson(ProviderKind::OpenAI, 0, json::parse(R"({"choices":[],"error":null})")));
        QVERIFY(!errorFromJson(ProviderKind::OpenAI, 0, json::parse(R"({"id":"x"})")));
    }

    void rateLimitResetDurations()
    {
        QCOMPARE(parseDurationMs("120ms"), std::optional<qint64>(120));
        QCOMPARE(parseDurationMs("3.89s"), std::optional<qint64>(3890));
        QCOMPARE(parseDurationMs("6m0s"), std::optional<qint64>(360000));
        QCOMPARE(parseDurationMs("1h2m3s"), std::optional<qint64>(3723000));
        QVERIFY(!parseDurationMs("later"));
        QVERIFY(!parseDurationMs(""));
    }
};

QTEST_GUILESS_MAIN(TestProviderErrors)
#include "test_provider_errors.moc"
