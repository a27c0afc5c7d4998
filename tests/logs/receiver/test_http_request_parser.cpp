// The receiver's HTTP/1.1 request parser: framing, pipelining, chunked bodies and the limits
// that keep a bad client from filling memory.

#include "logs/receiver/httprequestparser.h"

#include <QTest>

using namespace ts;
using State = HttpRequestParser::State;

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contentLengthBodyByteByByte()
    {
        const QByteArray wire = "POST /v1/traces?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: "
                                "application/json\r\nContent-Length: 5\r\n\r\nhello";
        HttpRequestParser parser;
        QByteArray buffer;
        for (qsizetype i = 0; i < wire.size() - 1; ++i) {
            buffer.append(wire[i]);
            QCOMPARE(parser.feed(buffer), State::NeedMore);
        }
        buffer.append(wire.back());
        QCOMPARE(parser.feed(buffer), State::Complete);
        const IncomingRequest r = parser.take();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QByteArray("/v1/traces"));
        QCOMPARE(r.query, QByteArray("x=1"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.body, QByteArray("hello"));
        QVERIFY(r.keepAlive());
        QVERIFY(buffer.isEmpty());
    }

    void pipelinedRequestsStayInTheBuffer()
    {
        QByteArray buffer = "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nabPOST /b HTTP/1.0\r\n"
                            "Content-Length: 3\r\n\r\ncde";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(buffer), State::Complete);
        IncomingRequest first = parser.take();
        QCOMPARE(first.path, QByteArray("/a"));
        QCOMPARE(first.body, QByteArray("ab"));
        QCOMPARE(parser.feed(buffer), State::Complete);
        IncomingRequest second = parser.take();
        QCOMPARE(second.path, QByteArray("/b"));
        QCOMPARE(second.body, QByteArray("cde"));
        QCOMPARE(second.minorVersion, 0);
        QVERIFY(!second.keepAlive()); // HTTP/1.0 without keep-alive
        QCOMPARE(parser.feed(buffer), State::NeedMore);
    }

    void chunkedBodyWithExtensionsAndTrailers()
    {
        QByteArray buffer = "POST /v1/traces HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
                            "0\r\nExpires: never\r\n\r\n";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(buffer), State::Complete);
        QCOMPARE(parser.take().body, QByteArray("Wikipedia in\r\n\r\nchunks."));
        QVERIFY(buffer.isEmpty());
    }

    void connectionHeaders()
    {
        HttpRequestParser parser;
        QByteArray buffer = "GET / HTTP/1.1\r\nConnection: Upgrade, Close\r\n\r\n"
                            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        QCOMPARE(parser.feed(buffer), State::Complete);
        QVERIFY(!parser.take().keepAlive());
        QCOMPARE(parser.feed(buffer), State::Complete);
        QVERIFY(parser.take().keepAlive());
    }

    void expectContinueIsReportedBeforeTheBody()
    {
        HttpRequestParser parser;
        QByteArray buffer = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
        QCOMPARE(parser.feed(buffer), State::NeedMore);
        QVERIFY(parser.headersComplete());
        QVERIFY(parser.expectsContinue());
        buffer = "abc";
        QCOMPARE(parser.feed(buffer), State::Complete);
        QCOMPARE(parser.take().body, QByteArray("abc"));
        QVERIFY(!parser.expectsContinue());
    }

    void badRequests_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::newRow("not HTTP") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("HTTP/2") << QByteArray("POST / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("bad content length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n") << 400;
        QTest::newRow("negative content length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("conflicting content lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n")
            << 400;
        QTest::newRow("unknown transfer coding")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("chunk longer than its size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")
            << 400;
        QTest::newRow("folded header")
            << QByteArray("POST / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("header without colon") << QByteArray("POST / HTTP/1.1\r\nAb\r\n\r\n") << 400;
        QTest::newRow("body over the limit")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n") << 413;
        QTest::newRow("chunks over the limit")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n") << 413;
        QTest::newRow("headers over the limit")
            << (QByteArray("POST / HTTP/1.1\r\nX: ") + QByteArray(5000, 'a') + "\r\n\r\n") << 431;
        QTest::newRow("endless header line without a break")
            << (QByteArray("POST / HTTP/1.1\r\nX: ") + QByteArray(5000, 'a')) << 431;
    }

    void badRequests()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        HttpRequestLimits limits;
        limits.maxHeaderBytes = 4096;
        limits.maxBodyBytes = 1024;
        HttpRequestParser parser(limits);
        QCOMPARE(parser.feed(wire), State::Failed);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorMessage().isEmpty());
    }

    void emptyLinesBeforeARequestAreIgnored()
    {
        QByteArray buffer = "\r\n\r\nPOST /x HTTP/1.1\r\n\r\n";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(buffer), State::Complete);
        const IncomingRequest r = parser.take();
        QCOMPARE(r.path, QByteArray("/x"));
        QVERIFY(r.body.isEmpty());
    }

    void absoluteFormTarget()
    {
        QByteArray buffer = "POST http://127.0.0.1:4318/v1/traces HTTP/1.1\r\n\r\n";
        HttpRequestParser parser;
        QCOMPARE(parser.feed(buffer), State::Complete);
        QCOMPARE(parser.take().path, QByteArray("/v1/traces"));
    }
};

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "test_http_request_parser.moc"
