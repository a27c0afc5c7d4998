#include "providers/ssedecoder.h"

#include <QTest>

using namespace ts;

namespace {

struct Collected
{
    QList<SseEvent> events;
    QList<QByteArray> strays;
    bool discarded = false;
};

// Feeds `body` cut at every position in `cuts` (byte offsets) and collects what came out.
Collected decode(QByteArrayView body, const QList<qsizetype> &cuts = {}, bool lenient = false)
{
    Collected c;
    SseDecoder d;
    d.setLenientEofFlush(lenient);
    d.setEventHandler([&c](const SseEvent &e) { c.events << e; });
    d.setStrayLineHandler([&c](QByteArrayView l) { c.strays << l.toByteArray(); });
    qsizetype prev = 0;
    for (qsizetype at : cuts) {
        d.feed(body.sliced(prev, at - prev));
        prev = at;
    }
    d.feed(body.sliced(prev));
    d.finish();
    c.discarded = d.incompleteEventDiscarded();
    return c;
}

Collected decodeBytewise(QByteArrayView body)
{
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < body.size(); ++i)
        cuts << i;
    return decode(body, cuts);
}

QList<QByteArray> datas(const Collected &c)
{
    QList<QByteArray> out;
    for (const auto &e : c.events)
        out << e.data;
    return out;
}

} // namespace

class TestSseDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void basicEvents()
    {
        const auto c = decode("data: one\n\ndata: two\n\n");
        QCOMPARE(datas(c), (QList<QByteArray>{"one", "two"}));
        QVERIFY(!c.discarded);
    }

    void commentsAndKeepAlivesAreIgnored()
    {
        const auto c = decode(": OPENROUTER PROCESSING\n\ndata: a\n: keep-alive\n\n:\n\n");
        QCOMPARE(datas(c), QList<QByteArray>{"a"});
        QVERIFY(c.strays.isEmpty());
    }

    void mixedLineEndings_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("lf") << QByteArray("data: a\n\ndata: b\n\n");
        QTest::newRow("cr") << QByteArray("data: a\r\rdata: b\r\r");
        QTest::newRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n");
        QTest::newRow("mixed") << QByteArray("data: a\r\n\ndata: b\r\r\n");
    }
    void mixedLineEndings()
    {
        QFETCH(QByteArray, body);
        QCOMPARE(datas(decode(body)), (QList<QByteArray>{"a", "b"}));
        QCOMPARE(datas(decodeBytewise(body)), (QList<QByteArray>{"a", "b"}));
    }

    void crLfPairSplitAcrossReads()
    {
        // The CR ends one read and its LF starts the next: one line end, not two
        // (two would dispatch "a" early and split the multi-line data).
        const QByteArray body("data: a\r\ndata: b\r\n\r\n");
        const auto c = decode(body, {8});
        QCOMPARE(datas(c), QList<QByteArray>{"a\nb"});
    }

    void loneCrAtEndOfReadFollowedByData()
    {
        // CR then a non-LF byte in the next read: the CR alone ended the line.
        const auto c = decode("data: a\r\rdata: b\r\r", {8, 9});
        QCOMPARE(datas(c), (QList<QByteArray>{"a", "b"}));
    }

    void multiLineDataJoinedWithNewline()
    {
        const auto c = decode("data: {\"a\":\ndata:  1}\ndata\n\n");
        // Only one space is stripped, a bare "data" adds an empty line.
        QCOMPARE(datas(c), QList<QByteArray>{"{\"a\":\n 1}\n"});
    }

    void eventNamesIdAndRetry()
    {
        SseDecoder d;
        QList<SseEvent> events;
        d.setEventHandler([&events](const SseEvent &e) { events << e; });
        d.feed("event: message_start\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\n");
        d.finish();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].type, QByteArray("message_start"));
        QCOMPARE(events[0].lastEventId, QByteArray("7"));
        QCOMPARE(events[1].type, QByteArray()); // the name does not carry over
        QCOMPARE(events[1].lastEventId, QByteArray("7")); // the id does
        QCOMPARE(d.retryMs(), std::optional<qint64>(1500));
    }

    void invalidRetryIgnored()
    {
        SseDecoder d;
        d.feed("retry: 12a\n\n");
        QVERIFY(!d.retryMs().has_value());
    }

    void eventWithoutDataIsNotDispatched()
    {
        const auto c = decode("event: ping\n\ndata:\n\n");
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(c.events[0].data, QByteArray());
        QCOMPARE(c.events[0].type, QByteArray());
    }

    void lastEventWithoutBlankLineIsDiscardedAndReported()
    {
        const auto c = decode("data: kept\n\ndata: lost\n");
        QCOMPARE(datas(c), QList<QByteArray>{"kept"});
        QVERIFY(c.discarded);
        const auto noNewline = decode("data: kept\n\ndata: lost");
        QCOMPARE(datas(noNewline), QList<QByteArray>{"kept"});
        QVERIFY(noNewline.discarded);
        const auto clean = decode("data: kept\n\n");
        QVERIFY(!clean.discarded);
    }

    void lenientFlushDispatchesUnterminatedEvent()
    {
        const auto c = decode("data: kept\n\ndata: last", {}, /*lenient=*/true);
        QCOMPARE(datas(c), (QList<QByteArray>{"kept", "last"}));
        QVERIFY(!c.discarded);
    }

    void utf8SplitAcrossReads()
    {
        const QByteArray body = QStringLiteral("data: héllo → 世界 😀\n\n").toUtf8();
        const auto c = decodeBytewise(body);
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(QString::fromUtf8(c.events[0].data), QStringLiteral("héllo → 世界 😀"));
    }

    void unicodeLineSeparatorIsNotALineBreak()
    {
        // U+2028 and U+2029 (and NEL) are bytes E2 80 A8 / E2 80 A9 / C2 85: never line ends.
        const QByteArray body = "data: {\"t\":\"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85" "d\"}\n\n";
        const auto c = decodeBytewise(body);
        QCOMPARE(c.events.size(), 1);
        QCOMPARE(c.events[0].data, body.sliced(6, body.size() - 8));
    }

    void leadingBomIsDropped()
    {
        const auto c = decode("\xEF\xBB\xBF" "data: a\n\n", {1});
        QCOMPARE(datas(c), QList<QByteArray>{"a"});
    }

    void noSpaceAfterColonAndFieldWithoutColon()
    {
        const auto c = decode("data:x\n\nevent\ndata: y\n\n");
        QCOMPARE(datas(c), (QList<QByteArray>{"x", "y"}));
        QCOMPARE(c.events[1].type, QByteArray()); // "event" with no colon sets an empty name
    }

    void strayLinesAreReported()
    {
        const auto c = decode("{\n  \"error\": {\"code\": 503}\n}\n");
        QVERIFY(c.events.isEmpty());
        QCOMPARE(c.strays, (QList<QByteArray>{"{", "  \"error\": {\"code\": 503}", "}"}));
        // An unterminated stray line still reaches the handler at finish().
        const auto tail = decode("{\"error\":1}");
        QCOMPARE(tail.strays, QList<QByteArray>{"{\"error\":1}"});
    }

    void everySplitGivesTheSameEvents()
    {
        const QByteArray body("event: a\r\ndata: 1\r\n: c\r\ndata: 2\r\n\r\nid: 9\rdata: 3\n\n");
        const auto whole = decode(body);
        QCOMPARE(datas(whole), (QList<QByteArray>{"1\n2", "3"}));
        for (qsizetype i = 1; i < body.size(); ++i) {
            const auto c = decode(body, {i});
            QCOMPARE(datas(c), datas(whole));
            QCOMPARE(c.events[0].type, QByteArray("a"));
            QCOMPARE(c.events[1].lastEventId, QByteArray("9"));
        }
        QCOMPARE(datas(decodeBytewise(body)), datas(whole));
    }
};

QTEST_GUILESS_MAIN(TestSseDecoder)
#include "test_sse_decoder.moc"
