// The OTLP import reads JSON Lines through simdjson straight into spans (FastSpanReader);
// nlohmann-json through readTracesData() is the reference. Both must give the same records,
// other spans and malformed reasons for every shape the importer accepts, and a line simdjson
// refuses must still be imported the reference way.

#include "otelsupport.h"

#include "logs/formats/otlpfastspans.h"
#include "logs/formats/otlptraces.h"
#include "logs/logrowvalues.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOtlpFastSpans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameRecordsAsTheNlohmannPath();
    void refusedLinesAreReadTheReferenceWay();
};

namespace {

// Every stored column of a record, one per line, so that a difference names its column.
QString rowText(const LogRecord &record)
{
    const LogRowValues v = LogRowValues::from(record);
    QStringList lines;
    auto add = [&lines](const char *name, const std::optional<QByteArray> &value) {
        lines << QStringLiteral("%1=%2").arg(
            QLatin1String(name), value ? QString::fromUtf8(*value) : QStringLiteral("NULL"));
    };
    auto number = [&lines](const char *name, const auto &value) {
        lines << QStringLiteral("%1=%2").arg(
            QLatin1String(name), value ? QString::number(*value) : QStringLiteral("NULL"));
    };
    add("start", v.startTime);
    add("end", v.endTime);
    number("latency", v.latencyMs);
    number("ttft", v.ttftMs);
    add("model", v.model);
    add("provider", v.provider);
    add("messages", v.messages);
    add("output", v.output);
    add("output_tool_calls", v.outputToolCalls);
    add("reasoning", v.reasoning);
    add("finish", v.finishReason);
    number("input_tokens", v.inputTokens);
    number("output_tokens", v.outputTokens);
    number("cost", v.cost);
    lines << QStringLiteral("ok=%1").arg(v.ok);
    add("error", v.error);
    add("trace", v.traceId);
    add("span", v.spanId);
    add("parent", v.parentSpanId);
    add("session", v.sessionId);
    add("prompt", v.promptName);
    add("prompt_version", v.promptVersion);
    add("metadata", v.metadata);
    add("source_format", v.sourceFormat);
    add("dedupe", v.dedupeKey);
    add("fts_input", v.ftsInput);
    return lines.join(QLatin1Char('\n'));
}

QString spanText(const TraceSpan &s)
{
    return QStringList {s.traceId,
                        s.spanId,
                        s.parentSpanId.value_or(QStringLiteral("-")),
                        s.name,
                        QString::number(s.startMs.value_or(-1)),
                        QString::number(s.endMs.value_or(-1)),
                        s.status.value_or(QStringLiteral("-"))}
        .join(QLatin1Char('|'));
}

void compareSinks(const ListSink &fast, const ListSink &reference)
{
    QCOMPARE(fast.records.size(), reference.records.size());
    for (qsizetype i = 0; i < fast.records.size(); ++i)
        QCOMPARE(rowText(fast.records[i]), rowText(reference.records[i]));
    QCOMPARE(fast.others.size(), reference.others.size());
    for (qsizetype i = 0; i < fast.others.size(); ++i)
        QCOMPARE(spanText(fast.others[i]), spanText(reference.others[i]));
    QCOMPARE(fast.bad.size(), reference.bad.size());
    for (qsizetype i = 0; i < fast.bad.size(); ++i)
        QCOMPARE(fast.bad[i].second, reference.bad[i].second);
}

std::string longBase64()
{
    std::string s;
    for (int i = 0; i < 400; ++i)
        s += "QUJD";
    return s;
}

// One TracesData per line, each a different shape found in the wild.
QList<std::string> variedLines()
{
    QList<std::string> lines;
    // Canonical: camelCase, lower-case hex, 64-bit integers as strings, messages as JSON text.
    lines
        << tracesData(
               json::array({span(
                   "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                   {kv("gen_ai.operation.name", str("chat")),
                    kv("gen_ai.provider.name", str("openai")),
                    kv("gen_ai.request.model", str("gpt-4o-mini")),
                    kv("gen_ai.response.model", str("gpt-4o-mini-2024-07-18")),
                    kv("gen_ai.response.finish_reasons", array({str("stop")})),
                    kv("gen_ai.usage.input_tokens", integer(38)),
                    kv("gen_ai.usage.output_tokens", integer(14)),
                    kv("gen_ai.request.temperature", dbl(0.2)),
                    kv("gen_ai.system_instructions",
                       str(R"([{"type":"text","content":"Be brief."}])")),
                    kv("gen_ai.input.messages",
                       str(R"([{"role":"user","parts":[{"type":"text","content":"Où est ma commande ? \u00e9\n\"quoted\""}]}])")),
                    kv("gen_ai.output.messages",
                       str(R"([{"role":"assistant","parts":[{"type":"text","content":"Shipped."}],"finish_reason":"stop"}])"))})}))
               .dump();
    // snake_case keys, upper-case ids, integers as numbers, enums by name, an error status.
    lines
        << R"({"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"bot"}}]},"scope_spans":[{"scope":{"name":"s","version":"2","attributes":[{"key":"k","value":{"int_value":7}}]},"spans":[{"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B175","parent_span_id":"EEE19B7EC3C1B174","name":"chat claude","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1786550400120000000,"end_time_unix_nano":1786550401460000000,"status":{"code":"STATUS_CODE_ERROR","message":"rate limited"},"attributes":[{"key":"gen_ai.operation.name","value":{"string_value":"chat"}},{"key":"gen_ai.request.model","value":{"string_value":"claude-3-5-haiku"}},{"key":"gen_ai.usage.input_tokens","value":{"int_value":12}},{"key":"gen_ai.usage.output_tokens","value":{"int_value":"3"}},{"key":"gen_ai.usage.cost","value":{"double_value":0.0021}},{"key":"gen_ai.response.time_to_first_chunk","value":{"double_value":"0.25"}},{"key":"error.type","value":{"string_value":"429"}},{"key":"stream","value":{"bool_value":"true"}},{"key":"gen_ai.input.messages","value":{"string_value":"[{\"role\":\"user\",\"content\":\"hi\"}]"}}]}]}]}]})";
    // Structured arrayValue/kvlistValue messages with tool calls, tool responses, reasoning,
    // media parts; structured system instructions.
    const json userParts
        = array({kvlist({kv("type", str("text")), kv("content", str("What is the weather?"))}),
                 kvlist({kv("type", str("blob")), kv("mime_type", str("image/png")),
                         kv("content", str(longBase64()))}),
                 kvlist({kv("type", str("uri")), kv("modality", str("image")),
                         kv("uri", str("https://example.com/a.png"))}),
                 kvlist({kv("type", str("file")), kv("file_id", str("file-123"))})});
    const json input = array(
        {kvlist({kv("role", str("user")), kv("parts", userParts)}),
         kvlist({kv("role", str("assistant")),
                 kv("parts",
                    array({kvlist({kv("type", str("tool_call")), kv("id", str("call_1")),
                                   kv("name", str("weather")),
                                   kv("arguments", kvlist({kv("city", str("Paris"))}))})}))}),
         kvlist({kv("role", str("tool")),
                 kv("parts",
                    array({kvlist({kv("type", str("tool_call_response")), kv("id", str("call_1")),
                                   kv("response", str("18 C"))})}))})});
    const json output = array(
        {kvlist({kv("role", str("assistant")), kv("finish_reason", str("tool_calls")),
                 kv("parts",
                    array({kvlist({kv("type", str("reasoning")), kv("content", str("Think."))}),
                           kvlist({kv("type", str("text")), kv("content", str("Sunny."))}),
                           kvlist({kv("type", str("tool_call")), kv("id", str("call_2")),
                                   kv("name", str("forecast")),
                                   kv("arguments", str(R"({"days":3})"))})}))})});
    lines << tracesData(
                 json::array({span(
                     "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                     {kv("gen_ai.operation.name", str("chat")),
                      kv("gen_ai.request.model", str("gpt-4o")),
                      kv("gen_ai.system_instructions",
                         array({kvlist({kv("type", str("text")), kv("content", str("Sys."))})})),
                      kv("gen_ai.input.messages", input), kv("gen_ai.output.messages", output),
                      kv("gen_ai.conversation.id", str("conv-1")),
                      kv("langfuse.observation.prompt.name", str("support")),
                      kv("langfuse.observation.prompt.version", integer(3))})}))
                 .dump();
    // Legacy per-message events on the span, an exception event, a data: URI.
    json legacy
        = span("0af7651916cd43dd8448eb211c80319d", "b7ad6b7169203332",
               {kv("gen_ai.system", str("openai")), kv("gen_ai.request.model", str("gpt-4")),
                kv("error.type", str("timeout"))});
    legacy["events"] = json::array(
        {{{"name", "gen_ai.system.message"},
          {"timeUnixNano", "1786550400130000000"},
          {"attributes", {kv("content", str("You help."))}}},
         {{"name", "gen_ai.user.message"},
          {"timeUnixNano", 1786550400140000000LL},
          {"attributes",
           {kv("gen_ai.event.content",
               str(R"({"content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,QUJDRA=="}}]})"))}}},
         {{"name", "gen_ai.choice"},
          {"attributes",
           {kv("gen_ai.event.content",
               str(R"({"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"A cat."}})"))}}},
         {{"name", "exception"},
          {"attributes", {kv("exception.type", str("Timeout")), kv("exception.message", str(""))}}},
         {{"name", "retry"}, {"timeUnixNano", "1786550400150000000"}}});
    lines << tracesData(json::array({legacy})).dump();
    // OpenLLMetry's flattened attributes: 12 prompts (10 after 9), a completion.
    json flat = {kv("llm.request.type", str("chat")),
                 kv("gen_ai.request.model", str("gpt-3.5-turbo")),
                 kv("gen_ai.usage.prompt_tokens", integer(100)),
                 kv("gen_ai.usage.completion_tokens", integer(5)),
                 kv("gen_ai.completion.0.role", str("assistant")),
                 kv("gen_ai.completion.0.content", str("Done.")),
                 kv("gen_ai.completion.0.finish_reason", str("stop")),
                 kv("traceloop.prompt.key", str("flat")),
                 kv("traceloop.prompt.version", str("v2"))};
    for (int i = 0; i < 12; ++i) {
        flat.push_back(
            kv("gen_ai.prompt." + std::to_string(i) + ".role", str(i % 2 ? "assistant" : "user")));
        flat.push_back(kv("gen_ai.prompt." + std::to_string(i) + ".content",
                          str("turn " + std::to_string(i))));
    }
    lines << tracesData(
                 json::array({span("1af7651916cd43dd8448eb211c80319d", "c7ad6b7169203332", flat)}))
                 .dump();
    // A non-LLM span, a span with a bad id, a span that is no object, attributes that are no
    // list, base64 ids, the legacy instrumentationLibrarySpans.
    lines
        << R"({"resourceSpans":[{"resource":{"attributes":[]},"instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"old"},"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"GET /orders","kind":2,"startTimeUnixNano":"1786550400000000000","endTimeUnixNano":"1786550400500000000","status":{"code":1}},{"traceId":"xyz","spanId":"eee19b7ec3c1b174","name":"bad"},5,{"traceId":"6b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b176","attributes":3},{"traceId":"6b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b177","parentSpanId":"zz","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"plain-object"}}]}]}]})";
    // AnyValues of several members, empty ones, bytes, NaN, repeated keys (the last counts),
    // a kvlist attribute kept as metadata, an array of mixed values.
    lines
        << R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000000","traceId":"7b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b178","kind":9,"startTimeUnixNano":"0","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"first"}},{"key":"gen_ai.request.model","value":{"stringValue":"second"}},{"key":"multi","value":{"stringValue":"s","intValue":"4"}},{"key":"empty","value":{}},{"key":"none"},{"key":"nan","value":{"doubleValue":"NaN"}},{"key":"inf","value":{"doubleValue":"Infinity"}},{"key":"bytes","value":{"bytesValue":")"
            + longBase64()
            + R"("}},{"key":"plain","value":"not an AnyValue"},{"key":"other","value":{"somethingElse":1}},{"key":"nested","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{"boolValue":true},{"doubleValue":1.5},{"stringValue":"x"},null]}}}]}}},{"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"user\",\"content\":\"dup keys\"}]"}},{"key":7,"value":{"stringValue":"no key"}},"junk"]}]}]}]})";
    // OpenInference attributes arriving as plain OTLP.
    lines << tracesData(
                 json::array({span("2af7651916cd43dd8448eb211c80319d", "d7ad6b7169203332",
                                   {kv("openinference.span.kind", str("LLM")),
                                    kv("llm.model_name", str("gpt-4o")),
                                    kv("llm.input_messages.0.message.role", str("user")),
                                    kv("llm.input_messages.0.message.content", str("Hi")),
                                    kv("llm.output_messages.0.message.role", str("assistant")),
                                    kv("llm.output_messages.0.message.content", str("Yo")),
                                    kv("llm.token_count.prompt", integer(3)),
                                    kv("input.value", str("__REDACTED__"))})}))
                 .dump();
    // No resourceSpans content at all, and an empty list.
    lines << R"({"resourceSpans":null})";
    lines << R"({"resourceSpans":[]})";
    return lines;
}

} // namespace

void TestOtlpFastSpans::sameRecordsAsTheNlohmannPath()
{
    const LogJoinData join;
    const QList<std::string> lines = variedLines();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const std::string &line = lines[i];
        ListSink fast;
        otlp::FastSpanReader reader(fast, join, QStringLiteral("otlp"));
        QCOMPARE(reader.read(line, i + 1), otlp::LineOutcome::Read);

        ListSink reference;
        const json doc = json::parse(line, nullptr, false);
        QVERIFY(!doc.is_discarded());
        QVERIFY(readTracesData(doc, reference, join));
        compareSinks(fast, reference);
    }

    // The whole file through the importer's reader: the same as line by line.
    QTemporaryDir dir;
    QByteArray text;
    for (const std::string &line : lines)
        text += QByteArray::fromStdString(line) + '\n';
    ListSink viaFile;
    LogJoinData fileJoin;
    QVERIFY(readWith(writeFile(dir, QStringLiteral("varied.jsonl"), text), QString(), viaFile,
                     fileJoin));
    ListSink reference;
    for (const std::string &line : lines)
        QVERIFY(readTracesData(json::parse(line), reference, join));
    compareSinks(viaFile, reference);

    // What the records hold, so that the comparison is not between two empty lists.
    QCOMPARE(reference.records.size(), 8);
    QCOMPARE(reference.others.size(), 1);
    QCOMPARE(reference.bad.size(), 3);
    QCOMPARE(reference.records[2].messages.size(), 4); // system + three structured ones
    QVERIFY(reference.records[2].messages[1].content->contains(
        QStringLiteral("[image/png, 1200 bytes]")));
    QCOMPARE(reference.records[4].messages.size(), 12);
    QCOMPARE(*reference.records[4].messages[10].content, QStringLiteral("turn 10"));
    QCOMPARE(*reference.records[6].model, QStringLiteral("second"));
    QCOMPARE(reference.records[7].sourceFormat, QStringLiteral("openinference"));
}

void TestOtlpFastSpans::refusedLinesAreReadTheReferenceWay()
{
    // An integer past 64 bits: simdjson refuses the line, nlohmann reads it as a double.
    json doc = tracesData(json::array({span("3af7651916cd43dd8448eb211c80319d", "e7ad6b7169203332",
                                            {kv("gen_ai.request.model", str("big"))})}));
    std::string line = doc.dump();
    const std::string marker = "\"kind\":3";
    line.replace(line.find(marker), marker.size(), "\"kind\":3,\"big\":18446744073709551616");
    const LogJoinData join;
    ListSink fast;
    otlp::FastSpanReader reader(fast, join, QStringLiteral("otlp"));
    QCOMPARE(reader.read(line, 1), otlp::LineOutcome::Refused);
    QVERIFY(fast.records.isEmpty());

    // A line that is JSON but no TracesData is refused too, so the reference reports it.
    QCOMPARE(reader.read(R"({"resourceLogs":[]})", 2), otlp::LineOutcome::Refused);

    QTemporaryDir dir;
    const QByteArray text = QByteArray::fromStdString(variedLines().front()) + '\n'
        + QByteArray::fromStdString(line) + "\n{\"resourceLogs\":[]}\n";
    ListSink viaFile;
    LogJoinData fileJoin;
    QVERIFY(readWith(writeFile(dir, QStringLiteral("mixed.jsonl"), text), QString(), viaFile,
                     fileJoin));
    QCOMPARE(viaFile.records.size(), 2);
    QCOMPARE(*viaFile.records[1].model, QStringLiteral("big"));
    QCOMPARE(viaFile.bad.size(), 1);
    QCOMPARE(viaFile.bad[0].first, 3);
}

QTEST_GUILESS_MAIN(TestOtlpFastSpans)
#include "test_otlp_fast_spans.moc"
