// POST /v1/logs over real HTTP on loopback: the GenAI events that instrumentations following the
// conventions up to v1.36 (OpenAI's Python "-v2" instrumentation, for one) send as log records
// give the calls received on /v1/traces their messages and output, whichever arrives first.

#include "otlptestspans.h"
#include "receivertestclient.h"

#include "logs/logfilter.h"
#include "logs/logstore.h"
#include "logs/receiver/otlpcodec.h"
#include "logs/receiver/otlplogs.pb.h"
#include "logs/receiver/otlpreceiver.h"
#include "logs/receiver/pendinggenaievents.h"
#include "storage/project.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace ts;
using namespace otlptest;

namespace {

/// The span such an instrumentation sends: the call's model, usage and finish reason, no
/// messages (they travel as events).
json eventStyleSpan(const LlmCall &c)
{
    json span = jsonLlmSpan(c);
    json attrs = json::array();
    for (const json &kv : span["attributes"])
        if (kv["key"] != "gen_ai.input.messages" && kv["key"] != "gen_ai.output.messages")
            attrs.push_back(kv);
    attrs.push_back(stringAttr("gen_ai.system", "openai"));
    span["attributes"] = attrs;
    return span;
}

json kvlist(const json &pairs)
{
    json values = json::array();
    for (const auto &[key, value] : pairs.items())
        values.push_back(
            {{"key", key},
             {"value", value.is_object() ? kvlist(value) : json {{"stringValue", value}}}});
    return {{"kvlistValue", {{"values", values}}}};
}

/// One OTLP/JSON log record carrying a GenAI event, its body as an AnyValue kvlist.
json eventRecord(const LlmCall &c, const char *name, const json &body, quint64 timeNs)
{
    return {{"timeUnixNano", std::to_string(timeNs)},
            {"traceId", c.traceId.toStdString()},
            {"spanId", c.spanId.toStdString()},
            {"eventName", name},
            {"attributes", json::array({stringAttr("gen_ai.system", "openai")})},
            {"body", kvlist(body)}};
}

json userEvent(const LlmCall &c)
{
    return eventRecord(c, "gen_ai.user.message", {{"content", c.user.toStdString()}}, c.startNs);
}

json choiceEvent(const LlmCall &c)
{
    return eventRecord(c, "gen_ai.choice",
                       {{"index", "0"},
                        {"finish_reason", "stop"},
                        {"message", {{"role", "assistant"}, {"content", c.answer.toStdString()}}}},
                       c.endNs);
}

QByteArray logsBody(const json &records)
{
    const json request
        = {{"resourceLogs",
            json::array(
                {{{"resource", {{"attributes", json::array({stringAttr("service.name", "shop")})}}},
                  {"scopeLogs",
                   json::array({{{"scope",
                                  {{"name",
                                    "opentelemetry.instrumentation."
                                    "openai_v2"}}},
                                 {"logRecords", records}}})}}})}};
    return QByteArray::fromStdString(request.dump());
}

/// The same events as protobuf, with the event name as the `event.name` attribute (as SDKs
/// before LogRecord.event_name wrote it).
QByteArray protoLogsBody(const LlmCall &c)
{
    otlp::ExportLogsServiceRequest request;
    otlp::ScopeLogs *scope = request.add_resource_logs()->add_scope_logs();
    scope->mutable_scope()->set_name("opentelemetry.instrumentation.openai_v2");
    auto add = [&](const char *name, quint64 timeNs) {
        otlp::LogRecord *r = scope->add_log_records();
        r->set_time_unix_nano(timeNs);
        r->set_trace_id(bytesFromHex(c.traceId));
        r->set_span_id(bytesFromHex(c.spanId));
        addString(r->mutable_attributes(), "event.name", name);
        return r->mutable_body()->mutable_kvlist_value();
    };
    otlp::KeyValueList *user = add("gen_ai.user.message", c.startNs);
    otlp::KeyValue *content = user->add_values();
    content->set_key("content");
    content->mutable_value()->set_string_value(c.user.toStdString());
    otlp::KeyValueList *choice = add("gen_ai.choice", c.endNs);
    otlp::KeyValue *finish = choice->add_values();
    finish->set_key("finish_reason");
    finish->mutable_value()->set_string_value("stop");
    otlp::KeyValue *message = choice->add_values();
    message->set_key("message");
    otlp::KeyValueList *fields = message->mutable_value()->mutable_kvlist_value();
    otlp::KeyValue *role = fields->add_values();
    role->set_key("role");
    role->mutable_value()->set_string_value("assistant");
    otlp::KeyValue *text = fields->add_values();
    text->set_key("content");
    text->mutable_value()->set_string_value(c.answer.toStdString());
    return QByteArray::fromStdString(request.SerializeAsString());
}

} // namespace

class TestOtlpLogsReceiver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void eventsBeforeTheSpanGiveItsMessages();
    void eventsAfterTheSpanCompleteTheStoredRecord();
    void eventsSplitAroundTheSpan();
    void eventsOneRequestEachAfterTheSpanAddUp();
    void eventsNeverReplaceMessagesTheSpanCarries();
    void otherLogRecordsAreAcceptedAndLeftOut();
    void malformedLogRecordsAndBodies();
    void waitingEventsAreBounded();

private:
    Reply post(const QByteArray &body, const char *path,
               const QByteArray &contentType = "application/json",
               const QByteArray &contentEncoding = {});
    std::optional<LogRecord> recordBySpan(const LlmCall &c);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<Project> m_project;
    std::unique_ptr<OtlpReceiver> m_receiver;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestOtlpLogsReceiver::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto project = Project::create(m_dir->filePath(QStringLiteral("p.touchstone")));
    QVERIFY(project);
    m_project.emplace(std::move(*project));
    m_receiver = std::make_unique<OtlpReceiver>();
    OtlpReceiverOptions options;
    options.port = 0;
    auto started = m_receiver->start(*m_project, options);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
    QCOMPARE(m_receiver->baseUrl(), QStringLiteral("http://127.0.0.1:%1").arg(m_receiver->port()));
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestOtlpLogsReceiver::cleanup()
{
    m_nam.reset();
    m_receiver.reset();
    m_project.reset();
    m_dir.reset();
}

Reply TestOtlpLogsReceiver::post(const QByteArray &body, const char *path,
                                 const QByteArray &contentType, const QByteArray &contentEncoding)
{
    return send(*m_nam, m_receiver->port(), body, contentType, contentEncoding,
                QString::fromLatin1(path), "POST");
}

std::optional<LogRecord> TestOtlpLogsReceiver::recordBySpan(const LlmCall &c)
{
    LogStore store(m_project->db());
    auto id = store.findBySpan(c.traceId, c.spanId);
    if (!id || !*id)
        return std::nullopt;
    auto record = store.record(**id);
    return record ? std::optional<LogRecord>(*record) : std::nullopt;
}

void TestOtlpLogsReceiver::eventsBeforeTheSpanGiveItsMessages()
{
    const LlmCall call {traceId(1), spanId(1)};
    const Reply logs
        = post(logsBody(json::array({userEvent(call), choiceEvent(call)})), "/v1/logs");
    QCOMPARE(logs.status, 200);
    QCOMPARE(logs.contentType, QByteArray("application/json"));
    QVERIFY(logs.jsonBody() == json::object()); // an ExportLogsServiceResponse with nothing refused
    QVERIFY(!recordBySpan(call)); // events alone are no record

    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    const auto record = recordBySpan(call);
    QVERIFY(record);
    QCOMPARE(record->messages.size(), 1);
    QCOMPARE(record->messages[0].role, QStringLiteral("user"));
    QCOMPARE(record->messages[0].content, std::optional(call.user));
    QCOMPARE(record->output, std::optional(call.answer));
    QCOMPARE(record->finishReason, std::optional(QStringLiteral("stop")));
    QCOMPARE(record->model, std::optional(call.model));
    QCOMPARE(record->inputTokens, std::optional<qint64>(call.inputTokens));

    const OtlpReceiverCounters c = m_receiver->counters();
    QCOMPARE(c.logRequests, 1);
    QCOMPARE(c.events, 2);
    QCOMPARE(c.records, 1);
    QCOMPARE(c.completed, 0); // joined before it was stored
}

void TestOtlpLogsReceiver::eventsAfterTheSpanCompleteTheStoredRecord()
{
    // Protobuf this time, the way Python's exporter sends by default.
    const LlmCall call {traceId(2),
                        spanId(2),
                        {},
                        QStringLiteral("gpt-4o"),
                        QStringLiteral("Can I change the delivery address?"),
                        QStringLiteral("Yes, until the parcel is dispatched.")};
    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    const auto before = recordBySpan(call);
    QVERIFY(before);
    QVERIFY(before->messages.isEmpty());
    QVERIFY(!before->output);
    LogStore store(m_project->db());
    LogFilter search;
    search.search = QStringLiteral("dispatched");
    QCOMPARE(*store.count(search), 0);

    QSignalSpy completed(m_receiver.get(), &OtlpReceiver::recordsCompleted);
    const Reply logs = post(protoLogsBody(call), "/v1/logs", "application/x-protobuf");
    QCOMPARE(logs.status, 200);
    QCOMPARE(logs.contentType, QByteArray("application/x-protobuf"));
    otlp::ExportLogsServiceResponse response;
    QVERIFY(response.ParseFromArray(logs.body.constData(), int(logs.body.size())));
    QVERIFY(!response.has_partial_success());

    const auto after = recordBySpan(call);
    QVERIFY(after);
    QCOMPARE(after->id, before->id);
    QCOMPARE(after->messages.size(), 1);
    QCOMPARE(after->messages[0].content, std::optional(call.user));
    QCOMPARE(after->output, std::optional(call.answer));
    QCOMPARE(after->finishReason, std::optional(QStringLiteral("stop")));
    // The table's previews and full-text search follow.
    auto rows = store.rows(LogFilter {}, LogSort::TimeAscending, 10);
    QVERIFY(rows);
    QCOMPARE(rows->size(), 1);
    QVERIFY(rows->first().inputPreview.value_or(QString()).contains(
        QStringLiteral("delivery address")));
    QVERIFY(rows->first().outputPreview.value_or(QString()).contains(QStringLiteral("dispatched")));
    QCOMPARE(*store.count(search), 1);
    search.search = QStringLiteral("address");
    QCOMPARE(*store.count(search), 1);

    QTRY_COMPARE(completed.size(), 1);
    QCOMPARE(completed.first().first().value<QList<qint64>>(), QList<qint64> {before->id});
    QCOMPARE(m_receiver->counters().completed, 1);
    QCOMPARE(m_receiver->counters().records, 1);
}

void TestOtlpLogsReceiver::eventsSplitAroundTheSpan()
{
    // The prompt's event is exported before the span, the answer's after it.
    const LlmCall call {traceId(3), spanId(3)};
    QCOMPARE(post(logsBody(json::array({userEvent(call)})), "/v1/logs").status, 200);
    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    auto record = recordBySpan(call);
    QVERIFY(record);
    QCOMPARE(record->messages.size(), 1);
    QVERIFY(!record->output);
    QCOMPARE(post(logsBody(json::array({choiceEvent(call)})), "/v1/logs").status, 200);
    record = recordBySpan(call);
    QCOMPARE(record->messages.size(), 1);
    QCOMPARE(record->messages[0].content, std::optional(call.user));
    QCOMPARE(record->output, std::optional(call.answer));
    QCOMPARE(m_receiver->counters().completed, 1);
}

void TestOtlpLogsReceiver::eventsOneRequestEachAfterTheSpanAddUp()
{
    // A simple log processor exports every event in a request of its own.
    const LlmCall call {traceId(8), spanId(8)};
    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    const json system = eventRecord(call, "gen_ai.system.message",
                                    {{"content", "You answer in one sentence."}}, call.startNs);
    for (const json &event : {system, userEvent(call), choiceEvent(call)})
        QCOMPARE(post(logsBody(json::array({event})), "/v1/logs").status, 200);
    const auto record = recordBySpan(call);
    QCOMPARE(record->messages.size(), 2);
    QCOMPARE(record->messages[0].role, QStringLiteral("system"));
    QCOMPARE(record->messages[0].content,
             std::optional(QStringLiteral("You answer in one sentence.")));
    QCOMPARE(record->messages[1].role, QStringLiteral("user"));
    QCOMPARE(record->messages[1].content, std::optional(call.user));
    QCOMPARE(record->output, std::optional(call.answer));
    QCOMPARE(m_receiver->counters().completed, 3);
    // The index holds the text once: a word of the first event is found, and only in this record.
    LogFilter search;
    search.search = QStringLiteral("sentence");
    QCOMPARE(*LogStore(m_project->db()).count(search), 1);
}

void TestOtlpLogsReceiver::eventsNeverReplaceMessagesTheSpanCarries()
{
    LlmCall call {traceId(4), spanId(4)};
    QCOMPARE(post(jsonBody(jsonRequest(json::array({jsonLlmSpan(call)}))), "/v1/traces").status,
             200);
    LlmCall other = call;
    other.user = QStringLiteral("something else entirely");
    other.answer = QStringLiteral("a different answer");
    QSignalSpy completed(m_receiver.get(), &OtlpReceiver::recordsCompleted);
    QCOMPARE(post(logsBody(json::array({userEvent(other), choiceEvent(other)})), "/v1/logs").status,
             200);
    const auto record = recordBySpan(call);
    QCOMPARE(record->messages.size(), 1);
    QCOMPARE(record->messages[0].content, std::optional(call.user));
    QCOMPARE(record->output, std::optional(call.answer));
    QCOMPARE(m_receiver->counters().completed, 0);
    QTest::qWait(50);
    QCOMPARE(completed.size(), 0);
}

void TestOtlpLogsReceiver::otherLogRecordsAreAcceptedAndLeftOut()
{
    const LlmCall call {traceId(5), spanId(5)};
    json plain = {{"timeUnixNano", "1767225600000000000"},
                  {"severityText", "INFO"},
                  {"body", {{"stringValue", "GET /health 200"}}},
                  {"traceId", call.traceId.toStdString()},
                  {"spanId", call.spanId.toStdString()}};
    json noSpan = userEvent(call);
    noSpan.erase("spanId"); // an event of no span cannot belong to a call
    json zeroIds = userEvent(call);
    zeroIds["traceId"] = std::string(32, '0'); // all zeroes: no trace, as SDKs write it
    zeroIds["spanId"] = std::string(16, '0');
    const Reply r = post(logsBody(json::array({plain, noSpan, zeroIds})), "/v1/logs");
    QCOMPARE(r.status, 200);
    QVERIFY(r.jsonBody() == json::object());
    QCOMPARE(m_receiver->counters().events, 0);
    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    QVERIFY(recordBySpan(call)->messages.isEmpty());
    // An empty export is valid, in both encodings.
    QCOMPARE(post(QByteArray("{}"), "/v1/logs").status, 200);
    QCOMPARE(post(QByteArray(), "/v1/logs", "application/x-protobuf").status, 200);
}

void TestOtlpLogsReceiver::malformedLogRecordsAndBodies()
{
    const LlmCall call {traceId(6), spanId(6)};
    json shortTrace = userEvent(call);
    shortTrace["traceId"] = "abc123";
    json notHex = choiceEvent(call);
    notHex["spanId"] = "zz00000000000001";
    const Reply partial = post(
        logsBody(json::array({shortTrace, userEvent(call), notHex, json("text")})), "/v1/logs");
    QCOMPARE(partial.status, 200);
    const json body = partial.jsonBody();
    QVERIFY2(body.contains("partialSuccess"), partial.body.constData());
    QVERIFY(body["partialSuccess"]["rejectedLogRecords"] == json("3"));
    const QString message
        = QString::fromStdString(body["partialSuccess"]["errorMessage"].get<std::string>());
    QVERIFY2(message.startsWith(QStringLiteral("3 log records of 4 rejected: log record 1: "
                                               "traceId has the wrong length")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("log record 3: spanId is not hexadecimal")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("log record 4: not a JSON object")),
             qPrintable(message));
    QCOMPARE(m_receiver->counters().rejectedLogRecords, 3);
    QCOMPARE(m_receiver->counters().rejected, 0); // spans: none

    // The one good event still reaches its span.
    QCOMPARE(post(jsonBody(jsonRequest(json::array({eventStyleSpan(call)}))), "/v1/traces").status,
             200);
    QCOMPARE(recordBySpan(call)->messages.size(), 1);

    // Bodies that are not OTLP logs: 400; a gzip body is read; other content types: 415.
    const Reply notJson = post(QByteArray("{\"resourceLogs\": "), "/v1/logs");
    QCOMPARE(notJson.status, 400);
    QVERIFY(QString::fromStdString(notJson.jsonBody().value("message", std::string()))
                .contains(QStringLiteral("not valid JSON")));
    const Reply wrongShape = post(QByteArray("{\"resourceLogs\": {}}"), "/v1/logs");
    QCOMPARE(wrongShape.status, 400);
    QVERIFY(QString::fromStdString(wrongShape.jsonBody().value("message", std::string()))
                .contains(QStringLiteral("resourceLogs is not an array")));
    QCOMPARE(post(QByteArray("\x0a\x05\x0a\x03", 4), "/v1/logs", "application/x-protobuf").status,
             400);
    const LlmCall zipped {traceId(7), spanId(7)};
    QCOMPARE(post(gzip(logsBody(json::array({userEvent(zipped), choiceEvent(zipped)}))), "/v1/logs",
                  "application/json", "gzip")
                 .status,
             200);
    QCOMPARE(
        post(jsonBody(jsonRequest(json::array({eventStyleSpan(zipped)}))), "/v1/traces").status,
        200);
    QCOMPARE(recordBySpan(zipped)->output, std::optional(zipped.answer));
    QCOMPARE(post(logsBody(json::array()), "/v1/logs", "text/plain").status, 415);
}

void TestOtlpLogsReceiver::waitingEventsAreBounded()
{
    PendingGenAiEvents::Limits limits;
    limits.maxEvents = 3;
    limits.maxAgeMs = 1000;
    PendingGenAiEvents pending(limits);
    pending.hold(QStringLiteral("a"), json("a1"), 0);
    pending.hold(QStringLiteral("b"), json("b1"), 100);
    pending.hold(QStringLiteral("a"), json("a2"), 200);
    QCOMPARE(pending.eventCount(), 3);
    // A fourth event drops the span that waits longest, with all its events.
    pending.hold(QStringLiteral("c"), json("c1"), 300);
    QCOMPARE(pending.eventCount(), 2);
    QVERIFY(pending.take(QStringLiteral("a")).isEmpty());
    QVERIFY(pending.take(QStringLiteral("b")) == QList<json> {json("b1")});
    QCOMPARE(pending.eventCount(), 1);
    // Too old: dropped when the time comes, counted.
    pending.hold(QStringLiteral("d"), json("d1"), 900);
    QCOMPARE(pending.expire(1250), 0); // c has waited 950 ms
    QCOMPARE(pending.expire(1301), 1); // and now 1,001 ms: dropped, d stays
    QVERIFY(pending.take(QStringLiteral("c")) == QList<json> {});
    QVERIFY(pending.take(QStringLiteral("d")) == QList<json> {json("d1")});
    QVERIFY(pending.isEmpty());
    // Taken and held again, a key waits from its new first event.
    pending.hold(QStringLiteral("e"), json("e1"), 2000);
    QCOMPARE(pending.take(QStringLiteral("e")).size(), 1);
    pending.hold(QStringLiteral("e"), json("e2"), 2900);
    QCOMPARE(pending.expire(3100), 0);
    QVERIFY(pending.take(QStringLiteral("e")) == QList<json> {json("e2")});
}

QTEST_GUILESS_MAIN(TestOtlpLogsReceiver)
#include "test_otlp_logs_receiver.moc"
