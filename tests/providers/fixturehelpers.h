#pragma once

// Shared by the provider tests: loading fixtures from tests/providers/data, feeding bodies
// in different chunkings, and comparing a ChatResult with an .expect.json "expect" object.

#include "providers/responseparser.h"

#include <QFile>
#include <QList>
#include <QRandomGenerator>
#include <QTest>

#include <nlohmann/json.hpp>

namespace ts::testing {

using json = nlohmann::json;

inline QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(TOUCHSTONE_TEST_DATA "/data/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return f.readAll();
}

inline json readJson(const QString &name)
{
    const QByteArray bytes = readData(name);
    return json::parse(bytes.constData(), bytes.constData() + bytes.size());
}

inline QString qs(const json &j)
{
    return QString::fromStdString(j.get<std::string>());
}

enum class Feed { Whole, ByteByByte, FixtureChunks, SmallRandom };

/// Cuts `body` into reads as the mode says; FixtureChunks uses `splits` (byte offsets).
inline QList<QByteArrayView> cut(QByteArrayView body, Feed mode, const QList<qsizetype> &splits = {})
{
    QList<QByteArrayView> parts;
    switch (mode) {
    case Feed::Whole:
        parts << body;
        break;
    case Feed::ByteByByte:
        for (qsizetype i = 0; i < body.size(); ++i)
            parts << body.sliced(i, 1);
        break;
    case Feed::FixtureChunks: {
        qsizetype prev = 0;
        for (qsizetype at : splits) {
            parts << body.sliced(prev, at - prev);
            prev = at;
        }
        parts << body.sliced(prev);
        break;
    }
    case Feed::SmallRandom: {
        QRandomGenerator rng(42);
        qsizetype pos = 0;
        while (pos < body.size()) {
            const qsizetype n = std::min<qsizetype>(body.size() - pos, rng.bounded(1, 8));
            parts << body.sliced(pos, n);
            pos += n;
        }
        break;
    }
    }
    return parts;
}

inline ChatResult parseIn(ProviderKind kind, bool stream, QByteArrayView body, Feed mode,
                          const QList<qsizetype> &splits = {})
{
    auto parser = makeResponseParser(kind, stream);
    QString live;
    for (QByteArrayView part : cut(body, mode, splits)) {
        parser->feed(part);
        live += parser->takeDelta().text;
    }
    parser->finish();
    live += parser->takeDelta().text;
    ChatResult r = parser->result();
    // What the live view showed must be exactly the final text.
    if (live != r.text)
        qWarning("live deltas differ from final text");
    r.metadata["__live_text"] = live.toStdString();
    return r;
}

inline QList<qsizetype> splitsFrom(const json &chunks)
{
    QList<qsizetype> out;
    if (chunks.contains("split_at")) {
        for (const auto &v : chunks["split_at"])
            out << v.get<qsizetype>();
    }
    return out;
}

/// Compares every field present in `expect` with `r`. Use QVERIFY(!QTest::currentTestFailed())
/// after calling, or rely on the failure being recorded.
inline void compareExpect(const ChatResult &r, const json &expect)
{
    QCOMPARE(QString::fromStdString(r.metadata.value("__live_text", std::string())), r.text);
    const auto optStr = [](const json &j) { return j.is_null() ? QString() : qs(j); };
    if (expect.contains("text"))
        QCOMPARE(r.text, optStr(expect["text"]));
    if (expect.contains("reasoning"))
        QCOMPARE(r.reasoning, optStr(expect["reasoning"]));
    if (expect.contains("finish_reason"))
        QCOMPARE(r.finishReason, optStr(expect["finish_reason"]));
    const auto optInt = [](const json &j) {
        return j.is_null() ? std::optional<int>() : std::optional<int>(j.get<int>());
    };
    if (expect.contains("input_tokens"))
        QCOMPARE(r.inputTokens, optInt(expect["input_tokens"]));
    if (expect.contains("output_tokens"))
        QCOMPARE(r.outputTokens, optInt(expect["output_tokens"]));
    if (expect.contains("total_tokens"))
        QCOMPARE(r.totalTokens, optInt(expect["total_tokens"]));
    if (expect.contains("tool_calls")) {
        const json &calls = expect["tool_calls"];
        QCOMPARE(r.toolCalls.size(), qsizetype(calls.size()));
        for (size_t i = 0; i < calls.size(); ++i) {
            const json &e = calls[i];
            const ToolCall &t = r.toolCalls.at(qsizetype(i));
            if (e.contains("index"))
                QCOMPARE(t.index, e["index"].get<int>());
            if (e.contains("id"))
                QCOMPARE(t.id, optStr(e["id"]));
            QCOMPARE(t.name, qs(e["name"]));
            if (e.contains("arguments"))
                QCOMPARE(t.arguments, optStr(e["arguments"]));
            if (e.contains("arguments_json"))
                QCOMPARE(QString::fromStdString(t.argumentsJson.dump()),
                         QString::fromStdString(e["arguments_json"].dump()));
        }
    }
    if (expect.contains("error")) {
        if (expect["error"].is_null()) {
            QVERIFY2(!r.error, r.error ? qPrintable(r.error->message) : "");
        } else {
            QVERIFY(r.error.has_value());
            const json &e = expect["error"];
            if (e.contains("type"))
                QCOMPARE(r.error->type, optStr(e["type"]));
            if (e.contains("message"))
                QCOMPARE(r.error->message, optStr(e["message"]));
        }
    }
    if (expect.contains("done_sentinel"))
        QCOMPARE(r.doneSentinel, expect["done_sentinel"].get<bool>());
    if (expect.contains("sse_events"))
        QCOMPARE(r.sseEvents, expect["sse_events"].get<int>());
    if (expect.contains("incomplete_event_discarded_at_eof"))
        QCOMPARE(r.incompleteEventDiscardedAtEof,
                 expect["incomplete_event_discarded_at_eof"].get<bool>());
    if (expect.contains("message_stop_seen"))
        QCOMPARE(r.complete, expect["message_stop_seen"].get<bool>());
    if (expect.contains("done"))
        QCOMPARE(r.complete, expect["done"].get<bool>());
    if (expect.contains("event_types"))
        QCOMPARE(QString::fromStdString(r.metadata.value("event_types", json()).dump()),
                 QString::fromStdString(expect["event_types"].dump()));
    if (expect.contains("model"))
        QCOMPARE(r.model, qs(expect["model"]));
    if (expect.contains("model_version"))
        QCOMPARE(r.model, qs(expect["model_version"]));
    if (expect.contains("message_id"))
        QCOMPARE(r.responseId, qs(expect["message_id"]));
    if (expect.contains("durations_ns")) {
        for (const auto &[key, value] : expect["durations_ns"].items())
            QCOMPARE(r.metadata.value(key, json()).dump(), value.dump());
    }
}

/// Runs one fixture in every feeding mode and compares with its .expect.json.
inline void checkFixture(ProviderKind kind, bool stream, const QString &body,
                         const QString &expectFile, Feed mode, const QString &chunksFile = {})
{
    const QByteArray bytes = readData(body);
    const json expect = readJson(expectFile)["expect"];
    QList<qsizetype> splits;
    if (mode == Feed::FixtureChunks) {
        if (chunksFile.isEmpty())
            QSKIP("this fixture has no .chunks.json");
        splits = splitsFrom(readJson(chunksFile));
    }
    const ChatResult r = parseIn(kind, stream, bytes, mode, splits);
    compareExpect(r, expect);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(r.complete);
    QVERIFY(!r.incomplete);
}

} // namespace ts::testing
