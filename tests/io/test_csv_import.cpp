#include "io/datasetimport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QString var(const TestCaseData &c, const char *name)
{
    const auto it = c.vars.find(name);
    return it == c.vars.end() ? QStringLiteral("<missing>")
                              : QString::fromStdString(it->get<std::string>());
}

QString errorOf(QByteArrayView bytes, const ImportOptions &options = {})
{
    const auto result = parseCsv(bytes, QStringLiteral("data.csv"), options);
    return result ? QStringLiteral("<no error>") : result.error().message;
}

template<typename T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

} // namespace

class TestCsvImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsHeaderAsVariableNames()
    {
        const auto cases = parseCsv("language,input\nFrench,Hello world\nGerman,Good night\n",
                                    QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        QCOMPARE(var(cases->at(0), "language"), QStringLiteral("French"));
        QCOMPARE(var(cases->at(1), "input"), QStringLiteral("Good night"));
        QVERIFY(!cases->at(0).expected.has_value());
    }

    void specialColumnsMapToExpectedTagsDescription()
    {
        const auto cases = parseCsv("q,__expected,__tags,__description\n"
                                    "2+2,4,\"math, easy ,\",adds\n"
                                    "hi,,,\n",
                                    QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        const TestCaseData &first = cases->at(0);
        QCOMPARE(first.vars.size(), size_t(1));
        QCOMPARE(first.expected, std::optional<QString>(QStringLiteral("4")));
        QCOMPARE(first.tags, (QStringList {QStringLiteral("math"), QStringLiteral("easy")}));
        QCOMPARE(first.description, QStringLiteral("adds"));
        QVERIFY(!cases->at(1).expected.has_value());
        QVERIFY(cases->at(1).tags.isEmpty());
    }

    void quotedFieldsKeepCommasQuotesAndNewlines()
    {
        const auto cases = parseCsv("a,b\n\"x, y\",\"she said \"\"hi\"\"\nnext line\"\n",
                                    QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 1);
        QCOMPARE(var(cases->at(0), "a"), QStringLiteral("x, y"));
        QCOMPARE(var(cases->at(0), "b"), QStringLiteral("she said \"hi\"\nnext line"));
    }

    void crlfAndMissingFinalNewline()
    {
        const auto cases = parseCsv("a,b\r\n1,\"two\r\nlines\"\r\n3,4", QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        QCOMPARE(var(cases->at(0), "b"), QStringLiteral("two\r\nlines"));
        QCOMPARE(var(cases->at(1), "a"), QStringLiteral("3"));
        QCOMPARE(var(cases->at(1), "b"), QStringLiteral("4"));
    }

    void bomIsStrippedFromFirstHeader()
    {
        const auto cases = parseCsv("\xEF\xBB\xBFname,city\nZo\xC3\xAB,K\xC3\xB6ln\n",
                                    QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QVERIFY(cases->at(0).vars.contains("name"));
        QCOMPARE(var(cases->at(0), "city"), QStringLiteral("K\u00f6ln"));
        // Positions on the first line do not count the invisible BOM.
        QCOMPARE(errorOf("\xEF\xBB\xBF" "a,,c\n1,2,3\n"),
                 QStringLiteral("data.csv:1:3: column 2 has an empty name"));
    }

    void loneCarriageReturnEndsARecord()
    {
        const auto cases = parseCsv("a,b\r1,2\r3,4\r", QStringLiteral("data.csv"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        QCOMPARE(var(cases->at(1), "b"), QStringLiteral("4"));
    }

    void valuesThatLookLikeJsonStayStrings()
    {
        const auto cases = parseCsv("n,list\n42,\"[1,2]\"\n", QStringLiteral("data.csv"));
        QVERIFY(cases);
        QVERIFY(cases->at(0).vars["n"].is_string());
        QCOMPARE(var(cases->at(0), "list"), QStringLiteral("[1,2]"));
    }

    void emptyLinesAreSkippedAndHeaderOnlyIsEmptyDataset()
    {
        const auto cases = parseCsv("a\n1\n\n2\n\n", QStringLiteral("data.csv"));
        QVERIFY(cases);
        QCOMPARE(cases->size(), 2);
        const auto none = parseCsv("a,b\n", QStringLiteral("data.csv"));
        QVERIFY(none);
        QVERIFY(none->isEmpty());
        QCOMPARE(errorOf(""),
                 QStringLiteral("data.csv:1:1: the file is empty; the first row must "
                                "name the variables"));
    }

    void raggedRowNamesFileAndLine()
    {
        QCOMPARE(errorOf("a,b,c\n1,2,3\n4,5,6,7\n"),
                 QStringLiteral("data.csv:3: row has 4 fields, header has 3"));
        // A row after a multi-line quoted field is reported at its own line in the file.
        QCOMPARE(errorOf("a,b\n\"x\ny\",1\n2\n"),
                 QStringLiteral("data.csv:4: row has 1 fields, header has 2"));
    }

    void unterminatedQuoteReportsWhereItStarted()
    {
        QCOMPARE(errorOf("a,b\n1,2\n3,\"never closed\n4,5\n"),
                 QStringLiteral("data.csv:3:3: unterminated quoted field: the quote opened here is "
                                "never closed"));
    }

    void quoteInsideUnquotedField()
    {
        QCOMPARE(errorOf("a,b\nab\"c,2\n"),
                 QStringLiteral("data.csv:2:3: quote in the middle of an unquoted field; quote the "
                                "whole field and double the quote (\"\")"));
        QCOMPARE(errorOf("a,b\n\"ab\"c,2\n"),
                 QStringLiteral("data.csv:2:5: unexpected text after a closing quote; a field must "
                                "be quoted as a whole"));
    }

    void invalidUtf8ReportsRowAndColumnOfTheByte()
    {
        // Column counts characters: "é" is one column, so the bad byte is column 5.
        QCOMPARE(errorOf("a,b\n\xC3\xA9x,y\xFFz\n"),
                 QStringLiteral("data.csv:2:5: invalid UTF-8 byte 0xff; save the file as UTF-8"));
        // A lone continuation byte and a truncated sequence are caught too.
        QVERIFY(errorOf("a\n\x80\n")
                    .startsWith(QLatin1String("data.csv:2:1: invalid UTF-8 byte 0x80")));
        QVERIFY(errorOf("a\n\xE2\x82\n").startsWith(QLatin1String("data.csv:2:1: invalid UTF-8")));
    }

    void headerProblems()
    {
        QCOMPARE(errorOf("a,,c\n1,2,3\n"),
                 QStringLiteral("data.csv:1:3: column 2 has an empty name"));
        QCOMPARE(errorOf("a,b,a\n1,2,3\n"),
                 QStringLiteral("data.csv:1:5: duplicate column \"a\" (also column 1)"));
        QCOMPARE(errorOf("a,__expectd\n1,2\n"),
                 QStringLiteral("data.csv:1:3: unknown special column \"__expectd\" (known: "
                                "__expected, __tags, __description)"));
    }

    void unknownVariablesOnlyWhenStrict()
    {
        const QByteArray csv = "question,contxt,__expected\nq,c,e\n";
        QVERIFY(parseCsv(csv, QStringLiteral("data.csv")));
        ImportOptions strict;
        strict.knownVariables
            = QSet<QString> {QStringLiteral("question"), QStringLiteral("context")};
        QCOMPARE(errorOf(csv, strict),
                 QStringLiteral("data.csv:1:10: column \"contxt\" is not a variable of the prompt "
                                "(known: context, question)"));
    }

    void allOrNothingAndAllErrors()
    {
        const QByteArray csv = "a,b\n1,2\n3\n4,5\n6,7,8\n";
        // Default: the first error only, and no cases at all.
        const auto first = parseCsv(csv, QStringLiteral("data.csv"));
        QVERIFY(!first);
        QCOMPARE(first.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(first.error().message,
                 QStringLiteral("data.csv:3: row has 1 fields, header has 2"));

        ImportOptions all;
        all.reportAllErrors = true;
        QCOMPARE(errorOf(csv, all),
                 QStringLiteral("data.csv:3: row has 1 fields, header has 2\n"
                                "data.csv:5: row has 3 fields, header has 2"));
        all.maxErrors = 1;
        QCOMPARE(errorOf(csv, all), QStringLiteral("data.csv:3: row has 1 fields, header has 2"));
    }

    void importDatasetFileUsesExtensionAndFileName()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("cases.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x\n1\n2,3\n");
        file.close();
        const auto result = importDatasetFile(path);
        QVERIFY(!result);
        QCOMPARE(result.error().message,
                 QStringLiteral("cases.csv:3: row has 2 fields, header has 1"));

        const auto missing = importDatasetFile(dir.filePath(QStringLiteral("nope.csv")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::Io);

        const auto wrongType = importDatasetFile(dir.filePath(QStringLiteral("cases.xlsx")));
        QVERIFY(!wrongType);
        QVERIFY(wrongType.error().message.contains(QLatin1String("use .csv or .jsonl")));
    }
};

QTEST_GUILESS_MAIN(TestCsvImport)
#include "test_csv_import.moc"
