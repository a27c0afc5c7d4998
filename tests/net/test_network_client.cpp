// NetworkClient against the project's FakeLlmServer over real loopback HTTP.

#include "fakellmserver.h"
#include "net/backoff.h"
#include "net/httperrors.h"
#include "net/networkclient.h"
#include "net/redact.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

using namespace ts;
using namespace ts::test;

namespace {

struct Retry
{
    int attempt;
    int delayMs;
    QString reason;
};

/// Everything one call reported, in order.
class Recorder final : public QObject
{
public:
    explicit Recorder(HttpCall *call)
        : call(call)
    {
        connect(call, &HttpCall::responseStarted, this,
                [this](int status, const HttpHeaders &headers) {
                    startedStatus = status;
                    startedHeaders = headers;
                });
        connect(call, &HttpCall::dataReceived, this, [this](const QByteArray &chunk) {
            data += chunk;
            ++chunks;
        });
        connect(call, &HttpCall::retrying, this,
                [this](int attempt, int delayMs, const QString &reason) {
                    retries.append({attempt, delayMs, reason});
                });
        connect(call, &HttpCall::finished, this,
                [this](const HttpOutcome &result) { outcome = result; });
    }
    bool wait(int ms = 20000)
    {
        return QTest::qWaitFor([this] { return outcome.has_value(); }, ms);
    }
    QString message() const
    {
        return outcome && outcome->error ? outcome->error->message : QString();
    }
    ErrorCode code() const
    {
        return outcome && outcome->error ? outcome->error->code : ErrorCode::Unknown;
    }

    HttpCall *call;
    int startedStatus = -1;
    HttpHeaders startedHeaders;
    QByteArray data;
    int chunks = 0;
    QList<Retry> retries;
    std::optional<HttpOutcome> outcome;
};

CallOptions quickRetries(int maxRetries = 4)
{
    CallOptions options;
    options.retry.baseDelayMs = 5;
    options.retry.maxDelayMs = 20;
    options.retry.maxRetries = maxRetries;
    return options;
}

} // namespace

class TestNetworkClient final : public QObject
{
    Q_OBJECT

private:
    HttpRequest chat(const QString &model, bool stream = true,
                     const QByteArray &key = "sk-test-key-000")
    {
        HttpRequest request;
        request.url = (m_server->baseUrl() + QStringLiteral("/v1/chat/completions")).toUtf8();
        request.headers
            = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
        request.body = QByteArray("{\"model\":\"") + model.toUtf8()
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me a story\"}],\"stream\":"
            + (stream ? "true" : "false") + "}";
        return request;
    }
    QString host() const { return QStringLiteral("127.0.0.1:%1").arg(m_server->port()); }

    FakeLlmServer *m_server = nullptr;
    NetworkClient *m_client = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = new FakeLlmServer({}, this);
        QVERIFY(m_server->listen());
        m_client = new NetworkClient(this);
    }

    void init()
    {
        m_server->setConfig({});
        m_server->reset();
    }

    void streamsBodyAsItArrives()
    {
        FakeServerConfig config;
        config.tokensPerSec = 200;
        config.outputTokens = 8;
        m_server->setConfig(config);
        Recorder recorder(m_client->start(chat(QStringLiteral("fake-small")), {}, this));
        QVERIFY(recorder.wait());
        QVERIFY(recorder.outcome->ok());
        QCOMPARE(recorder.startedStatus, 200);
        QCOMPARE(headerValue(recorder.startedHeaders, "content-type"),
                 QByteArray("text/event-stream"));
        QVERIFY2(recorder.chunks > 1, "tokens paced by the server arrive as separate chunks");
        QVERIFY(recorder.data.startsWith("data: {"));
        QVERIFY(recorder.data.endsWith("data: [DONE]\n\n"));
        QCOMPARE(recorder.outcome->bodyBytes, recorder.data.size());
        QCOMPARE(recorder.outcome->attempts, 1);
        QVERIFY(recorder.outcome->firstByteMs >= 0);
        // The request went out as given: method, headers and body.
        const FakeRequest seen = m_server->requests().value(0);
        QCOMPARE(seen.method, QByteArray("POST"));
        QCOMPARE(seen.header("authorization"), QByteArray("Bearer sk-test-key-000"));
        QVERIFY(seen.body.contains("tell me a story"));
    }

    void collectsSmallBodies()
    {
        CallOptions options;
        options.collectBody = true;
        Recorder recorder(
            m_client->start(chat(QStringLiteral("fake-small"), false), options, this));
        QVERIFY(recorder.wait());
        QVERIFY(recorder.outcome->ok());
        QCOMPARE(recorder.outcome->body, recorder.data);
        QVERIFY(recorder.outcome->body.contains("\"chat.completion\""));
    }

    void getRequestsWork()
    {
        HttpRequest request;
        request.method = "GET";
        request.url = (m_server->baseUrl() + QStringLiteral("/api/tags")).toUtf8();
        Recorder recorder(m_client->start(request, {}, this));
        QVERIFY(recorder.wait());
        QVERIFY(recorder.outcome->ok());
        QVERIFY(recorder.data.contains("fake-small"));
        QCOMPARE(m_server->requests().value(0).method, QByteArray("GET"));
    }

    void reusesConnectionsForSequentialCalls()
    {
        for (int i = 0; i < 3; ++i) {
            Recorder recorder(m_client->start(chat(QStringLiteral("fake-small")), {}, this));
            QVERIFY(recorder.wait());
            QVERIFY(recorder.outcome->ok());
        }
        const QList<FakeRequest> seen = m_server->requests();
        QCOMPARE(seen.size(), 3);
        QCOMPARE(seen.at(1).connectionId, seen.at(0).connectionId);
        QCOMPARE(seen.at(2).connectionId, seen.at(0).connectionId);
    }

    void cancelStopsMidStreamAndKeepsPartialBytes()
    {
        FakeServerConfig config;
        config.tokensPerSec = 20;
        config.outputTokens = 400; // 20 s if nobody stopped it
        m_server->setConfig(config);
        HttpCall *call = m_client->start(chat(QStringLiteral("fake-cancel")), {}, this);
        Recorder recorder(call);
        QVERIFY(QTest::qWaitFor([&] { return recorder.data.count("\"content\":") >= 3; }, 10000));
        const QByteArray partial = recorder.data;
        call->cancel();
        QVERIFY2(recorder.wait(900), "cancel finishes well under a second");
        QVERIFY(recorder.outcome->cancelled);
        QCOMPARE(recorder.code(), ErrorCode::Cancelled);
        QVERIFY(recorder.data.startsWith(partial));
        QVERIFY(!recorder.data.contains("[DONE]"));
        // The server sees the connection go away, so nothing stays in flight.
        QVERIFY(QTest::qWaitFor(
            [&] { return m_server->currentConcurrency(QStringLiteral("fake-cancel")) == 0; },
            5000));
    }

    void cancelWhileWaitingToRetry()
    {
        CallOptions options;
        options.retry.baseDelayMs = 20000;
        options.retry.jitter = false;
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=503")), options, this));
        QVERIFY(QTest::qWaitFor([&] { return !recorder.retries.isEmpty(); }, 10000));
        recorder.call->cancel();
        QVERIFY(recorder.wait(900));
        QVERIFY(recorder.outcome->cancelled);
        QCOMPARE(recorder.outcome->attempts, 1);
    }

    void deletingTheCallCancelsIt()
    {
        FakeServerConfig config;
        config.tokensPerSec = 10;
        config.outputTokens = 200;
        m_server->setConfig(config);
        HttpCall *call = m_client->start(chat(QStringLiteral("fake-deleted")), {}, this);
        QVERIFY(QTest::qWaitFor(
            [&] { return m_server->currentConcurrency(QStringLiteral("fake-deleted")) == 1; },
            10000));
        delete call;
        QVERIFY(QTest::qWaitFor(
            [&] { return m_server->currentConcurrency(QStringLiteral("fake-deleted")) == 0; },
            5000));
    }

    void retriesRetryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        for (const int status : {408, 409, 429, 500, 502, 503, 529})
            QTest::addRow("%d", status) << status;
    }
    void retriesRetryableStatuses()
    {
        QFETCH(int, status);
        const QString model = QStringLiteral("fake+fault=%1,times=2").arg(status);
        Recorder recorder(m_client->start(chat(model), quickRetries(), this));
        QVERIFY(recorder.wait());
        QVERIFY2(recorder.outcome->ok(), qPrintable(recorder.message()));
        QCOMPARE(recorder.outcome->attempts, 3);
        QCOMPARE(recorder.retries.size(), 2);
        QCOMPARE(recorder.retries.at(0).attempt, 1);
        QCOMPARE(recorder.retries.at(1).attempt, 2);
        QVERIFY(recorder.retries.at(0).reason.contains(QStringLiteral("HTTP %1").arg(status)));
        QCOMPARE(recorder.startedStatus, 200);
        QVERIFY2(!recorder.data.contains("error"), "error bodies are never delivered as data");
        QCOMPARE(m_server->requestCount(), 3);
    }

    void givesUpAfterMaxRetries()
    {
        Recorder recorder(
            m_client->start(chat(QStringLiteral("fake+fault=500")), quickRetries(2), this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::ServerError);
        QCOMPARE(recorder.outcome->attempts, 3);
        QCOMPARE(recorder.outcome->status, 500);
        QVERIFY(recorder.outcome->errorBody.contains("server_error"));
        QCOMPARE(
            recorder.message(),
            QStringLiteral("Server error from %1 (HTTP 500) (after 3 attempts): The server had "
                           "an error while processing your request.")
                .arg(host()));
    }

    void honoursRetryAfterSeconds()
    {
        Recorder recorder(m_client->start(
            chat(QStringLiteral("fake+fault=429,retry-after=1,times=1")), quickRetries(), this));
        QVERIFY(recorder.wait());
        QVERIFY(recorder.outcome->ok());
        QCOMPARE(recorder.retries.size(), 1);
        QCOMPARE(recorder.retries.at(0).delayMs, 1000);
    }

    void retryAfterMsWinsOverSeconds()
    {
        Recorder recorder(m_client->start(
            chat(QStringLiteral("fake+fault=529,retry-after=7,retry-after-ms=250,times=1")),
            quickRetries(), this));
        QVERIFY(recorder.wait());
        QVERIFY(recorder.outcome->ok());
        QCOMPARE(recorder.retries.size(), 1);
        QCOMPARE(recorder.retries.at(0).delayMs, 250);
    }

    void tooLongRetryAfterIsReportedNotWaited()
    {
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=429,retry-after=120")),
                                          quickRetries(), this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::RateLimited);
        QCOMPARE(recorder.outcome->attempts, 1);
        QVERIFY(recorder.message().startsWith(
            QStringLiteral("Rate limited by %1 (HTTP 429), the server asks to wait 120 s")
                .arg(host())));
    }

    void backoffGrowsWithoutServerHint()
    {
        CallOptions options;
        options.retry.baseDelayMs = 10;
        options.retry.maxDelayMs = 25;
        options.retry.jitter = false;
        options.retry.maxRetries = 3;
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=503")), options, this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.retries.size(), 3);
        QCOMPARE(recorder.retries.at(0).delayMs, 10);
        QCOMPARE(recorder.retries.at(1).delayMs, 20);
        QCOMPARE(recorder.retries.at(2).delayMs, 25);
    }

    void doesNotRetryOtherClientErrors_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("start");
        QTest::addRow("400") << QStringLiteral("400") << int(ErrorCode::InvalidArgument)
                             << QStringLiteral("HTTP 400 from %1: request rejected");
        QTest::addRow("401") << QStringLiteral("401") << int(ErrorCode::Auth)
                             << QStringLiteral("HTTP 401 from %1: API key missing or rejected");
        QTest::addRow("403") << QStringLiteral("403") << int(ErrorCode::Auth)
                             << QStringLiteral("HTTP 403 from %1: API key missing or rejected");
        QTest::addRow("404") << QStringLiteral("404") << int(ErrorCode::ModelNotFound)
                             << QStringLiteral("HTTP 404 from %1: model or endpoint not found");
        QTest::addRow("429 insufficient_quota")
            << QStringLiteral("quota") << int(ErrorCode::QuotaExceeded)
            << QStringLiteral("HTTP 429 from %1: quota exceeded");
    }
    void doesNotRetryOtherClientErrors()
    {
        QFETCH(QString, fault);
        QFETCH(int, code);
        QFETCH(QString, start);
        Recorder recorder(
            m_client->start(chat(QStringLiteral("fake+fault=") + fault), quickRetries(), this));
        QVERIFY(recorder.wait());
        QCOMPARE(int(recorder.code()), code);
        QCOMPARE(recorder.outcome->attempts, 1);
        QVERIFY(recorder.retries.isEmpty());
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY2(recorder.message().startsWith(start.arg(host())), qPrintable(recorder.message()));
        QCOMPARE(recorder.startedStatus, -1);
        QVERIFY(recorder.data.isEmpty());
    }

    void customClassifierDecides()
    {
        CallOptions options = quickRetries();
        options.retry.classify = [](int, const HttpHeaders &, const QByteArray &) {
            return RetryVerdict::Fail;
        };
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=503")), options, this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.outcome->attempts, 1);
        QCOMPARE(recorder.code(), ErrorCode::ServerError);
    }

    void resetBeforeResponseIsRetried()
    {
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=reset,times=2")),
                                          quickRetries(), this));
        QVERIFY(recorder.wait());
        QVERIFY2(recorder.outcome->ok(), qPrintable(recorder.message()));
        QCOMPARE(m_server->requestCount(), 3);
        // libcurl itself re-sends once when a reused keep-alive connection dies before any
        // answer, so not every reset shows up as one of our attempts.
        QVERIFY(recorder.outcome->attempts >= 2);
        QCOMPARE(recorder.retries.size(), recorder.outcome->attempts - 1);
    }

    void refusedConnectionIsRetriedThenNamed()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        HttpRequest request;
        request.url = QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(port).toUtf8();
        Recorder recorder(m_client->start(request, quickRetries(2), this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::Network);
        QCOMPARE(recorder.outcome->attempts, 3);
        QCOMPARE(recorder.retries.size(), 2);
        QCOMPARE(
            recorder.message(),
            QStringLiteral("Cannot connect to 127.0.0.1:%1: connection refused (after 3 attempts)")
                .arg(port));
    }

    void cutMidStreamIsReportedNotRetried()
    {
        Recorder recorder(
            m_client->start(chat(QStringLiteral("fake+fault=drop,after=3")), quickRetries(), this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::Network);
        QCOMPARE(recorder.outcome->attempts, 1);
        QVERIFY(recorder.data.contains("Echo:"));
        QVERIFY2(
            recorder.message().startsWith(QStringLiteral("Connection to %1 was cut after %2 bytes")
                                              .arg(host())
                                              .arg(recorder.data.size())),
            qPrintable(recorder.message()));
    }

    void firstByteTimeout()
    {
        CallOptions options = quickRetries(0);
        options.firstByteTimeoutMs = 300;
        Recorder recorder(m_client->start(chat(QStringLiteral("fake+fault=hang")), options, this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::Timeout);
        QCOMPARE(recorder.message(),
                 QStringLiteral("No response from %1 within 0.3 s").arg(host()));
        QCOMPARE(m_server->requestCount(), 1);
    }

    void idleTimeout()
    {
        CallOptions options = quickRetries(0);
        options.idleTimeoutMs = 300;
        Recorder recorder(
            m_client->start(chat(QStringLiteral("fake+fault=stall,after=2")), options, this));
        QVERIFY(recorder.wait());
        QCOMPARE(recorder.code(), ErrorCode::Timeout);
        QCOMPARE(recorder.message(),
                 QStringLiteral("Stream from %1 stalled: no data for 0.3 s").arg(host()));
        QVERIFY(recorder.data.contains("Echo:"));
        QCOMPARE(recorder.outcome->attempts, 1);
    }

    void connectTimeoutAgainstFullBacklog()
    {
        // A loopback listener that never accepts, with its tiny backlog filled: further SYNs
        // are dropped, which is what an unreachable host looks like.
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(listener >= 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        QCOMPARE(::listen(listener, 0), 0);
        socklen_t length = sizeof address;
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length);
        QList<int> fillers;
        for (int i = 0; i < 4; ++i) {
            const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
            ::fcntl(filler, F_SETFL, O_NONBLOCK);
            ::connect(filler, reinterpret_cast<sockaddr *>(&address), sizeof address);
            fillers << filler;
        }
        QTest::qWait(100);
        const auto cleanup = qScopeGuard([&] {
            for (const int filler : fillers)
                ::close(filler);
            ::close(listener);
        });
        HttpRequest request;
        request.url
            = QStringLiteral("http://127.0.0.1:%1/v1/models").arg(ntohs(address.sin_port)).toUtf8();
        request.method = "GET";
        CallOptions options = quickRetries(0);
        options.connectTimeoutMs = 300;
        Recorder recorder(m_client->start(request, options, this));
        QVERIFY(recorder.wait());
        if (recorder.code() != ErrorCode::Timeout)
            QSKIP("this kernel accepted the connection despite the full backlog");
        QCOMPARE(recorder.message(),
                 QStringLiteral("Cannot connect to 127.0.0.1:%1: no answer within 0.3 s")
                     .arg(ntohs(address.sin_port)));
    }

    void concurrencyLimitPerKey()
    {
        FakeServerConfig config;
        config.tokensPerSec = 100;
        config.outputTokens = 6;
        m_server->setConfig(config);
        CallOptions options;
        options.concurrencyKey = QStringLiteral("fake-server");
        options.maxConcurrency = 2;
        QList<Recorder *> recorders;
        for (int i = 0; i < 6; ++i)
            recorders << new Recorder(
                m_client->start(chat(QStringLiteral("fake-limited")), options, this));
        for (Recorder *recorder : recorders) {
            QVERIFY(recorder->wait());
            QVERIFY(recorder->outcome->ok());
        }
        QCOMPARE(m_server->requestCount(), 6);
        QCOMPARE(m_server->maxConcurrency(QStringLiteral("fake-limited")), 2);
        qDeleteAll(recorders);
    }

    void aCallWaitingOutABackoffFreesItsSlot()
    {
        // One slot for the key. The first call is told to come back in a second; while it
        // waits, the second call (queued behind it) gets the slot and finishes first.
        CallOptions options = quickRetries();
        options.concurrencyKey = QStringLiteral("backoff-slot");
        options.maxConcurrency = 1;
        QList<int> order;
        Recorder first(m_client->start(chat(QStringLiteral("fake+fault=429,retry-after=1,times=1")),
                                       options, this));
        Recorder second(m_client->start(chat(QStringLiteral("fake-small")), options, this));
        connect(first.call, &HttpCall::finished, this, [&order] { order.append(1); });
        connect(second.call, &HttpCall::finished, this, [&order] { order.append(2); });
        QVERIFY(first.wait());
        QVERIFY(second.wait());
        QVERIFY2(first.outcome->ok(), qPrintable(first.message()));
        QVERIFY(second.outcome->ok());
        QCOMPARE(first.retries.size(), 1);
        QCOMPARE(order, (QList<int> {2, 1}));
        QCOMPARE(m_server->maxConcurrency(), 1); // the limit itself still holds
    }

    void queuedCallsCanBeCancelled()
    {
        FakeServerConfig config;
        config.tokensPerSec = 10;
        config.outputTokens = 100;
        m_server->setConfig(config);
        CallOptions options;
        options.concurrencyKey = QStringLiteral("one-at-a-time");
        options.maxConcurrency = 1;
        Recorder first(m_client->start(chat(QStringLiteral("fake-queue")), options, this));
        Recorder second(m_client->start(chat(QStringLiteral("fake-queue")), options, this));
        QVERIFY(QTest::qWaitFor([&] { return !first.data.isEmpty(); }, 10000));
        second.call->cancel();
        QVERIFY(second.wait(900));
        QVERIFY(second.outcome->cancelled);
        QCOMPARE(second.outcome->attempts, 0);
        first.call->cancel();
        QVERIFY(first.wait(900));
        QCOMPARE(m_server->requestCount(), 1);
    }

    void apiKeyNeverAppearsInErrors()
    {
        FakeServerConfig config;
        config.expectedKey = "the-right-key";
        m_server->setConfig(config);
        const QByteArray secret = "sk-proj-SECRETSECRET123";
        Recorder rejected(
            m_client->start(chat(QStringLiteral("fake-small"), true, secret), {}, this));
        QVERIFY(rejected.wait());
        QCOMPARE(rejected.code(), ErrorCode::Auth);
        QVERIFY(!rejected.message().contains(QString::fromUtf8(secret)));
        QVERIFY(!rejected.message().contains(QStringLiteral("SECRETSECRET")));

        Recorder accepted(
            m_client->start(chat(QStringLiteral("fake-small"), true, "the-right-key"), {}, this));
        QVERIFY(accepted.wait());
        QVERIFY(accepted.outcome->ok());

        // A key in the query string (Gemini style) stays out of a connection error too.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        HttpRequest request;
        request.url
            = QStringLiteral("http://127.0.0.1:%1/v1beta/models/m:generateContent?key=AIzaSECRET99")
                  .arg(port)
                  .toUtf8();
        request.headers = {{"x-goog-api-key", "AIzaSECRET99"}};
        Recorder refused(m_client->start(request, quickRetries(1), this));
        QVERIFY(refused.wait());
        QVERIFY(!refused.message().contains(QStringLiteral("AIzaSECRET99")));
        for (const Retry &retry : refused.retries)
            QVERIFY(!retry.reason.contains(QStringLiteral("AIzaSECRET99")));
    }

    void redactSecretsMasksKeys()
    {
        const QString text = QStringLiteral(
            "Authorization: Bearer sk-abcdef123456 x-api-key: ant-key-42 "
            "\"x-goog-api-key\": \"AIzaXYZ\" url https://h/v1?alt=sse&key=AIzaQQQ&x=1");
        const QString masked = redactSecrets(text);
        for (const char *secret : {"sk-abcdef123456", "ant-key-42", "AIzaXYZ", "AIzaQQQ"})
            QVERIFY2(!masked.contains(QLatin1String(secret)), qPrintable(masked));
        QVERIFY(masked.contains(QStringLiteral("&x=1")));
        QCOMPARE(redactSecrets(QStringLiteral("plain words"), {"words"}),
                 QStringLiteral("plain ***"));
        HttpRequest request;
        request.url = "https://g/v1beta/models/m:generateContent?key=QUERYKEY1";
        request.headers
            = {{"Authorization", "Bearer HEADERKEY1"}, {"Content-Type", "application/json"}};
        const QList<QByteArray> secrets = secretsOf(request);
        QVERIFY(secrets.contains("QUERYKEY1"));
        QVERIFY(secrets.contains("HEADERKEY1"));
        QVERIFY(!secrets.contains("application/json"));
    }

    void specificMessagesForNetworkFailures()
    {
        using detail::transferError;
        QCOMPARE(transferError(CURLE_COULDNT_RESOLVE_HOST, {},
                               QStringLiteral("api.example.invalid"), false, 0, 10000, 1)
                     .message,
                 QStringLiteral("Cannot resolve host api.example.invalid (DNS)"));
        const Error tls
            = transferError(CURLE_PEER_FAILED_VERIFICATION, QStringLiteral("certificate expired"),
                            QStringLiteral("api.example.com"), false, 0, 10000, 1);
        QCOMPARE(tls.message,
                 QStringLiteral("TLS handshake with api.example.com failed: certificate expired"));
        QCOMPARE(
            transferError(CURLE_OPERATION_TIMEDOUT, {}, QStringLiteral("h"), false, 0, 10000, 1)
                .message,
            QStringLiteral("Cannot connect to h: no answer within 10 s"));
        QCOMPARE(detail::hostLabel("https://api.openai.com/v1/chat?key=x"),
                 QStringLiteral("api.openai.com"));
    }

    void backoffArithmetic()
    {
        RetryPolicy policy;
        policy.jitter = false;
        QCOMPARE(Backoff::delayMs(1, policy), 500);
        QCOMPARE(Backoff::delayMs(2, policy), 1000);
        QCOMPARE(Backoff::delayMs(10, policy), 30000);
        policy.jitter = true;
        for (int i = 0; i < 50; ++i) {
            const int delay = Backoff::delayMs(3, policy);
            QVERIFY(delay >= 1500 && delay <= 2000);
        }
        QCOMPARE(Backoff::retryAfterMs({{"retry-after", "3"}}), std::optional<int>(3000));
        QCOMPARE(Backoff::retryAfterMs({{"Retry-After-Ms", "120"}, {"retry-after", "3"}}),
                 std::optional<int>(120));
        QCOMPARE(Backoff::retryAfterMs({}), std::nullopt);
        const QByteArray future
            = QDateTime::currentDateTimeUtc().addSecs(30).toString(Qt::RFC2822Date).toUtf8();
        const std::optional<int> wait = Backoff::retryAfterMs({{"retry-after", future}});
        QVERIFY(wait.has_value());
        QVERIFY2(*wait > 25000 && *wait <= 31000, future.constData());
        QCOMPARE(Backoff::defaultClassify(429, {}, "{\"error\":{\"code\":\"insufficient_quota\"}}"),
                 RetryVerdict::Fail);
        QCOMPARE(
            Backoff::defaultClassify(429, {}, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}"),
            RetryVerdict::Retry);
        QCOMPARE(Backoff::defaultClassify(400, {{"x-should-retry", "true"}}, {}),
                 RetryVerdict::Retry);
        QCOMPARE(Backoff::defaultClassify(500, {{"x-should-retry", "false"}}, {}),
                 RetryVerdict::Fail);
    }
};

QTEST_GUILESS_MAIN(TestNetworkClient)
#include "test_network_client.moc"
