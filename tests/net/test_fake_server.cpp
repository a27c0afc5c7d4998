// The fake LLM server speaks each provider's wire format and injects the faults tests need.
// Talks to it with QNetworkAccessManager and parses with nlohmann::json only, so that it
// depends on neither core/net nor core/providers.

#include "fakellmserver.h"
#include "fakewire.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

using namespace ts::test;
using Json = nlohmann::json;

// Compares JSON values through their serialisation (QCOMPARE cannot take nlohmann types).
#define JCOMPARE(actual, expected)                                                                 \
    QCOMPARE(QString::fromStdString(Json(actual).dump()),                                          \
             QString::fromStdString(Json(expected).dump()))

namespace {

struct Answer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;
    bool timedOut = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    Json json() const { return Json::parse(body.toStdString(), nullptr, false); }
};

/// SSE `data:` payloads, framing given by `separator` ("\n\n" or "\r\n\r\n").
QList<QByteArray> sseData(const QByteArray &body, const QByteArray &separator = "\n\n")
{
    QList<QByteArray> out;
    qsizetype from = 0;
    while (true) {
        const qsizetype end = body.indexOf(separator, from);
        if (end < 0)
            break;
        const QByteArray event = body.mid(from, end - from);
        from = end + separator.size();
        for (const QByteArray &line : event.split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (trimmed.startsWith("data: "))
                out << trimmed.mid(6);
        }
    }
    return out;
}

/// Anthropic: (event name, data JSON) pairs.
QList<std::pair<QByteArray, Json>> namedEvents(const QByteArray &body)
{
    QList<std::pair<QByteArray, Json>> out;
    const QList<QByteArray> blocks = QByteArray(body).replace("\n\n", "\x02").split('\x02');
    for (const QByteArray &block : blocks) {
        if (block.trimmed().isEmpty())
            continue;
        QByteArray name;
        Json data;
        for (const QByteArray &line : block.split('\n')) {
            if (line.startsWith("event: "))
                name = line.mid(7);
            else if (line.startsWith("data: "))
                data = Json::parse(line.mid(6).toStdString(), nullptr, false);
        }
        out.append({name, data});
    }
    return out;
}

QByteArray chatBody(const QByteArray &model, const QByteArray &extra = {})
{
    return "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
          "{\"role\":\"user\",\"content\":\"say hello to the world\"}]"
        + extra + "}";
}

QString expectedText(const QString &model, int tokens)
{
    return fakeAnswerTokens(model, QStringLiteral("say hello to the world"), tokens)
        .join(QString());
}

} // namespace

class TestFakeServer final : public QObject
{
    Q_OBJECT

private:
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const QList<std::pair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 10000,
                const QString &base = {})
    {
        QNetworkRequest request(QUrl((base.isEmpty() ? m_server->baseUrl() : base) + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply
            = method == "GET" ? m_network.get(request) : m_network.post(request, body);
        QEventLoop loop;
        QTimer timer;
        Answer answer;
        connect(&timer, &QTimer::timeout, &loop, [&] {
            answer.timedOut = true;
            reply->abort();
        });
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        if (!reply->isFinished())
            loop.exec();
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            answer.body = reply->readAll();
        answer.error = reply->error();
        answer.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return answer;
    }

    FakeLlmServer *m_server = nullptr;
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = new FakeLlmServer({}, this);
        QVERIFY(m_server->listen());
        QVERIFY(m_server->port() != 0);
    }
    void init()
    {
        FakeServerConfig config;
        config.outputTokens = 6;
        m_server->setConfig(config);
        m_server->reset();
    }

    void openAiStream()
    {
        const Answer answer = send(
            "POST", QStringLiteral("/v1/chat/completions"),
            chatBody("gpt-fake", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("content-type"), QByteArray("text/event-stream"));
        const QList<QByteArray> data = sseData(answer.body);
        QVERIFY(data.size() >= 4);
        QCOMPARE(data.last(), QByteArray("[DONE]"));
        const Json first = Json::parse(data.first().toStdString());
        JCOMPARE(first["object"], "chat.completion.chunk");
        JCOMPARE(first["choices"][0]["delta"]["role"], "assistant");
        QVERIFY(first["usage"].is_null());
        std::string text;
        Json finish, usage;
        for (qsizetype i = 1; i + 1 < data.size(); ++i) {
            const Json chunk = Json::parse(data.at(i).toStdString());
            if (chunk["choices"].empty()) {
                usage = chunk["usage"];
                continue;
            }
            const Json &choice = chunk["choices"][0];
            if (!choice["finish_reason"].is_null())
                finish = choice;
            else
                text += choice["delta"]["content"].get<std::string>();
        }
        QCOMPARE(QString::fromStdString(text), expectedText(QStringLiteral("gpt-fake"), 6));
        JCOMPARE(finish["finish_reason"], "stop");
        QVERIFY(finish["delta"].empty());
        JCOMPARE(usage["prompt_tokens"], 7); // "be brief" + "say hello to the world"
        JCOMPARE(usage["completion_tokens"], 6);
        JCOMPARE(usage["total_tokens"], 13);
    }

    void openAiWithoutUsageOptionSendsNoUsageChunk()
    {
        const Answer answer = send("POST", QStringLiteral("/v1/chat/completions"),
                                   chatBody("gpt-fake", ",\"stream\":true"));
        for (const QByteArray &data : sseData(answer.body))
            QVERIFY(!data.contains("\"usage\""));
    }

    void openAiNonStreamAndMaxTokens()
    {
        Answer answer = send("POST", QStringLiteral("/v1/chat/completions"), chatBody("gpt-fake"));
        QCOMPARE(answer.status, 200);
        Json json = answer.json();
        JCOMPARE(json["object"], "chat.completion");
        QCOMPARE(QString::fromStdString(json["choices"][0]["message"]["content"]),
                 expectedText(QStringLiteral("gpt-fake"), 6));
        JCOMPARE(json["choices"][0]["finish_reason"], "stop");
        JCOMPARE(json["usage"]["completion_tokens"], 6);

        answer = send("POST", QStringLiteral("/v1/chat/completions"),
                      chatBody("gpt-fake", ",\"max_completion_tokens\":3"));
        json = answer.json();
        JCOMPARE(json["choices"][0]["finish_reason"], "length");
        JCOMPARE(json["usage"]["completion_tokens"], 3);
        QCOMPARE(QString::fromStdString(json["choices"][0]["message"]["content"]),
                 expectedText(QStringLiteral("gpt-fake"), 3));
    }

    void answersAreDeterministic()
    {
        const Json a = send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m1")).json();
        const Json b = send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m1")).json();
        const Json c = send("POST", QStringLiteral("/v1/chat/completions"),
                            chatBody("m2", ",\"max_tokens\":12"))
                           .json();
        const std::string textA = a["choices"][0]["message"]["content"];
        JCOMPARE(textA, b["choices"][0]["message"]["content"].get<std::string>());
        QVERIFY(textA != c["choices"][0]["message"]["content"].get<std::string>());
        QVERIFY(textA.find("say hello") != std::string::npos);
    }

    void anthropicStream()
    {
        const Answer answer = send("POST", QStringLiteral("/v1/messages"),
                                   chatBody("claude-fake", ",\"max_tokens\":4,\"stream\":true"),
                                   {{"anthropic-version", "2023-06-01"}});
        QCOMPARE(answer.status, 200);
        const auto events = namedEvents(answer.body);
        QStringList names;
        for (const auto &[name, data] : events) {
            names << QString::fromUtf8(name);
            JCOMPARE(data["type"].get<std::string>(), name.toStdString());
        }
        QStringList expected {QStringLiteral("message_start"),
                              QStringLiteral("content_block_start"), QStringLiteral("ping")};
        for (int i = 0; i < 4; ++i)
            expected << QStringLiteral("content_block_delta");
        expected << QStringLiteral("content_block_stop") << QStringLiteral("message_delta")
                 << QStringLiteral("message_stop");
        QCOMPARE(names, expected);
        JCOMPARE(events.at(0).second["message"]["usage"]["input_tokens"], 7);
        std::string text;
        for (const auto &[name, data] : events)
            if (name == "content_block_delta")
                text += data["delta"]["text"].get<std::string>();
        QCOMPARE(QString::fromStdString(text), expectedText(QStringLiteral("claude-fake"), 4));
        const Json &delta = events.at(events.size() - 2).second;
        JCOMPARE(delta["delta"]["stop_reason"], "max_tokens");
        JCOMPARE(delta["usage"]["output_tokens"], 4);
    }

    void anthropicNonStream()
    {
        const Json json = send("POST", QStringLiteral("/v1/messages"),
                               chatBody("claude-fake", ",\"max_tokens\":100"))
                              .json();
        JCOMPARE(json["type"], "message");
        JCOMPARE(json["content"][0]["type"], "text");
        QCOMPARE(QString::fromStdString(json["content"][0]["text"]),
                 expectedText(QStringLiteral("claude-fake"), 6));
        JCOMPARE(json["stop_reason"], "end_turn");
        JCOMPARE(json["usage"]["output_tokens"], 6);
    }

    void geminiStreamUsesCrlfFraming()
    {
        const QByteArray body = "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
                                "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"say hello "
                                "to the world\"}]}],"
                                "\"generationConfig\":{\"maxOutputTokens\":5}}";
        const Answer answer = send(
            "POST", QStringLiteral("/v1beta/models/gemini-fake:streamGenerateContent?alt=sse"),
            body);
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.body.endsWith("\r\n\r\n"));
        QCOMPARE(answer.body.count("\n"), answer.body.count("\r\n"));
        const QList<QByteArray> data = sseData(answer.body, "\r\n\r\n");
        QCOMPARE(data.size(), 5);
        std::string text;
        Json last;
        for (const QByteArray &item : data) {
            last = Json::parse(item.toStdString());
            text += last["candidates"][0]["content"]["parts"][0]["text"].get<std::string>();
        }
        QCOMPARE(QString::fromStdString(text), expectedText(QStringLiteral("gemini-fake"), 5));
        JCOMPARE(last["candidates"][0]["finishReason"], "MAX_TOKENS");
        JCOMPARE(last["usageMetadata"]["promptTokenCount"], 7);
        JCOMPARE(last["usageMetadata"]["candidatesTokenCount"], 5);
        JCOMPARE(last["usageMetadata"]["totalTokenCount"], 12);
        QCOMPARE(m_server->requests().value(0).model, QStringLiteral("gemini-fake"));

        const Json whole
            = send("POST", QStringLiteral("/v1beta/models/gemini-fake:generateContent"), body)
                  .json();
        QCOMPARE(QString::fromStdString(whole["candidates"][0]["content"]["parts"][0]["text"]),
                 expectedText(QStringLiteral("gemini-fake"), 5));
        JCOMPARE(whole["usageMetadata"]["candidatesTokenCount"], 5);
    }

    void ollamaStreamsByDefault()
    {
        Answer answer = send("POST", QStringLiteral("/api/chat"), chatBody("llama-fake"));
        QCOMPARE(answer.header("content-type"), QByteArray("application/x-ndjson"));
        const QList<QByteArray> lines = answer.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 7);
        std::string text;
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            const Json line = Json::parse(lines.at(i).toStdString());
            JCOMPARE(line["done"], false);
            text += line["message"]["content"].get<std::string>();
        }
        QCOMPARE(QString::fromStdString(text), expectedText(QStringLiteral("llama-fake"), 6));
        const Json done = Json::parse(lines.last().toStdString());
        JCOMPARE(done["done"], true);
        JCOMPARE(done["done_reason"], "stop");
        JCOMPARE(done["eval_count"], 6);
        JCOMPARE(done["prompt_eval_count"], 7);

        answer = send("POST", QStringLiteral("/api/chat"),
                      chatBody("llama-fake", ",\"stream\":false,\"options\":{\"num_predict\":2}"));
        const Json json = answer.json();
        JCOMPARE(json["done"], true);
        JCOMPARE(json["done_reason"], "length");
        JCOMPARE(json["eval_count"], 2);
    }

    void modelListings()
    {
        Json json = send("GET", QStringLiteral("/v1/models")).json();
        JCOMPARE(json["object"], "list");
        JCOMPARE(json["data"][0]["id"], "fake-small");
        json = send("GET", QStringLiteral("/v1/models"), {}, {{"anthropic-version", "2023-06-01"}})
                   .json();
        JCOMPARE(json["data"][0]["type"], "model");
        JCOMPARE(json["has_more"], false);
        json = send("GET", QStringLiteral("/api/tags")).json();
        JCOMPARE(json["models"][1]["name"], "fake-large");
        QVERIFY(json["models"][1]["details"].contains("parameter_size"));
        json = send("GET", QStringLiteral("/v1beta/models")).json();
        JCOMPARE(json["models"][0]["name"], "models/fake-small");
    }

    void embeddings()
    {
        Json json = send("POST", QStringLiteral("/v1/embeddings"),
                         "{\"model\":\"fake-embed\",\"input\":[\"one two\",\"three\"]}")
                        .json();
        JCOMPARE(json["data"].size(), 2u);
        JCOMPARE(json["data"][1]["index"], 1);
        JCOMPARE(json["data"][0]["embedding"].size(), 8u);
        JCOMPARE(json["usage"]["prompt_tokens"], 3);
        const Json again = send("POST", QStringLiteral("/v1/embeddings"),
                                "{\"model\":\"fake-embed\",\"input\":\"one two\",\"dimensions\":4}")
                               .json();
        JCOMPARE(again["data"][0]["embedding"].size(), 4u);
        json = send("POST", QStringLiteral("/api/embed"),
                    "{\"model\":\"fake-embed\",\"input\":[\"one two\"]}")
                   .json();
        JCOMPARE(json["embeddings"][0].size(), 8u);
        const Json openAi = send("POST", QStringLiteral("/v1/embeddings"),
                                 "{\"model\":\"fake-embed\",\"input\":[\"one two\"]}")
                                .json();
        JCOMPARE(json["embeddings"][0], openAi["data"][0]["embedding"]);
        json = send("POST", QStringLiteral("/v1beta/models/embed-fake:embedContent"),
                    "{\"content\":{\"parts\":[{\"text\":\"one two\"}]}}")
                   .json();
        JCOMPARE(json["embedding"]["values"].size(), 8u);
    }

    void statusFaultsUseEachApisErrorShape()
    {
        Answer answer = send("POST", QStringLiteral("/v1/chat/completions"),
                             chatBody("m+fault=429,retry-after=2,retry-after-ms=1500"));
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.header("retry-after"), QByteArray("2"));
        QCOMPARE(answer.header("retry-after-ms"), QByteArray("1500"));
        JCOMPARE(answer.json()["error"]["code"], "rate_limit_exceeded");

        answer = send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m+fault=quota"));
        QCOMPARE(answer.status, 429);
        JCOMPARE(answer.json()["error"]["type"], "insufficient_quota");

        answer = send("POST", QStringLiteral("/v1/messages"),
                      chatBody("fault-529", ",\"max_tokens\":5"));
        QCOMPARE(answer.status, 529);
        JCOMPARE(answer.json()["type"], "error");
        JCOMPARE(answer.json()["error"]["type"], "overloaded_error");

        answer = send("POST", QStringLiteral("/v1beta/models/g+fault=429:generateContent"),
                      "{\"contents\":[]}");
        QCOMPARE(answer.status, 429);
        JCOMPARE(answer.json()["error"]["status"], "RESOURCE_EXHAUSTED");

        answer = send("POST", QStringLiteral("/api/chat"), chatBody("gone+fault=404"));
        QCOMPARE(answer.status, 404);
        QVERIFY(answer.json()["error"].get<std::string>().find("not found") != std::string::npos);

        answer = send("POST", QStringLiteral("/v1/chat/completions"), chatBody("plain"),
                      {{"x-fake-fault", "fault=500"}});
        QCOMPARE(answer.status, 500);
        JCOMPARE(answer.json()["error"]["type"], "server_error");
    }

    void failsTheFirstAttemptsThenSucceeds()
    {
        QList<int> statuses;
        for (int i = 0; i < 4; ++i)
            statuses << send("POST", QStringLiteral("/v1/chat/completions"),
                             chatBody("m+fault=503,times=2"))
                            .status;
        QCOMPARE(statuses, (QList<int> {503, 503, 200, 200}));
    }

    void serverWideFaultAndKeyCheck()
    {
        FakeServerConfig config;
        config.expectedKey = "good-key";
        m_server->setConfig(config);
        QCOMPARE(send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m")).status, 401);
        QCOMPARE(send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m"),
                      {{"Authorization", "Bearer bad"}})
                     .status,
                 401);
        QCOMPARE(send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m"),
                      {{"Authorization", "Bearer good-key"}})
                     .status,
                 200);
        QCOMPARE(send("POST", QStringLiteral("/v1/messages"), chatBody("m", ",\"max_tokens\":3"),
                      {{"x-api-key", "good-key"}})
                     .status,
                 200);
        const Answer rejected = send("POST", QStringLiteral("/v1/messages"),
                                     chatBody("m", ",\"max_tokens\":3"), {{"x-api-key", "nope"}});
        QCOMPARE(rejected.status, 401);
        JCOMPARE(rejected.json()["error"]["type"], "authentication_error");
        QCOMPARE(send("POST", QStringLiteral("/v1beta/models/g:generateContent?key=good-key"),
                      "{\"contents\":[]}")
                     .status,
                 200);
        QCOMPARE(
            send("POST", QStringLiteral("/api/chat"), chatBody("m", ",\"stream\":false")).status,
            200);

        config.expectedKey.clear();
        config.behavior.apply(QStringLiteral("fault=503"));
        m_server->setConfig(config);
        QCOMPARE(send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m")).status, 503);
        QCOMPARE(
            send("POST", QStringLiteral("/v1/chat/completions"), chatBody("m+fault=none")).status,
            200);
    }

    void midStreamErrorEvents()
    {
        Answer answer = send("POST", QStringLiteral("/v1/chat/completions"),
                             chatBody("m+fault=stream-error,after=2", ",\"stream\":true"));
        QCOMPARE(answer.status, 200);
        const QList<QByteArray> data = sseData(answer.body);
        QCOMPARE(data.size(), 4); // role chunk, two tokens, error
        JCOMPARE(Json::parse(data.last().toStdString())["error"]["type"], "server_error");

        answer
            = send("POST", QStringLiteral("/v1/messages"),
                   chatBody("m+fault=stream-error,after=1", ",\"max_tokens\":9,\"stream\":true"));
        const auto events = namedEvents(answer.body);
        QCOMPARE(events.last().first, QByteArray("error"));
        JCOMPARE(events.last().second["error"]["type"], "overloaded_error");

        answer = send(
            "POST",
            QStringLiteral("/v1beta/models/g+fault=stream-error:streamGenerateContent?alt=sse"),
            "{\"contents\":[]}");
        QVERIFY(
            Json::parse(sseData(answer.body, "\r\n\r\n").last().toStdString()).contains("error"));

        answer
            = send("POST", QStringLiteral("/api/chat"), chatBody("m+fault=stream-error,after=1"));
        const QList<QByteArray> lines = answer.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(Json::parse(lines.last().toStdString())["error"].is_string());
    }

    void dropCutsTheConnectionMidStream()
    {
        // A raw socket, because QNetworkAccessManager forgives a chunked body cut short.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = chatBody("m+fault=drop,after=2", ",\"stream\":true");
        socket.write(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QByteArray received;
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            5000));
        received += socket.readAll();
        QVERIFY(received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(received.contains("transfer-encoding: chunked"));
        QVERIFY(received.contains("Echo:"));
        QVERIFY2(!received.endsWith("0\r\n\r\n"), "the chunked body never terminates");
        QVERIFY(!received.contains("[DONE]"));
        QCOMPARE(sseData(received.mid(received.indexOf("data: "))).size(), 3);
    }

    void hangNeverAnswersButRecords()
    {
        const Answer answer = send("POST", QStringLiteral("/v1/chat/completions"),
                                   chatBody("m+fault=hang"), {}, 300);
        QVERIFY(answer.timedOut);
        QVERIFY(answer.body.isEmpty());
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(QTest::qWaitFor([&] { return m_server->currentConcurrency() == 0; }, 5000));
    }

    void slowStreamsPaceTokens()
    {
        // Trickle: the stream takes at least (tokens - 1) × 50 ms; measured loosely via the
        // server's concurrency, never via wall-clock assertions on the client.
        const Answer answer = send("POST", QStringLiteral("/v1/chat/completions"),
                                   chatBody("m+fault=trickle,trickle-ms=30", ",\"stream\":true"));
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.body.endsWith("data: [DONE]\n\n"));
    }

    void recordsRequestsAndConcurrency()
    {
        send("POST", QStringLiteral("/v1/chat/completions?x=1"), chatBody("rec"),
             {{"X-Custom", "yes"}});
        send("POST", QStringLiteral("/v1/chat/completions"), chatBody("rec"));
        const QList<FakeRequest> seen = m_server->requests();
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.at(0).method, QByteArray("POST"));
        QCOMPARE(seen.at(0).path, QByteArray("/v1/chat/completions?x=1"));
        QCOMPARE(seen.at(0).header("x-custom"), QByteArray("yes"));
        QCOMPARE(seen.at(0).body, chatBody("rec"));
        QCOMPARE(seen.at(0).model, QStringLiteral("rec"));
        QCOMPARE(seen.at(1).connectionId, seen.at(0).connectionId); // keep-alive
        QCOMPARE(m_server->maxConcurrency(QStringLiteral("rec")), 1);

        // Two streams at once are counted as two in flight.
        FakeServerConfig config;
        config.tokensPerSec = 20;
        config.outputTokens = 8;
        m_server->setConfig(config);
        QNetworkRequest request(QUrl(m_server->baseUrl() + QStringLiteral("/v1/chat/completions")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *a = m_network.post(request, chatBody("par", ",\"stream\":true"));
        QNetworkReply *b = m_network.post(request, chatBody("par", ",\"stream\":true"));
        QVERIFY(QTest::qWaitFor([&] { return a->isFinished() && b->isFinished(); }, 10000));
        QCOMPARE(m_server->maxConcurrency(QStringLiteral("par")), 2);
        QCOMPARE(m_server->currentConcurrency(QStringLiteral("par")), 0);
        delete a;
        delete b;
    }

    void executablePrintsItsAddress()
    {
        QProcess process;
        process.start(QStringLiteral(TOUCHSTONE_FAKE_SERVER_PATH),
                      {QStringLiteral("--port"), QStringLiteral("0"),
                       QStringLiteral("--output-tokens"), QStringLiteral("3")});
        QVERIFY(process.waitForStarted());
        const auto stop = qScopeGuard([&] {
            process.kill();
            process.waitForFinished();
        });
        QVERIFY(QTest::qWaitFor([&] { return process.canReadLine(); }, 10000));
        const QString line = QString::fromUtf8(process.readLine()).trimmed();
        const QRegularExpressionMatch match
            = QRegularExpression(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:\\d+)$"))
                  .match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        const Answer answer
            = send("POST", QStringLiteral("/api/chat"), chatBody("cli", ",\"stream\":false"), {},
                   10000, match.captured(1));
        QCOMPARE(answer.status, 200);
        JCOMPARE(answer.json()["eval_count"], 3);
    }
};

QTEST_GUILESS_MAIN(TestFakeServer)
#include "test_fake_server.moc"
