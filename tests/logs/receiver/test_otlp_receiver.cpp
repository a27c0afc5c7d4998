// The OTLP/HTTP receiver over real HTTP on loopback: JSON and protobuf bodies, gzip, what the
// OTLP/HTTP specification says to answer, dedupe, and records visible once answered.

#include "otlptestspans.h"
#include "receivertestclient.h"

#include "logs/logstore.h"
#include "logs/receiver/otlpcodec.h"
#include "logs/receiver/otlpreceiver.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace ts;
using namespace otlptest;

namespace {

/// One HTTP response read from a raw socket.
struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

/// Reads `n` responses (interim "100 Continue" ones included when they come).
QList<RawResponse> readResponses(QTcpSocket &socket, int n, QByteArray &buffer)
{
    QList<RawResponse> out;
    QElapsedTimer timer;
    timer.start();
    while (out.size() < n && timer.elapsed() < 10000) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            RawResponse r;
            r.head = buffer.left(end);
            r.status = r.head.mid(9, 3).toInt();
            qsizetype length = 0;
            for (const QByteArray &line : r.head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer.size() >= end + 4 + length) {
                r.body = buffer.mid(end + 4, length);
                buffer.remove(0, end + 4 + length);
                out.append(r);
                continue;
            }
        }
        if (!socket.waitForReadyRead(200) && socket.state() != QAbstractSocket::ConnectedState
            && socket.bytesAvailable() == 0)
            break;
        buffer += socket.readAll();
    }
    return out;
}

} // namespace

class TestOtlpReceiver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void jsonRequestStoresRecordsBeforeAnswering();
    void protobufRequestStoresTheSameRecord();
    void protobufValuesEventsAndErrors();
    void gzipBodies_data();
    void gzipBodies();
    void bodyThatIsNotOtlpIs400_data();
    void bodyThatIsNotOtlpIs400();
    void otherContentTypesAre415_data();
    void otherContentTypesAre415();
    void otherPathsAndMethods();
    void invalidSpansAreRejectedInPartialSuccess();
    void invalidProtobufSpansAreRejectedInPartialSuccess();
    void sameRequestTwiceIsStoredOnce();
    void concurrentClientsAllStored();
    void keepAlivePipeliningAndChunkedBodies();
    void expectContinueAndOversizedBodies();
    void sessionIsRecordedAndStopCloses();
    void busyProjectIs503AndTheRetryIsStored();
    void portInUseAndBadHostAreErrors();

private:
    Reply post(const QByteArray &body, const QByteArray &contentType,
               const QByteArray &contentEncoding = {},
               const QString &path = QStringLiteral("/v1/traces"),
               const QByteArray &method = "POST");
    std::optional<LogRecord> recordBySpan(const QString &traceId, const QString &spanId);
    qint64 recordCount();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<Project> m_project;
    std::unique_ptr<OtlpReceiver> m_receiver;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestOtlpReceiver::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto project = Project::create(m_dir->filePath(QStringLiteral("p.touchstone")));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
    m_project.emplace(std::move(*project));
    m_receiver = std::make_unique<OtlpReceiver>();
    OtlpReceiverOptions options;
    options.port = 0;
    auto started = m_receiver->start(*m_project, options);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
    QVERIFY(m_receiver->isRunning());
    QVERIFY(m_receiver->port() != 0);
    QCOMPARE(m_receiver->endpoint(),
             QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(m_receiver->port()));
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestOtlpReceiver::cleanup()
{
    m_nam.reset();
    m_receiver.reset();
    m_project.reset();
    m_dir.reset();
}

Reply TestOtlpReceiver::post(const QByteArray &body, const QByteArray &contentType,
                             const QByteArray &contentEncoding, const QString &path,
                             const QByteArray &method)
{
    return send(*m_nam, m_receiver->port(), body, contentType, contentEncoding, path, method);
}

std::optional<LogRecord> TestOtlpReceiver::recordBySpan(const QString &traceId,
                                                        const QString &spanId)
{
    LogStore store(m_project->db());
    auto id = store.findBySpan(traceId, spanId);
    if (!id || !*id)
        return std::nullopt;
    auto record = store.record(**id);
    if (!record)
        return std::nullopt;
    return *record;
}

qint64 TestOtlpReceiver::recordCount()
{
    auto n = LogStore(m_project->db()).count(LogFilter {});
    return n ? *n : -1;
}

void TestOtlpReceiver::jsonRequestStoresRecordsBeforeAnswering()
{
    QSignalSpy stored(m_receiver.get(), &OtlpReceiver::recordsStored);
    LlmCall call;
    call.traceId = QStringLiteral("5B8EFFF798038103D269B633813FC60C"); // upper case: any case
    call.spanId = QStringLiteral("eee19b7ec3c1b174");
    call.parentSpanId = QStringLiteral("0102030405060708");
    const json request = jsonRequest(json::array(
        {jsonLlmSpan(call),
         jsonHttpSpan(call.traceId, QStringLiteral("0102030405060708"), "POST /support")}));

    const Reply r = post(jsonBody(request), "application/json");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, QByteArray("application/json"));
    // Everything accepted: partialSuccess stays unset.
    QCOMPARE(r.body, QByteArray("{}"));

    // Committed before the answer: readable on another connection right away.
    const auto record = recordBySpan(call.traceId.toLower(), call.spanId);
    QVERIFY(record);
    QCOMPARE(record->model, std::optional<QString>(QStringLiteral("gpt-4o-mini")));
    QCOMPARE(record->messages.size(), 1);
    QCOMPARE(record->messages[0].role, QStringLiteral("user"));
    QCOMPARE(record->messages[0].content, std::optional<QString>(call.user));
    QCOMPARE(record->output, std::optional<QString>(call.answer));
    QCOMPARE(record->inputTokens, std::optional<qint64>(12));
    QCOMPARE(record->outputTokens, std::optional<qint64>(7));
    QCOMPARE(record->startMs, std::optional<qint64>(1767225600123));
    QCOMPARE(record->latencyMs, std::optional<double>(1500.0));
    QCOMPARE(record->parentSpanId, std::optional<QString>(call.parentSpanId));
    QCOMPARE(record->sourceFormat, QStringLiteral("otlp"));
    QCOMPARE(
        record->sourceFile,
        std::optional<QString>(QStringLiteral("otlp-http://127.0.0.1:%1").arg(m_receiver->port())));
    QCOMPARE(recordCount(), 1);

    // The HTTP span is kept for the trace view, not as a record.
    auto spans = LogStore(m_project->db()).traceSpans(call.traceId.toLower());
    QVERIFY(spans);
    QVERIFY(std::any_of(spans->begin(), spans->end(), [](const TraceSpan &s) {
        return s.name == QLatin1String("POST /support");
    }));

    QTRY_COMPARE(stored.count(), 1);
    QCOMPARE(stored.at(0).at(0).toInt(), 1);
    const auto ids = stored.at(0).at(1).value<QList<qint64>>();
    QCOMPARE(ids.size(), 1);
    QCOMPARE(ids.first(), record->id);

    const OtlpReceiverCounters c = m_receiver->counters();
    QCOMPARE(c.requests, 1);
    QCOMPARE(c.records, 1);
    QCOMPARE(c.notLlm, 1);
    QCOMPARE(c.rejected, 0);
    QCOMPARE(c.duplicates, 0);
}

void TestOtlpReceiver::protobufRequestStoresTheSameRecord()
{
    LlmCall call;
    call.traceId = traceId(7);
    call.spanId = spanId(7);
    call.parentSpanId = spanId(100);
    call.inputTokens = 4000000000; // beyond 32 bits: int64 survives the conversion
    auto request = protoRequest();
    addProtoLlmSpan(request, call);
    addProtoHttpSpan(request, call.traceId, spanId(100), "POST /support");

    const Reply r = post(protoBody(request), "application/x-protobuf");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, QByteArray("application/x-protobuf"));
    ts::otlp::ExportTraceServiceResponse response;
    QVERIFY(response.ParseFromArray(r.body.constData(), int(r.body.size())));
    QVERIFY(!response.has_partial_success());

    const auto record = recordBySpan(call.traceId, call.spanId);
    QVERIFY(record);
    QCOMPARE(record->traceId, std::optional<QString>(call.traceId)); // lower-case hex
    QCOMPARE(record->parentSpanId, std::optional<QString>(spanId(100)));
    QCOMPARE(record->model, std::optional<QString>(QStringLiteral("gpt-4o-mini")));
    QCOMPARE(record->messages.size(), 1);
    QCOMPARE(record->messages[0].content, std::optional<QString>(call.user));
    QCOMPARE(record->output, std::optional<QString>(call.answer));
    QCOMPARE(record->inputTokens, std::optional<qint64>(4000000000));
    QCOMPARE(record->outputTokens, std::optional<qint64>(7));
    QCOMPARE(record->startMs, std::optional<qint64>(1767225600123));
    QCOMPARE(record->endMs, std::optional<qint64>(1767225601623));
    QCOMPARE(record->finishReason, std::optional<QString>(QStringLiteral("stop")));
    QCOMPARE(recordCount(), 1);
    QCOMPARE(m_receiver->counters().notLlm, 1);
}

void TestOtlpReceiver::protobufValuesEventsAndErrors()
{
    // Every AnyValue kind, span events and an error status survive protobuf -> OTLP/JSON.
    auto request = protoRequest();
    ts::otlp::Span *span = addProtoLlmSpan(request, {traceId(1), spanId(1)});
    auto *attrs = span->mutable_attributes();
    // Input messages as structured values instead of JSON text.
    for (int i = 0; i < attrs->size(); ++i)
        if (attrs->Get(i).key() == "gen_ai.input.messages") {
            ts::otlp::AnyValue *messages = attrs->Mutable(i)->mutable_value();
            ts::otlp::KeyValueList *message
                = messages->mutable_array_value()->add_values()->mutable_kvlist_value();
            ts::otlp::KeyValue *role = message->add_values();
            role->set_key("role");
            role->mutable_value()->set_string_value("user");
            ts::otlp::KeyValue *parts = message->add_values();
            parts->set_key("parts");
            ts::otlp::KeyValueList *part = parts->mutable_value()
                                               ->mutable_array_value()
                                               ->add_values()
                                               ->mutable_kvlist_value();
            addString(part->mutable_values(), "type", "text");
            addString(part->mutable_values(), "content", "structured hello");
        }
    ts::otlp::KeyValue *cached = attrs->Add();
    cached->set_key("app.cached");
    cached->mutable_value()->set_bool_value(true);
    ts::otlp::KeyValue *temperature = attrs->Add();
    temperature->set_key("app.temperature");
    temperature->mutable_value()->set_double_value(0.25);
    ts::otlp::KeyValue *tags = attrs->Add();
    tags->set_key("app.tags");
    tags->mutable_value()->mutable_array_value()->add_values()->set_string_value("a");
    tags->mutable_value()->mutable_array_value()->add_values()->set_string_value("b");
    ts::otlp::KeyValue *user = attrs->Add();
    user->set_key("app.user");
    addString(user->mutable_value()->mutable_kvlist_value()->mutable_values(), "id", "u1");
    addInt(user->mutable_value()->mutable_kvlist_value()->mutable_values(), "tier", -3);
    ts::otlp::KeyValue *raw = attrs->Add();
    raw->set_key("app.raw");
    raw->mutable_value()->set_bytes_value(std::string("\x00\x01\xff", 3));
    ts::otlp::Span::Event *retry = span->add_events();
    retry->set_name("retry");
    retry->set_time_unix_nano(1767225600500000000ull);
    addInt(retry->mutable_attributes(), "attempt", 2);
    span->mutable_status()->set_code(ts::otlp::Status::STATUS_CODE_ERROR);
    span->mutable_status()->set_message("rate limited");

    QCOMPARE(post(protoBody(request), "application/x-protobuf").status, 200);
    const auto record = recordBySpan(traceId(1), spanId(1));
    QVERIFY(record);
    QCOMPARE(record->messages.value(0).content,
             std::optional<QString>(QStringLiteral("structured hello")));
    QVERIFY(!record->ok);
    QCOMPARE(record->error, std::optional<QString>(QStringLiteral("rate limited")));
    const json &m = record->metadata;
    QVERIFY2(m.value("app.cached", false), m.dump().c_str());
    QCOMPARE(m.value("app.temperature", 0.0), 0.25);
    QVERIFY(m["app.tags"] == json::array({"a", "b"}));
    QVERIFY2(m["app.user"] == json({{"id", "u1"}, {"tier", -3}}), m.dump().c_str());
    QCOMPARE(m.value("app.raw", std::string()), std::string("AAH/")); // base64
    QCOMPARE(m["otel"]["resource"].value("service.name", std::string()), std::string("shop"));
    QCOMPARE(m["otel"]["scope"].value("name", std::string()), std::string("test"));
    QCOMPARE(m["otel"].value("span_kind", std::string()), std::string("client"));
    const json &events = m["otel"]["events"];
    QVERIFY2(events.is_array() && events.size() == 1, m.dump().c_str());
    QCOMPARE(events[0].value("name", std::string()), std::string("retry"));
    QCOMPARE(events[0].value("time", std::string()), std::string("2026-01-01T00:00:00.500Z"));
    QVERIFY(events[0]["attributes"] == json({{"attempt", 2}}));
}

void TestOtlpReceiver::gzipBodies_data()
{
    QTest::addColumn<bool>("protobuf");
    QTest::addColumn<QByteArray>("encoding");
    QTest::newRow("json") << false << QByteArray("gzip");
    QTest::newRow("protobuf") << true << QByteArray("gzip");
    QTest::newRow("json, x-gzip") << false << QByteArray("x-gzip");
}

void TestOtlpReceiver::gzipBodies()
{
    QFETCH(bool, protobuf);
    QFETCH(QByteArray, encoding);
    LlmCall a {traceId(1), spanId(1)};
    LlmCall b {traceId(2), spanId(2)};
    b.user = QStringLiteral("Cancel my order");
    QByteArray body;
    if (protobuf) {
        auto request = protoRequest();
        addProtoLlmSpan(request, a);
        addProtoLlmSpan(request, b);
        body = protoBody(request);
    } else {
        body = jsonBody(jsonRequest(json::array({jsonLlmSpan(a), jsonLlmSpan(b)})));
    }
    const QByteArray compressed = gzip(body);
    QVERIFY(!compressed.isEmpty());
    QVERIFY(compressed.startsWith("\x1f\x8b"));
    const Reply r
        = post(compressed, protobuf ? "application/x-protobuf" : "application/json", encoding);
    QCOMPARE(r.status, 200);
    QCOMPARE(recordCount(), 2);
    const auto second = recordBySpan(b.traceId, b.spanId);
    QVERIFY(second);
    QCOMPARE(second->messages[0].content,
             std::optional<QString>(QStringLiteral("Cancel my order")));
}

void TestOtlpReceiver::bodyThatIsNotOtlpIs400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("this is not json {") << QByteArray("application/json")
                              << QByteArray() << QStringLiteral("not valid JSON");
    QTest::newRow("JSON array") << QByteArray("[1, 2]") << QByteArray("application/json")
                                << QByteArray()
                                << QStringLiteral("not an ExportTraceServiceRequest");
    QTest::newRow("resourceSpans not a list")
        << QByteArray(R"({"resourceSpans": 5})") << QByteArray("application/json") << QByteArray()
        << QStringLiteral("resourceSpans is not an array");
    QTest::newRow("spans not a list")
        << QByteArray(R"({"resourceSpans": [{"scopeSpans": [{"spans": {"a": 1}}]}]})")
        << QByteArray("application/json") << QByteArray()
        << QStringLiteral("resourceSpans[0].scopeSpans[0].spans is not an array");
    // Field 1 with wire type 7 does not exist in protobuf.
    QTest::newRow("not protobuf") << QByteArray("\x0f\xff\xff\xff", 4)
                                  << QByteArray("application/x-protobuf") << QByteArray()
                                  << QStringLiteral("not a protobuf ExportTraceServiceRequest");
    QTest::newRow("truncated protobuf")
        << QByteArray("\x0a\x40\x0a\x02", 4) << QByteArray("application/x-protobuf") << QByteArray()
        << QStringLiteral("not a protobuf ExportTraceServiceRequest");
    QTest::newRow("gzip header, body not gzip")
        << QByteArray(R"({"resourceSpans": []})") << QByteArray("application/json")
        << QByteArray("gzip") << QStringLiteral("cannot be decompressed");
    QByteArray truncated = gzip(QByteArray(R"({"resourceSpans": []})"));
    truncated.chop(6);
    QTest::newRow("truncated gzip")
        << truncated << QByteArray("application/x-protobuf") << QByteArray("gzip")
        << QStringLiteral("cannot be decompressed");
}

void TestOtlpReceiver::bodyThatIsNotOtlpIs400()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    QFETCH(QString, message);
    const Reply r = post(body, contentType, encoding);
    QCOMPARE(r.status, 400);
    // A google.rpc.Status in the request's encoding.
    QCOMPARE(r.contentType, contentType);
    QString text;
    if (contentType == "application/json") {
        const json status = r.jsonBody();
        QCOMPARE(status.value("code", 0), 3);
        text = QString::fromStdString(status.value("message", std::string()));
    } else {
        ts::otlp::RpcStatus status;
        QVERIFY(status.ParseFromArray(r.body.constData(), int(r.body.size())));
        QCOMPARE(status.code(), 3);
        text = QString::fromStdString(status.message());
    }
    QVERIFY2(text.contains(message), qPrintable(text));
    QCOMPARE(recordCount(), 0);
    QCOMPARE(m_receiver->counters().badRequests, 1);
    QCOMPARE(m_receiver->counters().requests, 0);

    // The receiver keeps serving after a bad request.
    const Reply ok
        = post(jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(3), spanId(3)})}))),
               "application/json");
    QCOMPARE(ok.status, 200);
    QCOMPARE(recordCount(), 1);
}

void TestOtlpReceiver::otherContentTypesAre415_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::newRow("text/plain") << QByteArray("text/plain") << QByteArray();
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << QByteArray();
    QTest::newRow("none") << QByteArray() << QByteArray();
    QTest::newRow("brotli") << QByteArray("application/json") << QByteArray("br");
}

void TestOtlpReceiver::otherContentTypesAre415()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    const QByteArray body
        = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(1), spanId(1)})})));
    const Reply r = post(body, contentType, encoding);
    QCOMPARE(r.status, 415);
    const QString message = QString::fromStdString(r.jsonBody().value("message", std::string()));
    QVERIFY2(message.contains(encoding.isEmpty() ? QStringLiteral("application/x-protobuf")
                                                 : QStringLiteral("gzip")),
             qPrintable(message));
    QCOMPARE(recordCount(), 0);

    // Parameters after the media type are fine.
    const Reply ok = post(body, "application/json; charset=utf-8");
    QCOMPARE(ok.status, 200);
    QCOMPARE(recordCount(), 1);
}

void TestOtlpReceiver::otherPathsAndMethods()
{
    const QByteArray body = jsonBody(jsonRequest(json::array()));
    const Reply metrics = post(body, "application/json", {}, QStringLiteral("/v1/metrics"));
    QCOMPARE(metrics.status, 404);
    QVERIFY(QString::fromStdString(metrics.jsonBody().value("message", std::string()))
                .contains(QStringLiteral("metrics are not collected")));
    QCOMPARE(post(body, "application/json", {}, QStringLiteral("/")).status, 404);

    const Reply get = post({}, {}, {}, QStringLiteral("/v1/traces"), "GET");
    QCOMPARE(get.status, 405);
    QCOMPARE(get.header("Allow"), QByteArray("POST"));
    QCOMPARE(post(body, "application/json", {}, QStringLiteral("/v1/traces"), "PUT").status, 405);

    // An empty request is a valid export of nothing; a query string does not matter.
    const Reply empty = post(body, "application/json", {}, QStringLiteral("/v1/traces?x=1"));
    QCOMPARE(empty.status, 200);
    QCOMPARE(post({}, "application/x-protobuf").status, 200);
    QCOMPARE(m_receiver->counters().badRequests, 4);
}

void TestOtlpReceiver::invalidSpansAreRejectedInPartialSuccess()
{
    // Rejected: a span without a trace id, one whose span id is all zeroes, one whose trace id
    // is not hex. Kept: the LLM call and the HTTP span around it.
    LlmCall good {traceId(1), spanId(1)};
    LlmCall noTrace {QString(), spanId(2)};
    LlmCall zeroSpan {traceId(3), QStringLiteral("0000000000000000")};
    LlmCall notHex {QStringLiteral("zz8efff798038103d269b633813fc60c"), spanId(4)};
    json spans = json::array({jsonLlmSpan(good), jsonLlmSpan(noTrace), jsonLlmSpan(zeroSpan),
                              jsonHttpSpan(traceId(1), spanId(9), "GET /"), jsonLlmSpan(notHex)});
    spans[1].erase("traceId");
    const Reply r = post(jsonBody(jsonRequest(spans)), "application/json");
    QCOMPARE(r.status, 200);
    const json body = r.jsonBody();
    QVERIFY2(body.contains("partialSuccess"), r.body.constData());
    // int64 as a string, as the OTLP/JSON mapping writes it
    QVERIFY(body["partialSuccess"]["rejectedSpans"] == json("3"));
    const QString message
        = QString::fromStdString(body["partialSuccess"]["errorMessage"].get<std::string>());
    QVERIFY2(message.contains(QStringLiteral("3 spans of 5 rejected")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("span 2: traceId is missing")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("span 3: spanId is all zeroes")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("span 5: traceId is not hexadecimal")),
             qPrintable(message));

    QVERIFY(recordBySpan(good.traceId, good.spanId));
    QCOMPARE(recordCount(), 1);
    const OtlpReceiverCounters c = m_receiver->counters();
    QCOMPARE(c.rejected, 3);
    QCOMPARE(c.records, 1);
    QCOMPARE(c.notLlm, 1);
}

void TestOtlpReceiver::invalidProtobufSpansAreRejectedInPartialSuccess()
{
    auto request = protoRequest();
    addProtoLlmSpan(request, {traceId(1), spanId(1)});
    ts::otlp::Span *shortTrace = addProtoLlmSpan(request, {traceId(2), spanId(2)});
    shortTrace->set_trace_id(shortTrace->trace_id().substr(1)); // 15 bytes
    addProtoLlmSpan(request, {traceId(3), spanId(3)})->clear_span_id();

    const Reply r = post(protoBody(request), "application/x-protobuf");
    QCOMPARE(r.status, 200);
    ts::otlp::ExportTraceServiceResponse response;
    QVERIFY(response.ParseFromArray(r.body.constData(), int(r.body.size())));
    QVERIFY(response.has_partial_success());
    QCOMPARE(response.partial_success().rejected_spans(), 2);
    const QString message = QString::fromStdString(response.partial_success().error_message());
    QVERIFY2(message.contains(QStringLiteral("span 2: traceId has the wrong length")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("span 3: spanId is missing")), qPrintable(message));
    QCOMPARE(recordCount(), 1);
    QVERIFY(recordBySpan(traceId(1), spanId(1)));
}

void TestOtlpReceiver::sameRequestTwiceIsStoredOnce()
{
    QSignalSpy stored(m_receiver.get(), &OtlpReceiver::recordsStored);
    QSignalSpy batches(m_receiver.get(), &OtlpReceiver::batchStored);
    const QByteArray body = jsonBody(jsonRequest(json::array(
        {jsonLlmSpan({traceId(1), spanId(1)}), jsonHttpSpan(traceId(1), spanId(2), "GET /")})));
    QCOMPARE(post(body, "application/json").status, 200);
    // A sender retrying after a lost answer sends the same spans again.
    const Reply again = post(body, "application/json");
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, QByteArray("{}")); // duplicates are not rejections
    QCOMPARE(recordCount(), 1);

    QTRY_COMPARE(batches.count(), 2);
    const auto second = batches.at(1).at(0).value<OtlpBatch>();
    QCOMPARE(second.records, 0);
    QCOMPARE(second.duplicates, 1);
    QCOMPARE(stored.count(), 1); // nothing new the second time
    const OtlpReceiverCounters c = m_receiver->counters();
    QCOMPARE(c.requests, 2);
    QCOMPARE(c.records, 1);
    QCOMPARE(c.duplicates, 1);
}

void TestOtlpReceiver::concurrentClientsAllStored()
{
    // Several requests in flight at once on parallel connections (QNetworkAccessManager opens
    // up to six per host): each answered 200, every span stored once.
    constexpr int requests = 12;
    constexpr int spansPerRequest = 10;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < requests; ++i) {
        json spans = json::array();
        for (int j = 0; j < spansPerRequest; ++j) {
            const quint64 n = quint64(i * spansPerRequest + j);
            spans.push_back(jsonLlmSpan({traceId(n), spanId(n)}));
        }
        QNetworkRequest request(QUrl(m_receiver->endpoint()));
        const bool protobuf = i % 2 == 1;
        QByteArray body;
        if (protobuf) {
            auto proto = protoRequest();
            for (int j = 0; j < spansPerRequest; ++j) {
                const quint64 n = quint64(i * spansPerRequest + j);
                addProtoLlmSpan(proto, {traceId(n), spanId(n)});
            }
            body = protoBody(proto);
        } else {
            body = jsonBody(jsonRequest(spans));
        }
        request.setRawHeader("Content-Type",
                             protobuf ? "application/x-protobuf" : "application/json");
        replies << m_nam->post(request, body);
    }
    for (QNetworkReply *reply : replies) {
        if (!reply->isFinished())
            QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    }
    QCOMPARE(recordCount(), requests * spansPerRequest);
    QCOMPARE(m_receiver->counters().records, requests * spansPerRequest);
}

void TestOtlpReceiver::keepAlivePipeliningAndChunkedBodies()
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_receiver->port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray first
        = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(1), spanId(1)})})));
    const QByteArray second
        = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(2), spanId(2)})})));
    // Two requests in one write: the first with Content-Length, the second chunked (with a
    // chunk extension and a trailer), on one keep-alive connection.
    QByteArray wire = "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: "
        + QByteArray::number(first.size()) + "\r\n\r\n" + first;
    wire += "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n";
    const qsizetype half = second.size() / 2;
    wire += QByteArray::number(half, 16) + ";ext=1\r\n" + second.left(half) + "\r\n";
    wire += QByteArray::number(second.size() - half, 16) + "\r\n" + second.mid(half) + "\r\n";
    wire += "0\r\nX-Trailer: 1\r\n\r\n";
    socket.write(wire);
    QByteArray buffer;
    const QList<RawResponse> answers = readResponses(socket, 2, buffer);
    QCOMPARE(answers.size(), 2);
    QCOMPARE(answers[0].status, 200);
    QCOMPARE(answers[1].status, 200);
    QVERIFY(answers[0].head.contains("Connection: keep-alive"));
    QCOMPARE(recordCount(), 2);

    // Still open; "Connection: close" is honoured after the answer.
    socket.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
    const QList<RawResponse> last = readResponses(socket, 1, buffer);
    QCOMPARE(last.size(), 1);
    QCOMPARE(last[0].status, 200);
    QVERIFY(last[0].head.contains("Connection: close"));
    QVERIFY(socket.state() == QAbstractSocket::UnconnectedState
            || socket.waitForDisconnected(5000));

    // Garbage instead of HTTP: 400 and the connection is closed.
    QTcpSocket bad;
    bad.connectToHost(QStringLiteral("127.0.0.1"), m_receiver->port());
    QVERIFY(bad.waitForConnected(5000));
    bad.write("HELLO THERE\r\n\r\n");
    QByteArray badBuffer;
    const QList<RawResponse> refused = readResponses(bad, 1, badBuffer);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused[0].status, 400);
}

void TestOtlpReceiver::expectContinueAndOversizedBodies()
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_receiver->port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body
        = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(1), spanId(1)})})));
    socket.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n");
    QByteArray buffer;
    const QList<RawResponse> interim = readResponses(socket, 1, buffer);
    QCOMPARE(interim.size(), 1);
    QCOMPARE(interim[0].status, 100);
    socket.write(body);
    const QList<RawResponse> final = readResponses(socket, 1, buffer);
    QCOMPARE(final.size(), 1);
    QCOMPARE(final[0].status, 200);
    QCOMPARE(recordCount(), 1);

    // Over the body limit: 413 without reading the body.
    socket.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 999999999999\r\n\r\n");
    const QList<RawResponse> tooLarge = readResponses(socket, 1, buffer);
    QCOMPARE(tooLarge.size(), 1);
    QCOMPARE(tooLarge[0].status, 413);
}

void TestOtlpReceiver::sessionIsRecordedAndStopCloses()
{
    const quint16 port = m_receiver->port();
    const qint64 importId = m_receiver->importId();
    QVERIFY(importId > 0);
    QByteArray body = jsonBody(jsonRequest(json::array(
        {jsonLlmSpan({traceId(1), spanId(1)}), jsonHttpSpan(traceId(1), spanId(2), "GET /")})));
    QCOMPARE(post(body, "application/json").status, 200);
    QCOMPARE(post(body, "application/json").status, 200);

    auto row = [&]() -> QStringList {
        auto st = m_project->db().prepare(QStringLiteral(
            "SELECT source, format, imported, duplicates, malformed, not_llm, status, "
            "finished_at IS NULL FROM log_imports WHERE id = ?"));
        if (!st)
            return {};
        st->bind(1, importId);
        auto has = st->step();
        if (!has || !*has)
            return {};
        QStringList out;
        for (int i = 0; i < 8; ++i)
            out << st->text(i);
        return out;
    };
    const QString source = QStringLiteral("otlp-http://127.0.0.1:%1").arg(port);
    QCOMPARE(row(),
             (QStringList {source, QStringLiteral("otlp"), QStringLiteral("1"), QStringLiteral("1"),
                           QStringLiteral("0"), QStringLiteral("2"), QStringLiteral("running"),
                           QStringLiteral("1")}));

    m_receiver->stop();
    QVERIFY(!m_receiver->isRunning());
    QCOMPARE(row(),
             (QStringList {source, QStringLiteral("otlp"), QStringLiteral("1"), QStringLiteral("1"),
                           QStringLiteral("0"), QStringLiteral("2"), QStringLiteral("completed"),
                           QStringLiteral("0")}));
    // Counters stay readable after stop().
    QCOMPARE(m_receiver->counters().records, 1);
    QCOMPARE(m_receiver->counters().duplicates, 1);

    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(!socket.waitForConnected(2000));

    // Started again: a new session on the same port.
    OtlpReceiverOptions options;
    options.port = port;
    QVERIFY(m_receiver->start(*m_project, options));
    QVERIFY(m_receiver->importId() != importId);
    QCOMPARE(m_receiver->counters().records, 0);
    body = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(5), spanId(5)})})));
    QCOMPARE(post(body, "application/json").status, 200);
    QCOMPARE(recordCount(), 2);
}

void TestOtlpReceiver::busyProjectIs503AndTheRetryIsStored()
{
    m_receiver->stop();
    OtlpReceiverOptions options;
    options.port = 0;
    options.storeBusyTimeoutMs = 100;
    QVERIFY(m_receiver->start(*m_project, options));
    QSignalSpy failed(m_receiver.get(), &OtlpReceiver::storeFailed);

    // Another writer (here the test's own connection) holds the project.
    QVERIFY(m_project->db().exec(QStringLiteral("BEGIN IMMEDIATE")));
    const LlmCall call {traceId(1), spanId(1)};
    const QByteArray body = jsonBody(jsonRequest(json::array({jsonLlmSpan(call)})));
    const Reply busy = post(body, "application/json");
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.header("Retry-After"), QByteArray("1")); // OTLP exporters retry 503
    QCOMPARE(busy.jsonBody().value("code", 0), 14); // UNAVAILABLE
    QVERIFY(QString::fromStdString(busy.jsonBody().value("message", std::string()))
                .contains(QStringLiteral("could not be stored")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(m_project->db().exec(QStringLiteral("ROLLBACK")));

    // The exporter's retry lands.
    QCOMPARE(post(body, "application/json").status, 200);
    QVERIFY(recordBySpan(call.traceId, call.spanId));
    const OtlpReceiverCounters c = m_receiver->counters();
    QCOMPARE(c.failedRequests, 1);
    QCOMPARE(c.records, 1);
    QCOMPARE(c.requests, 1);
}

void TestOtlpReceiver::portInUseAndBadHostAreErrors()
{
    OtlpReceiver second;
    OtlpReceiverOptions options;
    options.port = m_receiver->port();
    auto started = second.start(*m_project, options);
    QVERIFY(!started);
    QCOMPARE(started.error().code, ErrorCode::Network);
    QVERIFY2(started.error().message.contains(QStringLiteral("already in use")),
             qPrintable(started.error().message));
    QVERIFY(!second.isRunning());

    options.host = QStringLiteral("example.com");
    options.port = 0;
    started = second.start(*m_project, options);
    QVERIFY(!started);
    QCOMPARE(started.error().code, ErrorCode::InvalidArgument);

    // Starting twice is refused; the first keeps working.
    QVERIFY(!m_receiver->start(*m_project, {}));
    const QByteArray body
        = jsonBody(jsonRequest(json::array({jsonLlmSpan({traceId(1), spanId(1)})})));
    QCOMPARE(post(body, "application/json").status, 200);
}

QTEST_GUILESS_MAIN(TestOtlpReceiver)
#include "test_otlp_receiver.moc"
