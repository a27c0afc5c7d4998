#include "datasets/datasetstore.h"
#include "logs/logstore.h"
#include "logs/todataset/logstodataset.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

qint64 utc(int day, int hour = 12)
{
    return QDateTime(QDate(2026, 10, day), QTime(hour, 0), Qt::UTC).toMSecsSinceEpoch();
}

LogRecord call(const QString &customer, const QString &ticket, const std::optional<QString> &output,
               qint64 startMs)
{
    LogRecord r;
    r.startMs = startMs;
    r.endMs = startMs + 900;
    r.model = QStringLiteral("gpt-4o-mini");
    r.messages = {{QStringLiteral("system"), QStringLiteral("You answer support tickets."), {}, {}},
                  {QStringLiteral("user"),
                   QStringLiteral("Ticket from %1: %2").arg(customer, ticket),
                   {},
                   {}}};
    r.output = output;
    r.ok = output.has_value();
    if (!r.ok)
        r.error = QStringLiteral("rate limited");
    r.sourceFormat = QStringLiteral("test");
    return r;
}

} // namespace

class TestLogsToDataset final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    QList<qint64> m_ids; ///< in time order: ann, bob, cy (error), dee, ann again (later)

    Database &db() { return m_project->db(); }

    void savePrompt(const QString &name, const QString &system, const QString &user)
    {
        PromptStore prompts(db());
        auto info = prompts.prompt(name);
        if (!info)
            info = prompts.createPrompt(name);
        QVERIFY(info);
        PromptContent content;
        content.messages = {{QStringLiteral("system"), system}, {QStringLiteral("user"), user}};
        QVERIFY(prompts.saveVersion(info->id, content, {}, QStringLiteral("test")));
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("d%1.touchstone").arg(++n)));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        m_project.reset();
        m_project.emplace(std::move(*project));
        LogStore store(db());
        // Added out of time order: selections come back oldest first.
        auto added = store.add({
            call(QStringLiteral("Dee"), QStringLiteral("my invoice is wrong"),
                 QStringLiteral("Sorry, fixed."), utc(4)),
            call(QStringLiteral("Ann"), QStringLiteral("refund please"),
                 QStringLiteral("Refund sent."), utc(1)),
            call(QStringLiteral("Bob"), QStringLiteral("refund for order 7"),
                 QStringLiteral("Refund on its way."), utc(2)),
            call(QStringLiteral("Cy"), QStringLiteral("where is my parcel"), std::nullopt, utc(3)),
            call(QStringLiteral("Ann"), QStringLiteral("refund please"),
                 QStringLiteral("Already refunded."), utc(5)),
        });
        QVERIFY(added);
        QCOMPARE(added->added, 5);
        const QList<qint64> &ids = added->ids;
        m_ids = {ids[1], ids[2], ids[3], ids[0], ids[4]};
        savePrompt(QStringLiteral("support"), QStringLiteral("You answer support tickets."),
                   QStringLiteral("Ticket from {{customer}}: {{ticket}}"));
    }

    void selectionsByIdsFilterAndSample()
    {
        LogSelection byIds;
        byIds.ids = QList<qint64> {m_ids[3], m_ids[0]};
        QCOMPARE(selectLogIds(db(), byIds).value(), (QList<qint64> {m_ids[3], m_ids[0]}));

        LogSelection missing;
        missing.ids = QList<qint64> {m_ids[0], 999999};
        auto err = selectLogIds(db(), missing);
        QVERIFY(!err);
        QCOMPARE(err.error().code, ErrorCode::NotFound);
        QVERIFY(err.error().message.contains(QStringLiteral("999999")));

        LogSelection refunds;
        refunds.filter.search = QStringLiteral("refund");
        QCOMPARE(selectLogIds(db(), refunds).value(),
                 (QList<qint64> {m_ids[0], m_ids[1], m_ids[4]}));

        LogSelection errors;
        errors.filter.ok = false;
        QCOMPARE(selectLogIds(db(), errors).value(), QList<qint64> {m_ids[2]});

        LogSelection sample;
        sample.sampleSize = 3;
        sample.seed = 11;
        const QList<qint64> first = selectLogIds(db(), sample).value();
        QCOMPARE(first.size(), 3);
        QCOMPARE(selectLogIds(db(), sample).value(), first); // same seed, same records
        for (qint64 id : first)
            QVERIFY(m_ids.contains(id));
        QVERIFY(std::is_sorted(first.begin(), first.end(), [&](qint64 a, qint64 b) {
            return m_ids.indexOf(a) < m_ids.indexOf(b);
        })); // in time order

        sample.sampleSize = 50; // more than there are: all of them
        QCOMPARE(selectLogIds(db(), sample).value().size(), 5);
    }

    void casesKeepProductionOutputAndLink()
    {
        LogsToDatasetOptions options;
        options.dataset = QStringLiteral("from-prod");
        options.create = true;
        options.prompt = QStringLiteral("support@1");
        const QList<qint64> chosen {m_ids[0], m_ids[1], m_ids[2]};
        auto summary = addLogsToDataset(db(), chosen, options);
        QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message));
        QVERIFY(summary->createdDataset);
        QCOMPARE(summary->promptVersion, QStringLiteral("support@1"));
        QCOMPARE(summary->records, 3);
        QCOMPARE(summary->added, 3);
        QVERIFY(summary->unrecovered.isEmpty());

        auto cases = DatasetStore(db()).cases(summary->datasetId);
        QVERIFY(cases);
        QCOMPARE(cases->size(), 3);
        const TestCase &ann = cases->at(0);
        QVERIFY(ann.data.vars
                == nlohmann::json({{"customer", "Ann"}, {"ticket", "refund please"}}));
        QCOMPARE(ann.source, CaseSource::Log);
        QCOMPARE(ann.productionOutput, std::optional<QString>(QStringLiteral("Refund sent.")));
        QCOMPARE(ann.logId, std::optional<qint64>(m_ids[0]));
        QVERIFY(!ann.data.expected); // not unless asked
        QCOMPARE(cases->at(1).data.vars.value("ticket", std::string()),
                 std::string("refund for order 7"));
        // A failed call has no output to keep.
        QCOMPARE(cases->at(2).logId, std::optional<qint64>(m_ids[2]));
        QVERIFY(!cases->at(2).productionOutput);
        QCOMPARE(summary->caseIds,
                 (QList<qint64> {cases->at(0).id, cases->at(1).id, cases->at(2).id}));

        // The same records again, and a later call with the same input: duplicates, as a
        // dataset import counts them; the existing cases keep their first record.
        auto again = addLogsToDataset(db(), {m_ids[0], m_ids[4], m_ids[3]}, options);
        QVERIFY(again);
        QVERIFY(!again->createdDataset);
        QCOMPARE(again->added, 1);
        QCOMPARE(again->duplicates, 2);
        cases = DatasetStore(db()).cases(summary->datasetId);
        QCOMPARE(cases->size(), 4);
        QCOMPARE(cases->at(0).logId, std::optional<qint64>(m_ids[0]));
        QCOMPARE(cases->at(3).data.vars.value("customer", std::string()), std::string("Dee"));

        // Deleting the record keeps the case and clears the link.
        auto del = db().prepare(QStringLiteral("DELETE FROM logs WHERE id = ?"));
        QVERIFY(del);
        del->bind(1, m_ids[1]);
        QVERIFY(del->run());
        auto bob = DatasetStore(db()).testCase(cases->at(1).id);
        QVERIFY(bob);
        QVERIFY(!bob->logId);
        QCOMPARE(bob->productionOutput,
                 std::optional<QString>(QStringLiteral("Refund on its way.")));
    }

    void expectedFromOutputWhenAsked()
    {
        LogsToDatasetOptions options;
        options.dataset = QStringLiteral("golden");
        options.create = true;
        options.prompt = QStringLiteral("support");
        options.expectedFromOutput = true;
        auto summary = addLogsToDataset(db(), {m_ids[1]}, options);
        QVERIFY(summary);
        auto c = DatasetStore(db()).testCase(summary->caseIds.value(0));
        QVERIFY(c);
        QCOMPARE(c->data.expected, std::optional<QString>(QStringLiteral("Refund on its way.")));
        QCOMPARE(c->productionOutput, c->data.expected);
    }

    void withoutPromptTheUserMessageIsInput()
    {
        LogStore store(db());
        LogRecord noUser
            = call(QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z"), utc(6));
        noUser.messages
            = {{QStringLiteral("system"), QStringLiteral("Only a system message."), {}, {}}};
        const qint64 noUserId = store.add({noUser}).value().ids.value(0);

        LogsToDatasetOptions options;
        options.dataset = QStringLiteral("inputs");
        options.create = true;
        auto summary = addLogsToDataset(db(), {m_ids[3], noUserId}, options);
        QVERIFY(summary);
        QVERIFY(summary->promptVersion.isEmpty());
        QCOMPARE(summary->added, 1);
        QCOMPARE(summary->withoutInput, 1);
        auto c = DatasetStore(db()).testCase(summary->caseIds.value(0));
        QVERIFY(c->data.vars
                == nlohmann::json({{"input", "Ticket from Dee: my invoice is wrong"}}));
        QCOMPARE(c->productionOutput, std::optional<QString>(QStringLiteral("Sorry, fixed.")));
    }

    void unrecoveredVariablesAreCounted()
    {
        savePrompt(QStringLiteral("fewshot"), QStringLiteral("You answer {{kind}} tickets."),
                   QStringLiteral("{{#examples}}{{q}}\n{{/examples}}Ticket from {{customer}}: "
                                  "{{ticket}}"));
        LogsToDatasetOptions options;
        options.dataset = QStringLiteral("partial");
        options.create = true;
        options.prompt = QStringLiteral("fewshot@1");
        auto summary = addLogsToDataset(db(), {m_ids[0], m_ids[1]}, options);
        QVERIFY(summary);
        QCOMPARE(summary->added, 2);
        QCOMPARE(summary->unrecovered.value(QStringLiteral("examples")), 2);
        QCOMPARE(summary->unrecovered.value(QStringLiteral("ticket")), 2);
        QCOMPARE(summary->wholeMessage.value(QStringLiteral("customer")), 2);
        QVERIFY(
            summary->reasons.value(QStringLiteral("examples")).contains(QStringLiteral("section")));
        auto c = DatasetStore(db()).testCase(summary->caseIds.value(0));
        QVERIFY(c->data.vars["kind"] == "support");
        QVERIFY(c->data.vars["customer"] == "Ticket from Ann: refund please");
    }

    void missingDatasetOrPromptAddsNothing()
    {
        LogsToDatasetOptions options;
        options.dataset = QStringLiteral("absent");
        auto noDataset = addLogsToDataset(db(), {m_ids[0]}, options);
        QVERIFY(!noDataset);
        QCOMPARE(noDataset.error().code, ErrorCode::NotFound);
        QVERIFY(noDataset.error().message.contains(QStringLiteral("--create")));

        options.create = true;
        options.prompt = QStringLiteral("support@9");
        auto noVersion = addLogsToDataset(db(), {m_ids[0]}, options);
        QVERIFY(!noVersion);
        QCOMPARE(noVersion.error().code, ErrorCode::NotFound);
        QVERIFY(!DatasetStore(db()).dataset(QStringLiteral("absent"))); // not created
    }
};

QTEST_GUILESS_MAIN(TestLogsToDataset)
#include "test_logs_to_dataset.moc"
