#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <tuple>

using namespace ts;

namespace {

LogRecord call(const QString &user, const QString &output, qint64 startMs)
{
    LogRecord r;
    r.startMs = startMs;
    r.endMs = startMs + 1250;
    r.model = QStringLiteral("gpt-4o-mini");
    r.provider = QStringLiteral("openai");
    r.messages = {{QStringLiteral("system"), QStringLiteral("You answer support tickets."), {}, {}},
                  {QStringLiteral("user"), user, {}, {}}};
    r.output = output;
    r.inputTokens = 12;
    r.outputTokens = 30;
    r.sourceFormat = QStringLiteral("test");
    return r;
}

qint64 utc(int day, int hour = 12)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, 0), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

class TestLogStore final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    std::optional<LogStore> m_store;

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("l%1.touchstone").arg(++n)));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        m_store.reset();
        m_project.emplace(std::move(*project));
        m_store.emplace(m_project->db());
    }

    void recordsRoundTripWithEveryField()
    {
        LogRecord r
            = call(QStringLiteral("Where is my refund?"), QStringLiteral("It was sent."), utc(3));
        r.ttftMs = 180.5;
        r.reasoning = QStringLiteral("The ticket asks about a refund.");
        r.finishReason = QStringLiteral("stop");
        r.cost = 0.00042;
        r.traceId = QStringLiteral("AB12CD");
        r.spanId = QStringLiteral("00FF");
        r.parentSpanId = QStringLiteral("00AA");
        r.sessionId = QStringLiteral("conv-7");
        r.promptName = QStringLiteral("support");
        r.promptVersion = QStringLiteral("3");
        r.metadata = {{"customer.tier", "gold"}};
        LogMessage tool {QStringLiteral("tool"),
                         QStringLiteral("{\"status\":\"sent\"}"),
                         {},
                         QStringLiteral("call_1")};
        r.messages.append(tool);
        r.outputToolCalls = {
            {QStringLiteral("call_2"), QStringLiteral("lookup"), nlohmann::json {{"order", 42}}}};
        auto added = m_store->add({r});
        QVERIFY(added);
        QCOMPARE(added->added, 1);
        auto back = m_store->record(added->ids.first());
        QVERIFY(back);
        QCOMPARE(*back->startMs, utc(3));
        QCOMPARE(*back->latencyMs, 1250.0); // end - start
        QCOMPARE(*back->ttftMs, 180.5);
        QCOMPARE(back->messages.size(), 3);
        QCOMPARE(*back->messages[2].toolCallId, QStringLiteral("call_1"));
        QCOMPARE(back->outputToolCalls.first().name, QStringLiteral("lookup"));
        QCOMPARE(back->outputToolCalls.first().arguments["order"].get<int>(), 42);
        QCOMPARE(*back->traceId, QStringLiteral("ab12cd")); // hex ids are stored lower-case
        QCOMPARE(*back->promptVersion, QStringLiteral("3"));
        QCOMPARE(back->metadata["customer.tier"].get<std::string>(), std::string("gold"));
        QCOMPARE(*back->cost, 0.00042);
        QVERIFY(back->hasToolCalls());
    }

    void unknownValuesStayNull()
    {
        LogRecord r;
        r.messages = {{QStringLiteral("user"), std::nullopt, {}, {}}}; // redacted content
        r.sourceFormat = QStringLiteral("test");
        r.model = QString(); // an empty string is not a value
        auto added = m_store->add({r});
        QVERIFY(added && added->added == 1);
        auto st = m_project->db().prepare(QStringLiteral(
            "SELECT start_time IS NULL, model IS NULL, input_tokens IS NULL, output_tokens IS "
            "NULL, "
            "total_tokens IS NULL, cost IS NULL, latency_ms IS NULL, output IS NULL, "
            "json_extract(messages, '$[0].content') IS NULL FROM logs"));
        QVERIFY(st);
        QVERIFY(*st->step());
        for (int c = 0; c < 9; ++c)
            QVERIFY2(st->int64(c) == 1, qPrintable(QStringLiteral("column %1 is not NULL").arg(c)));
    }

    void reimportAddsNothing()
    {
        LogRecord withIds = call(QStringLiteral("a"), QStringLiteral("b"), utc(1));
        withIds.traceId = QStringLiteral("AAAA");
        withIds.spanId = QStringLiteral("bbbb");
        LogRecord sameIdsOtherCase = withIds;
        sameIdsOtherCase.traceId = QStringLiteral("aaaa");
        sameIdsOtherCase.spanId = QStringLiteral("BBBB");
        const LogRecord noIds = call(QStringLiteral("c"), QStringLiteral("d"), utc(2));
        auto first = m_store->add({withIds, noIds});
        QVERIFY(first);
        QCOMPARE(first->added, 2);
        auto second = m_store->add({sameIdsOtherCase, noIds, noIds});
        QVERIFY(second);
        QCOMPARE(second->added, 0);
        QCOMPARE(second->duplicates, 3);
        QCOMPARE(*m_store->count({}), qint64(2));
        // Ids that are not hex (Langfuse, OpenAI) are case-sensitive and kept as written.
        LogRecord named = call(QStringLiteral("e"), QStringLiteral("f"), utc(3));
        named.traceId = QStringLiteral("trace_AbC");
        named.spanId = QStringLiteral("obs_X1");
        LogRecord otherCase = named;
        otherCase.spanId = QStringLiteral("obs_x1");
        auto namedAdded = m_store->add({named, otherCase});
        QCOMPARE(namedAdded->added, 2);
        QCOMPARE(*m_store->record(namedAdded->ids.first())->traceId, QStringLiteral("trace_AbC"));
        QCOMPARE(*m_store->findBySpan(QStringLiteral("trace_AbC"), QStringLiteral("obs_X1")),
                 namedAdded->ids.first());
        // A different output without ids is a different call.
        auto third = m_store->add({call(QStringLiteral("c"), QStringLiteral("other"), utc(2))});
        QCOMPARE(*m_store->count({}), qint64(5));
        QCOMPARE(third->added, 1);
    }

    void filtersSearchAndSort()
    {
        QList<LogRecord> batch;
        for (int i = 0; i < 30; ++i) {
            LogRecord r = call(i % 3 == 0 ? QStringLiteral("refund for order %1").arg(i)
                                          : QStringLiteral("shipping question %1").arg(i),
                               QStringLiteral("answer %1").arg(i), utc(1 + i % 10, i % 24));
            r.model = i % 2 ? QStringLiteral("claude-haiku") : QStringLiteral("gpt-4o-mini");
            r.ok = i % 5 != 0;
            if (!r.ok)
                r.error = QStringLiteral("rate limited");
            r.latencyMs = 100.0 + i;
            r.promptName = QStringLiteral("support");
            r.promptVersion = QString::number(1 + i % 2);
            batch.append(r);
        }
        QVERIFY(m_store->add(batch));
        LogFilter f;
        QCOMPARE(*m_store->count(f), qint64(30));
        f.search = QStringLiteral("Refund");
        QCOMPARE(*m_store->count(f), qint64(10));
        f.search = QStringLiteral("refund order 9");
        QCOMPARE(*m_store->count(f), qint64(1));
        f.search = QStringLiteral("\"AND ( OR"); // FTS syntax is taken literally, never an error
        auto odd = m_store->count(f);
        QVERIFY(odd);
        QCOMPARE(*odd, qint64(0));
        f = {};
        f.model = QStringLiteral("claude-haiku");
        f.ok = false;
        QCOMPARE(*m_store->count(f), qint64(3)); // i = 5, 15, 25
        f = {};
        f.sinceMs = utc(3, 0);
        f.untilMs = utc(4, 0);
        QCOMPARE(*m_store->count(f), qint64(3)); // days are 1 + i % 10: i = 2, 12, 22
        f = {};
        f.promptName = QStringLiteral("support");
        f.promptVersion = QStringLiteral("2");
        QCOMPARE(*m_store->count(f), qint64(15));

        auto slow = m_store->rows({}, LogSort::LatencyDescending, 2);
        QVERIFY(slow);
        QCOMPARE(*slow->first().latencyMs, 129.0);
        auto oldest = m_store->rows({}, LogSort::TimeAscending, 1);
        QCOMPARE(*oldest->first().startTime, isoFromEpochMs(utc(1, 0)));
        QCOMPARE(*oldest->first().inputPreview, QStringLiteral("refund for order 0"));
        auto page = m_store->rows({}, LogSort::TimeAscending, 10, 25);
        QCOMPARE(page->size(), 5);
    }

    void searchPagesDoNotDependOnHowCommonTheWordIs()
    {
        // A word in 80% of the records is searched by walking the time order and probing each
        // row; a rare one by taking its matches first. A page must be the same either way: the
        // records that contain the word, in the sort order, ties by id.
        QList<LogRecord> batch;
        for (int i = 0; i < 400; ++i) {
            QString user = QStringLiteral("ticket %1").arg(i);
            if (i % 5 != 0)
                user += QStringLiteral(" please help");
            if (i % 150 == 7)
                user += QStringLiteral(" chargeback");
            // Times out of id order, with ties, so that the order is the sort's, not insertion's.
            LogRecord r
                = call(user, QStringLiteral("answer"), utc(1) + qint64((i * 37) % 97) * 60000);
            r.latencyMs = double((i * 13) % 50);
            r.model = i % 3 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o");
            batch.append(r);
        }
        auto added = m_store->add(batch);
        QVERIFY(added);
        struct Row
        {
            qint64 id;
            qint64 start;
            double latency;
            QString text;
            QString model;
        };
        QList<Row> all;
        for (int i = 0; i < batch.size(); ++i)
            all.append({added->ids[i], *batch[i].startMs, *batch[i].latencyMs,
                        batch[i].messages.last().content.value_or(QString()), *batch[i].model});
        const auto expected = [&](const QString &word, const std::optional<QString> &model,
                                  LogSort sort, int limit, int offset) {
            QList<Row> rows;
            for (const Row &r : all)
                if (r.text.split(QLatin1Char(' ')).contains(word) && (!model || r.model == *model))
                    rows.append(r);
            std::sort(rows.begin(), rows.end(), [sort](const Row &a, const Row &b) {
                switch (sort) {
                case LogSort::TimeDescending:
                    return std::tie(a.start, a.id) > std::tie(b.start, b.id);
                case LogSort::LatencyAscending:
                    return std::tie(a.latency, a.id) < std::tie(b.latency, b.id);
                default:
                    return std::tie(a.start, a.id) < std::tie(b.start, b.id);
                }
            });
            QList<qint64> ids;
            for (int i = offset; i < std::min<int>(rows.size(), offset + limit); ++i)
                ids.append(rows[i].id);
            return ids;
        };
        for (const QString &word : {QStringLiteral("please"), QStringLiteral("chargeback")})
            for (const LogSort sort :
                 {LogSort::TimeAscending, LogSort::TimeDescending, LogSort::LatencyAscending})
                for (const auto &[limit, offset] : {std::pair {10, 0}, {10, 20}, {5, 300}})
                    for (const std::optional<QString> &model :
                         {std::optional<QString>(),
                          std::optional<QString>(QStringLiteral("gpt-4o"))}) {
                        LogFilter f;
                        f.search = word;
                        f.model = model;
                        auto page = m_store->rows(f, sort, limit, offset);
                        QVERIFY(page);
                        QList<qint64> ids;
                        for (const LogRow &r : *page)
                            ids.append(r.id);
                        QCOMPARE(ids, expected(word, model, sort, limit, offset));
                        auto justIds = m_store->ids(f, sort, limit + offset);
                        QVERIFY(justIds);
                        QCOMPARE(justIds->mid(offset), ids);
                    }
    }

    void keysetPagesEqualOffsetPages()
    {
        // Paging by "after the last row" must show exactly the rows paging by offset shows,
        // for every sort, with unknown sort values (NULL) and ties among them.
        QList<LogRecord> batch;
        for (int i = 0; i < 57; ++i) {
            LogRecord r = call(i % 4 ? QStringLiteral("please refund %1").arg(i)
                                     : QStringLiteral("where is %1").arg(i),
                               QStringLiteral("ok"), utc(1) + qint64(i % 9) * 60000);
            if (i % 7 == 0)
                r.startMs.reset(); // unknown time: NULL
            r.endMs.reset();
            r.latencyMs = i % 5 == 0 ? std::optional<double>() : std::optional<double>(i % 6 * 0.5);
            if (i % 6 == 0) {
                r.inputTokens.reset();
                r.outputTokens.reset();
            } else {
                r.inputTokens = i % 4;
            }
            batch.append(r);
        }
        QVERIFY(m_store->add(batch));
        LogFilter searched;
        searched.search = QStringLiteral("please");
        for (const LogFilter &f : {LogFilter {}, searched})
            for (const LogSort sort : {LogSort::TimeAscending, LogSort::TimeDescending,
                                       LogSort::LatencyAscending, LogSort::LatencyDescending,
                                       LogSort::TokensAscending, LogSort::TokensDescending}) {
                auto all = m_store->rows(f, sort, -1);
                QVERIFY(all);
                QList<qint64> byOffset;
                for (const LogRow &r : *all)
                    byOffset.append(r.id);
                auto first = m_store->rows(f, sort, 5);
                QVERIFY(first);
                QList<LogRow> shown = *first;
                while (true) {
                    auto next
                        = m_store->rowsAfter(f, sort, LogCursor::after(shown.last(), sort), 5);
                    QVERIFY(next);
                    if (next->isEmpty())
                        break;
                    QVERIFY(next->size() <= 5);
                    shown.append(*next);
                }
                QList<qint64> byCursor;
                for (const LogRow &r : shown)
                    byCursor.append(r.id);
                QCOMPARE(byCursor, byOffset);
            }
    }

    void sampleIsSeededAndDistinct()
    {
        QList<LogRecord> batch;
        for (int i = 0; i < 100; ++i)
            batch.append(call(QStringLiteral("q%1").arg(i), QStringLiteral("a"), utc(1) + i));
        QVERIFY(m_store->add(batch));
        auto a = m_store->sample({}, 10, 20261130);
        auto b = m_store->sample({}, 10, 20261130);
        auto c = m_store->sample({}, 10, 20261201);
        QVERIFY(a && b && c);
        QCOMPARE(*a, *b);
        QVERIFY(*a != *c);
        QCOMPARE(QSet<qint64>(a->begin(), a->end()).size(), 10);
        QVERIFY(std::is_sorted(a->begin(), a->end()));
        QCOMPARE(m_store->sample({}, 500, 1)->size(), 100);
    }

    void traceShowsOtherSpansAndRecords()
    {
        LogRecord r = call(QStringLiteral("x"), QStringLiteral("y"), utc(5));
        r.traceId = QStringLiteral("AB12");
        r.spanId = QStringLiteral("0C02");
        r.parentSpanId = QStringLiteral("0C01");
        auto added = m_store->add({r});
        TraceSpan http {QStringLiteral("ab12"),
                        QStringLiteral("0c01"),
                        std::nullopt,
                        QStringLiteral("POST /chat"),
                        utc(5) - 10,
                        utc(5) + 2000,
                        QStringLiteral("ok"),
                        std::nullopt};
        QVERIFY(m_store->addSpans({http, http}));
        auto spans = m_store->traceSpans(QStringLiteral("Ab12"));
        QVERIFY(spans);
        QCOMPARE(spans->size(), 2);
        QCOMPARE(spans->at(0).name, QStringLiteral("POST /chat"));
        QVERIFY(!spans->at(0).logId);
        QCOMPARE(*spans->at(1).logId, added->ids.first());
        QCOMPARE(*m_store->findBySpan(QStringLiteral("AB12"), QStringLiteral("0c02")),
                 added->ids.first());
    }

    void importRowsKeepTheirCounts()
    {
        auto id = m_store->beginImport(QStringLiteral("a.jsonl"), QStringLiteral("otlp"));
        QVERIFY(id);
        QVERIFY(m_store->updateImport(*id, {5, 2, 1, 3}, QStringLiteral("completed")));
        auto st = m_project->db().prepare(QStringLiteral(
            "SELECT imported, duplicates, malformed, not_llm, status, finished_at IS "
            "NOT NULL FROM log_imports WHERE id = ?"));
        st->bind(1, *id);
        QVERIFY(*st->step());
        QCOMPARE(st->int64(0), 5);
        QCOMPARE(st->int64(3), 3);
        QCOMPARE(st->text(4), QStringLiteral("completed"));
        QCOMPARE(st->int64(5), 1);
    }

    void timesParseAsUtc()
    {
        QCOMPARE(*epochMsFromText(QStringLiteral("2026-11-30T10:00:00")),
                 *epochMsFromText(QStringLiteral("2026-11-30T10:00:00Z")));
        QCOMPARE(*epochMsFromText(QStringLiteral("2026-11-30T12:00:00+02:00")),
                 *epochMsFromText(QStringLiteral("2026-11-30T10:00:00Z")));
        QCOMPARE(*epochMsFromText(QStringLiteral("2026-11-30 10:00:00.123456")),
                 *epochMsFromText(QStringLiteral("2026-11-30T10:00:00.123Z")));
        QCOMPARE(*epochMsFromText(QStringLiteral("1764496800")), qint64(1764496800000));
        QCOMPARE(*epochMsFromText(QStringLiteral("2026-11-30")), utc(30, 0));
        QCOMPARE(isoFromEpochMs(utc(30, 0) + 5), QStringLiteral("2026-11-30T00:00:00.005Z"));
        // The same text QDateTime writes, before 1970, on leap days and far from now.
        for (const qint64 ms :
             {qint64(-1), qint64(0), qint64(951782400123), qint64(-62135596800000),
              qint64(253402300799999), qint64(253402300800000)})
            QCOMPARE(isoFromEpochMs(ms),
                     QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")));
        QVERIFY(!epochMsFromText(QStringLiteral("yesterday")));
        QCOMPARE(mediaPlaceholder(QStringLiteral("image/png"),
                                  base64DecodedSize(QStringLiteral("aGVsbG8="))),
                 QStringLiteral("[image/png, 5 bytes]"));
    }
};

QTEST_GUILESS_MAIN(TestLogStore)
#include "test_log_store.moc"
