#include "providers/ndjsondecoder.h"

#include <QTest>

using namespace ts;

namespace {

struct Out
{
    QList<QByteArray> lines;
    bool discarded = false;
};

Out run(QByteArrayView body, qsizetype chunk = 0)
{
    Out o;
    NdjsonDecoder d;
    d.setLineHandler([&o](QByteArrayView l) { o.lines << l.toByteArray(); });
    if (chunk <= 0) {
        d.feed(body);
    } else {
        for (qsizetype i = 0; i < body.size(); i += chunk)
            d.feed(body.sliced(i, std::min(chunk, body.size() - i)));
    }
    d.finish();
    o.discarded = d.incompleteLineDiscarded();
    return o;
}

} // namespace

class TestNdjsonDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsOnLf()
    {
        const auto o = run("{\"a\":1}\n{\"b\":2}\n");
        QCOMPARE(o.lines, (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
        QVERIFY(!o.discarded);
    }

    void crlfAndBlankLines()
    {
        const auto o = run("{\"a\":1}\r\n\r\n\n{\"b\":2}\r\n");
        QCOMPARE(o.lines, (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    }

    void byteByByteWithUtf8AndLineSeparator()
    {
        const QByteArray body = QStringLiteral("{\"t\":\"é世😀\u2028x\"}\n{\"u\":1}\n").toUtf8();
        const auto o = run(body, 1);
        QCOMPARE(o.lines.size(), 2);
        QCOMPARE(QString::fromUtf8(o.lines[0]), QStringLiteral("{\"t\":\"é世😀\u2028x\"}"));
    }

    void completeLastLineWithoutNewlineIsKept()
    {
        const auto o = run("{\"a\":1}\n{\"done\":true}");
        QCOMPARE(o.lines, (QList<QByteArray>{"{\"a\":1}", "{\"done\":true}"}));
        QVERIFY(!o.discarded);
    }

    void truncatedLastLineIsDiscardedAndReported()
    {
        const auto o = run("{\"a\":1}\n{\"done\":tr");
        QCOMPARE(o.lines, QList<QByteArray>{"{\"a\":1}"});
        QVERIFY(o.discarded);
    }
};

QTEST_GUILESS_MAIN(TestNdjsonDecoder)
#include "test_ndjson_decoder.moc"
