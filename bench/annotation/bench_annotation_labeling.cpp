// "The next item is on screen within 16 ms of the keystroke that finished the previous one"
// (issue 9), with a 10,000-item queue over 1,000,000 log records.
//
// Fills a project with N log records through LogStore::add (kept between runs with
// --project), makes a binary queue of M records sampled from them with two criteria, then
// labels the whole queue as one annotator. Per item the first criterion is labeled untimed;
// the timed span is what the Annotate view does on the keystroke that completes an item:
//   LabelStore::setLabel (the last criterion) + QueueStore::next (from the current position)
//   + the item's fetch for display (QueueStore::item, this annotator's labels, note and
//   correction on it).
// Also timed, every 250th item: QueueStore::next from the start of the queue (what reopening
// a queue does) and QueueStore::progress (the progress bar).
// Prints p50/p90/p99/max in ms against the 16 ms budget. Never run by CTest.
// Usage: bench_annotation_labeling [--records N] [--items M] [--project PATH]

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace ts;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

LogRecord makeRecord(std::mt19937_64 &rng, qint64 index, qint64 base)
{
    static const char *models[] = {"gpt-4o-mini", "claude-3-5-haiku", "llama-3.1-8b"};
    LogRecord r;
    r.startMs = base + index * 250;
    r.endMs = *r.startMs + 400 + qint64(rng() % 2000);
    r.model = QString::fromLatin1(models[rng() % 3]);
    r.messages = {{QStringLiteral("system"), QStringLiteral("You are a support agent."), {}, {}},
                  {QStringLiteral("user"),
                   QStringLiteral("Ticket %1: my order has not arrived, please help.").arg(index),
                   {},
                   {}}};
    r.output = QStringLiteral("Sorry to hear that. We will look at ticket %1 today.").arg(index);
    r.ok = rng() % 50 != 0;
    if (!r.ok)
        r.error = QStringLiteral("upstream timeout");
    r.promptName = QStringLiteral("support");
    r.promptVersion = QString::number(1 + rng() % 3);
    r.traceId = QString::number(index, 16).rightJustified(32, QLatin1Char('0'));
    r.spanId = QString::number(index, 16).rightJustified(16, QLatin1Char('0'));
    r.sourceFormat = QStringLiteral("otlp");
    return r;
}

void summary(const char *label, std::vector<double> ms, double budget)
{
    if (ms.empty())
        return;
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))];
    };
    std::printf("%-58s n=%-6zu p50 %7.3f  p90 %7.3f  p99 %7.3f  max %7.3f ms  %s\n", label,
                ms.size(), at(0.5), at(0.9), at(0.99), ms.back(),
                budget > 0 ? (at(0.99) <= budget ? "within 16 ms" : "OVER 16 ms") : "");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 records = 1000000;
    int itemCount = 10000;
    QString path
        = QDir::temp().filePath(QStringLiteral("touchstone-bench-annotation-logs.touchstone"));
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--records") && i + 1 < args.size())
            records = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--items") && i + 1 < args.size())
            itemCount = args[++i].toInt();
        else if (args[i] == QLatin1String("--project") && i + 1 < args.size())
            path = args[++i];
        else {
            std::fprintf(stderr,
                         "usage: bench_annotation_labeling [--records N] [--items M] "
                         "[--project PATH]\n");
            return 2;
        }
    }

    if (!QFile::exists(path)) {
        auto project = Project::create(path);
        if (!project) {
            std::fprintf(stderr, "%s\n", qPrintable(project.error().message));
            return 1;
        }
        LogStore store(project->db());
        std::mt19937_64 rng(7);
        const qint64 base = 1786492800000LL;
        const double t = now();
        const int batch = 10000;
        for (qint64 i = 0; i < records; i += batch) {
            QList<LogRecord> list;
            list.reserve(batch);
            for (qint64 j = i; j < std::min(records, i + batch); ++j)
                list.append(makeRecord(rng, j, base));
            if (auto added = store.add(list); !added) {
                std::fprintf(stderr, "%s\n", qPrintable(added.error().message));
                return 1;
            }
            if ((i / batch) % 20 == 19)
                std::fprintf(stderr, "  %lld records\n", i + batch);
        }
        std::printf("filled %lld log records in %.1f s\n", records, now() - t);
    }
    auto project = Project::open(path);
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error().message));
        return 1;
    }
    Database &db = project->db();
    LogStore logs(db);
    std::printf("project: %s, %lld log records (%.0f MB)\n", qPrintable(path),
                (long long)*logs.count({}), double(QFile(path).size()) / 1e6);

    // A fresh queue each run (the labels of earlier runs are removed with it).
    QueueStore queues(db);
    const QString queueName = QStringLiteral("bench %1 items").arg(itemCount);
    if (auto old = queues.queue(queueName)) {
        (void)db.exec(QStringLiteral("DELETE FROM labels WHERE annotator = 'bench'"));
        (void)queues.remove(old->id);
    }
    double t = now();
    auto ids = logs.sample({}, itemCount, 11);
    if (!ids) {
        std::fprintf(stderr, "%s\n", qPrintable(ids.error().message));
        return 1;
    }
    QList<QueueItem> items;
    for (qint64 id : *ids) {
        auto r = logs.record(id);
        if (!r)
            return 1;
        QueueItem item;
        item.a = Target {Target::Kind::Log, id};
        item.input = {{"messages", messagesToJson(r->messages)}};
        item.outputA = r->output;
        item.context = {{"model", r->model->toStdString()}, {"status", r->ok ? "ok" : "error"}};
        items.append(item);
    }
    QueueSpec spec {queueName,
                    QueueKind::Binary,
                    1,
                    true,
                    {QStringLiteral("helpful"), QStringLiteral("polite")},
                    {},
                    {},
                    {}};
    auto queue = queues.create(spec, items);
    if (!queue) {
        std::fprintf(stderr, "%s\n", qPrintable(queue.error().message));
        return 1;
    }
    std::printf("queue of %d items sampled and created in %.2f s\n\n", queue->itemCount, now() - t);
    const qint64 first = queue->criteria[0].id;
    const qint64 last = queue->criteria[1].id;

    LabelStore labels(db);
    const QString annotator = QStringLiteral("bench");
    std::vector<double> keystroke, setLabel, nextFromHere, fetch, nextFromStart, progress;
    auto current = queues.next(queue->id, annotator);
    int done = 0;
    while (current && *current) {
        const QueueItem item = **current;
        if (!labels.setLabel(item.a, first, annotator, LabelValue::Yes, 2.0, item.id))
            return 1;
        // The keystroke that completes the item.
        const double t0 = now();
        auto set = labels.setLabel(item.a, last, annotator,
                                   (done % 5) ? LabelValue::Yes : LabelValue::No, 3.0, item.id);
        const double t1 = now();
        current = queues.next(queue->id, annotator, item.position + 1);
        const double t2 = now();
        if (current && *current) {
            auto shown = queues.item((*current)->id);
            auto mine = labels.labelsOf((*current)->a, annotator);
            auto note = labels.note((*current)->a, annotator);
            auto correction = labels.correction((*current)->a, annotator);
            if (!shown || !mine || !note || !correction)
                return 1;
        }
        const double t3 = now();
        if (!set || !current)
            return 1;
        keystroke.push_back((t3 - t0) * 1000);
        setLabel.push_back((t1 - t0) * 1000);
        nextFromHere.push_back((t2 - t1) * 1000);
        fetch.push_back((t3 - t2) * 1000);
        ++done;
        if (done % 250 == 0) {
            const double s0 = now();
            auto reopened = queues.next(queue->id, annotator);
            const double s1 = now();
            auto bar = queues.progress(queue->id, annotator);
            const double s2 = now();
            if (!reopened || !bar)
                return 1;
            nextFromStart.push_back((s1 - s0) * 1000);
            progress.push_back((s2 - s1) * 1000);
        }
    }
    std::printf("labeled %d items (%d labels)\n", done, done * 2);
    summary("keystroke -> next item loaded (set + next + fetch)", keystroke, 16);
    summary("  LabelStore::setLabel (last criterion)", setLabel, 0);
    summary("  QueueStore::next from the current position", nextFromHere, 0);
    summary("  item fetch (item, labels, note, correction)", fetch, 0);
    summary("QueueStore::next from the start (reopening a queue)", nextFromStart, 16);
    summary("QueueStore::progress (progress bar)", progress, 16);
    return 0;
}
