#include "../cli/clirunner.h"
#include "handbuilteval.h"
#include "insights/evalcharts.h"
#include "insights/htmlreport.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace ts;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

/// Everything that would make a browser fetch something, or run something.
QStringList externalReferences(const QString &html)
{
    QStringList found;
    for (const char *needle : {"http://", "https://", "src=", "<link", "@import", "url(", "<script",
                               "<iframe", "<object", "<embed", "<img", "href="}) {
        if (html.contains(QLatin1String(needle), Qt::CaseInsensitive))
            found.append(QString::fromLatin1(needle));
    }
    return found;
}

} // namespace

class TestHtmlReport final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;

private Q_SLOTS:
    void initTestCase()
    {
        m_file = m_dir.filePath(s("report.touchstone"));
        auto project = Project::create(m_file);
        QVERIFY(project);
        QCOMPARE(handbuilt::build(project->db()), 2);
        // A failing output that tries markup and a stray placeholder: shown as text.
        QVERIFY(project->db().exec(
            s("UPDATE generations SET output = '<script>alert(1)</script> costs %2 now' "
              "WHERE id = 206")));
        // Logs for the drift section: billing questions, then shipping ones.
        QList<LogRecord> records;
        for (int i = 0; i < 60; ++i) {
            LogRecord r;
            r.startMs = *epochMsFromText(i < 30 ? s("2024-06-01") : s("2024-06-03")) + i * 1000;
            r.model = s("m1");
            const QString topic = i < 30 ? s("invoice billing charge refund")
                                         : s("parcel shipping courier delivery");
            r.messages = {{s("user"), QStringLiteral("%1 question %2").arg(topic).arg(i), {}, {}}};
            r.output = QStringLiteral("answer %1").arg(i);
            r.sourceFormat = s("test");
            records.append(r);
        }
        QVERIFY(LogStore(project->db()).add(records));
    }

    void pageIsSelfContainedWithChartsAndFailures()
    {
        auto project = Project::open(m_file);
        QVERIFY(project);
        auto results = EvalResults::load(project->db(), 2);
        QVERIFY(results);
        auto charts = loadEvalCharts(project->db(), *results);
        QVERIFY(charts);
        const QString html = renderHtmlReport(*results, *charts);
        QVERIFY(html.startsWith(s("<!DOCTYPE html>")));
        QCOMPARE(externalReferences(html), QStringList());
        // Charts: pass rate per variant, heat map, cost and latency scatters.
        QCOMPARE(html.count(s("<svg ")), 4);
        QVERIFY(html.contains(s("aria-label=\"Pass rate per variant with 95% intervals\"")));
        QVERIFY(html.contains(s("aria-label=\"Pass rate per check and variant\"")));
        QVERIFY(html.contains(s("class=\"front\"")));
        // Each chart is well-formed markup.
        const QRegularExpression svg(s("<svg .*?</svg>"),
                                     QRegularExpression::DotMatchesEverythingOption);
        for (auto it = svg.globalMatch(html); it.hasNext();) {
            QXmlStreamReader xml(it.next().captured(0));
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        }
        // Tooltips carry the exact numbers.
        QVERIFY(html.contains(s("qa@2 · m1: 80.0% [49.0%, 94.3%], 8 of 10 samples passed")));
        QVERIFY(html.contains(s(">6/10</text>")));
        // The statistics sentence and the verdict.
        QVERIFY(html.contains(s("No significant difference")));
        QVERIFY(html.contains(s("no significant difference")));
        // Dark mode and print.
        QVERIFY(html.contains(s("prefers-color-scheme: dark")));
        QVERIFY(html.contains(s("@media print")));
        // Failing cases with input, output and reason; markup escaped, "%2" kept.
        QVERIFY(html.contains(s("Failing cases")));
        QVERIFY(html.contains(s("question 6")));
        QVERIFY(html.contains(s("answer 7 of run 2")));
        QVERIFY(html.contains(s("Expected output to contain &quot;refund&quot;")));
        QVERIFY(html.contains(s("&lt;script&gt;alert(1)&lt;/script&gt; costs %2 now")));
        QVERIFY(html.contains(s("error, not counted"))); // case 10 of qa@2 · m2
        // Passing outputs are not listed.
        QVERIFY(!html.contains(s("answer 0 of run 2")));
    }

    void cliWritesTheReportWithDrift()
    {
        const QString out = m_dir.filePath(s("report.html"));
        CliResult r = runCli({s("report"), m_file, s("--eval"), s("latest"), s("--drift"),
                              s("--reference"), s("logs:..2024-06-01"), s("--current"),
                              s("logs:2024-06-02.."), s("--html"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(file.readAll());
        QCOMPARE(externalReferences(html), QStringList());
        QVERIFY(html.contains(s("Drift: what production sends")));
        QVERIFY(html.contains(s("input_length_psi")));
        QVERIFY(html.contains(s("aria-label=\"Words typical of each side\"")));
        QVERIFY(html.contains(s(">shipping</text>")));
        QVERIFY(html.contains(s(">invoice</text>")));
        QCOMPARE(html.count(s("<svg ")), 5);

        r = runCli(
            {s("report"), m_file, s("--eval"), s("2"), s("--html"), out, s("--baseline"), s("4")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({s("report"), m_file, s("--eval"), s("2")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({s("report"), m_file, s("--eval"), s("9"), s("--html"), out});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestHtmlReport)
#include "test_html_report.moc"
