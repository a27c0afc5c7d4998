// Drift over 100,000 current and 10,000 reference records with the built-in representation
// (issue 10: under 2 s). Prints the time of computeDrift and its ratio to that 2 s floor, with
// and without day windows. Synthetic support-chat traffic: a rendered system prompt, a user
// question drawn from 20 topics with Zipf-distributed words, JSON or text answers; current
// adds a new topic (5%) and longer questions.
#include "insights/drift.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

using namespace ts;

namespace {

QString syllableWord(int id)
{
    static const char *syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",
                                      "ber", "dan", "fel", "gor", "hin", "jul", "pra", "sto"};
    QString w;
    int x = id + 17;
    for (int i = 0; i < 3 || x > 0; ++i) {
        w += QLatin1String(syllables[x % 16]);
        x /= 16;
    }
    return w;
}

struct Generator
{
    std::mt19937_64 rng {42};
    QStringList common;
    QList<QStringList> topics;
    std::vector<double> zipf;

    Generator()
    {
        for (int i = 0; i < 300; ++i)
            common.append(syllableWord(i));
        for (int t = 0; t < 21; ++t) {
            QStringList words;
            for (int i = 0; i < 200; ++i)
                words.append(syllableWord(1000 + t * 200 + i));
            topics.append(words);
        }
        for (int i = 1; i <= 300; ++i)
            zipf.push_back(1.0 / i);
    }

    QString question(int topic, int words)
    {
        std::discrete_distribution<int> commonWord(zipf.begin(), zipf.end());
        std::discrete_distribution<int> topicWord(zipf.begin(), zipf.begin() + 200);
        std::bernoulli_distribution fromTopic(0.4);
        QStringList out;
        for (int i = 0; i < words; ++i)
            out.append(fromTopic(rng) ? topics[topic][topicWord(rng)] : common[commonWord(rng)]);
        return out.join(QLatin1Char(' ')) + QLatin1Char('?');
    }

    DriftRecord record(qint64 id, qint64 timeMs, bool current)
    {
        std::uniform_int_distribution<int> topicOf(0, 19);
        std::bernoulli_distribution newTopic(current ? 0.05 : 0.0);
        std::uniform_int_distribution<int> length(current ? 15 : 10, current ? 90 : 60);
        std::bernoulli_distribution json(current ? 0.75 : 0.8);
        const int topic = newTopic(rng) ? 20 : topicOf(rng);
        DriftRecord r;
        r.id = id;
        r.timeMs = timeMs;
        r.input = QStringLiteral("You are the support assistant of Example Corp. Answer briefly "
                                 "and politely.\n")
            + question(topic, length(rng));
        const QString answer = question(topic, length(rng) / 2);
        r.output = json(rng)
            ? QStringLiteral("{\"answer\": \"%1\", \"topic\": %2}").arg(answer).arg(topic)
            : answer;
        return r;
    }
};

double seconds(const std::function<void()> &f)
{
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main()
{
    Generator g;
    QList<DriftRecord> reference;
    QList<DriftRecord> current;
    const qint64 start = 1796040000000; // 2026-11-30T12:00:00Z
    for (int i = 0; i < 10000; ++i)
        reference.append(g.record(i + 1, start - 30 * 86400000LL + i * 60000LL, false));
    // 100,000 records over two weeks.
    for (int i = 0; i < 100000; ++i)
        current.append(g.record(100000 + i, start + qint64(i) * 12096, true));
    qint64 chars = 0;
    for (const DriftRecord &r : current)
        chars += r.input.size() + r.output->size();
    std::printf("reference 10,000 records, current 100,000 records (%.1f MB of UTF-16 text)\n",
                double(chars) * 2 / 1e6);

    const double floor = 2.0;
    for (DriftWindow window : {DriftWindow::None, DriftWindow::Day}) {
        DriftOptions options;
        options.window = window;
        Result<DriftReport> report;
        const double t = seconds([&] { report = computeDrift(reference, current, options); });
        if (!report) {
            std::fprintf(stderr, "drift failed: %s\n", qPrintable(report.error().message));
            return 1;
        }
        int newTopics = 0;
        for (const DriftCluster &c : report->clusters)
            newTopics += c.newTopic ? 1 : 0;
        std::printf("%-22s %6.3f s  = %.2f x the 2 s floor  (%s, %d clusters, %d new, %lld "
                    "windows, domain AUC %.3f > %.3f, input PSI %.3f)\n",
                    window == DriftWindow::None ? "drift (overall)" : "drift --window day", t,
                    t / floor, qPrintable(report->representation), int(report->clusters.size()),
                    newTopics, qlonglong(report->windows.size()),
                    report->metrics.domainAuc.value_or(0),
                    report->metrics.domainAucThreshold.value_or(0),
                    report->metrics.inputLengthPsi.value_or(0));
    }
    return 0;
}
