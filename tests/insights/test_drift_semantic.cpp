// Semantic drift on synthetic corpora with known structure: the domain classifier, topic
// clustering with a planted topic, learned thresholds and windows.
#include "insights/drift.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace ts;

namespace {

const QStringList filler {QStringLiteral("hello"), QStringLiteral("please"), QStringLiteral("help"),
                          QStringLiteral("me"),    QStringLiteral("with"),   QStringLiteral("my"),
                          QStringLiteral("the"),   QStringLiteral("today")};

QStringList topic(int t)
{
    static const QList<QStringList> topics {
        {QStringLiteral("invoice"), QStringLiteral("refund"), QStringLiteral("charge"),
         QStringLiteral("payment"), QStringLiteral("card"), QStringLiteral("bill"),
         QStringLiteral("subscription"), QStringLiteral("price")},
        {QStringLiteral("package"), QStringLiteral("delivery"), QStringLiteral("tracking"),
         QStringLiteral("courier"), QStringLiteral("parcel"), QStringLiteral("address"),
         QStringLiteral("shipped"), QStringLiteral("arrive")},
        {QStringLiteral("password"), QStringLiteral("login"), QStringLiteral("email"),
         QStringLiteral("username"), QStringLiteral("reset"), QStringLiteral("locked"),
         QStringLiteral("profile"), QStringLiteral("signin")},
        // The planted topic: only in current.
        {QStringLiteral("kubernetes"), QStringLiteral("pod"), QStringLiteral("helm"),
         QStringLiteral("ingress"), QStringLiteral("deployment"), QStringLiteral("container"),
         QStringLiteral("node"), QStringLiteral("namespace")},
    };
    return topics[t];
}

QString sentence(int t, std::mt19937 &rng, int topicWords = 6)
{
    std::uniform_int_distribution<int> pick(0, 7);
    QStringList w;
    for (int i = 0; i < 3; ++i)
        w.append(filler[pick(rng)]);
    for (int i = 0; i < topicWords; ++i)
        w.append(topic(t)[pick(rng)]);
    std::shuffle(w.begin(), w.end(), rng);
    return w.join(QLatin1Char(' '));
}

QList<DriftRecord> corpus(const QList<int> &topics, int perTopic, qint64 firstId, unsigned seed)
{
    std::mt19937 rng(seed);
    QList<DriftRecord> out;
    qint64 id = firstId;
    for (int i = 0; i < perTopic; ++i)
        for (int t : topics) {
            DriftRecord r;
            r.id = id++;
            r.input = sentence(t, rng);
            r.output = QStringLiteral("{\"topic\": %1}").arg(t);
            out.append(r);
        }
    return out;
}

struct Sides
{
    DocVectors vectors;
    std::vector<int> reference;
    std::vector<int> current;
};

Sides vectorsOf(const QList<DriftRecord> &ref, const QList<DriftRecord> &cur)
{
    Vocabulary v;
    TokenizedTexts t;
    Sides s;
    for (const QList<DriftRecord> *side : {&ref, &cur})
        for (const DriftRecord &r : *side) {
            (side == &ref ? s.reference : s.current).push_back(t.size());
            v.tokenize(r.input, t.ids);
            t.endText();
        }
    std::vector<int> all(size_t(t.size()));
    std::iota(all.begin(), all.end(), 0);
    s.vectors = tfidfSvdVectors(t, v.size(), all);
    return s;
}

} // namespace

class TestDriftSemantic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rocAucCountsTiesAsHalf()
    {
        // Positives 0.9, 0.5; negatives 0.5, 0.1. Pairs: (0.9>0.5)=1, (0.9>0.1)=1,
        // (0.5=0.5)=1/2, (0.5>0.1)=1 -> 3.5 / 4 = 0.875.
        QCOMPARE(*rocAuc({0.9, 0.5, 0.5, 0.1}, {1, 1, 0, 0}), 0.875);
        QVERIFY(!rocAuc({0.1, 0.2}, {1, 1}));
    }

    void representationHas64UnitRows()
    {
        const Sides s = vectorsOf(corpus({0, 1, 2}, 100, 1, 1), corpus({0, 1, 2}, 100, 1000, 2));
        // 24 distinct topic words + 8 filler words: fewer than 64, so the rank limits it.
        QVERIFY(s.vectors.cols() > 2 && s.vectors.cols() <= 64);
        QVERIFY(std::abs(s.vectors.row(0).norm() - 1.0f) < 1e-4);
    }

    void domainClassifierNearHalfOnSameDistribution()
    {
        const Sides s = vectorsOf(corpus({0, 1, 2}, 100, 1, 11), corpus({0, 1, 2}, 100, 1000, 12));
        const auto r = domainClassifier(s.vectors, s.reference, s.current);
        QVERIFY(r);
        QCOMPARE(r->referenceRows, 300);
        QCOMPARE(r->currentRows, 300);
        QVERIFY2(std::abs(r->auc - 0.5) < 0.1, qPrintable(QString::number(r->auc)));
        QCOMPARE(int(r->permutationAucs.size()), 30);
        QVERIFY(!r->drift);
    }

    void domainClassifierHighOnDifferentDistributions()
    {
        const Sides s = vectorsOf(corpus({0, 1}, 150, 1, 21), corpus({1, 2}, 150, 1000, 22));
        const auto r = domainClassifier(s.vectors, s.reference, s.current);
        QVERIFY(r);
        // Half of each side is distinguishable by topic, the shipping half is not:
        // the ideal AUC is 0.5 * 1 + 0.5 * (0.5 * 1 + 0.5 * 0.5) = 0.875.
        QVERIFY2(r->auc > 0.8, qPrintable(QString::number(r->auc)));
        QVERIFY(r->threshold < 0.65);
        QVERIFY(r->drift);
    }

    void clusteringFindsPlantedTopic()
    {
        const QList<DriftRecord> ref = corpus({0, 1, 2}, 100, 1, 31);
        QList<DriftRecord> cur = corpus({0, 1, 2}, 100, 1000, 32);
        const QList<DriftRecord> planted = corpus({3}, 60, 5000, 33);
        cur += planted;
        const auto report = computeDrift(ref, cur);
        QVERIFY(report);
        QCOMPARE(report->referenceN, 300);
        QCOMPARE(report->currentN, 360);
        QVERIFY(report->representation.startsWith(QLatin1String("tfidf-svd-")));
        int plantedInNewTopics = 0;
        int othersInNewTopics = 0;
        bool sawKubernetes = false;
        for (const DriftCluster &c : report->clusters) {
            if (!c.newTopic) {
                QVERIFY(c.driftRatio < 0.8);
                continue;
            }
            QVERIFY(c.driftRatio >= 0.8);
            QVERIFY(c.current >= 10);
            sawKubernetes = sawKubernetes || c.words.contains(QStringLiteral("kubernetes"));
            QVERIFY(!c.examples.isEmpty());
            for (qint64 id : c.examples)
                QVERIFY2(id >= 5000, "examples of a new topic are planted records");
            plantedInNewTopics += c.current;
            othersInNewTopics += c.reference;
        }
        QVERIFY2(plantedInNewTopics >= 57, qPrintable(QString::number(plantedInNewTopics)));
        QVERIFY(plantedInNewTopics <= 63);
        QCOMPARE(othersInNewTopics, 0);
        QVERIFY(sawKubernetes);
        // The planted words are the most typical of current; the alerts say so.
        QVERIFY(!report->typicalWords.current.isEmpty());
        QVERIFY(topic(3).contains(report->typicalWords.current[0].word));
        QVERIFY(std::any_of(report->alerts.begin(), report->alerts.end(), [](const DriftAlert &a) {
            return a.metric == QLatin1String("new_topic");
        }));
        QVERIFY(*report->metrics.domainAuc > *report->metrics.domainAucThreshold);
        // The map has every record of both sides (fewer than 1000 per side), coloured by cluster.
        QCOMPARE(report->map.size(), 660);
    }

    void noNewTopicOnSameDistribution()
    {
        const auto report
            = computeDrift(corpus({0, 1, 2}, 100, 1, 41), corpus({0, 1, 2}, 100, 1000, 42));
        QVERIFY(report);
        for (const DriftCluster &c : report->clusters)
            QVERIFY(!c.newTopic);
        QVERIFY2(report->alerts.isEmpty(),
                 qPrintable(report->alerts.isEmpty() ? QString() : report->alerts[0].message));
        QVERIFY(*report->metrics.inputLengthPsi < 0.1);
        QCOMPARE(*report->metrics.outputJsonRateReference, 1.0);
    }

    void learnedThresholdsAreChunkMeanPlusThreeSd()
    {
        const QList<DriftRecord> ref = corpus({0, 1, 2}, 100, 1, 51);
        DriftOptions o;
        o.thresholds = DriftThresholds::Learned;
        // Current: the same topics but three times as many topic words (longer inputs).
        std::mt19937 rng(52);
        QList<DriftRecord> longer;
        for (int i = 0; i < 300; ++i)
            longer.append({10000 + i, std::nullopt, sentence(i % 3, rng, 18),
                           QStringLiteral("{\"topic\": 1}"), nullptr});
        const auto report = computeDrift(ref, longer, o);
        QVERIFY(report);
        QCOMPARE(report->thresholdMode, DriftThresholds::Learned);

        // Independently: input length PSI of each of 10 contiguous chunks against the other nine.
        std::vector<double> psis;
        for (int c = 0; c < 10; ++c) {
            std::vector<double> chunk;
            std::vector<double> rest;
            for (int i = 0; i < ref.size(); ++i)
                (i >= c * 30 && i < (c + 1) * 30 ? chunk : rest)
                    .push_back(double(codePointLength(ref[i].input)));
            psis.push_back(populationStability(rest, chunk)->psi);
        }
        double mean = 0;
        for (double x : psis)
            mean += x / 10;
        double ss = 0;
        for (double x : psis)
            ss += (x - mean) * (x - mean);
        const double expected = mean + 3 * std::sqrt(ss / 9);
        const auto t
            = std::find_if(report->thresholds.begin(), report->thresholds.end(), [](const auto &x) {
                  return x.first == QLatin1String("input_length_psi");
              });
        QVERIFY(t != report->thresholds.end());
        QVERIFY2(std::abs(t->second - expected) < 1e-9,
                 qPrintable(QStringLiteral("%1 vs %2").arg(t->second).arg(expected)));
        QVERIFY(std::any_of(report->alerts.begin(), report->alerts.end(), [](const DriftAlert &a) {
            return a.metric == QLatin1String("input_length_psi") && !a.windowStartMs;
        }));
        // Learned limits exist for the vocabulary and the centroid distance too.
        for (const char *key : {"input_vocab_jsd", "output_vocab_jsd", "centroid_distance"})
            QVERIFY2(std::any_of(report->thresholds.begin(), report->thresholds.end(),
                                 [&](const auto &x) { return x.first == QLatin1String(key); }),
                     key);

        // The same distribution stays under every learned limit.
        const auto same = computeDrift(ref, corpus({0, 1, 2}, 100, 1000, 53), o);
        QVERIFY(same);
        for (const DriftAlert &a : same->alerts)
            QVERIFY2(a.metric == QLatin1String("domain_auc"), qPrintable(a.message));
    }

    void learnedThresholdsNeedEnoughReference()
    {
        DriftOptions o;
        o.thresholds = DriftThresholds::Learned;
        const auto report
            = computeDrift(corpus({0, 1, 2}, 10, 1, 61), corpus({0, 1, 2}, 10, 100, 62), o);
        QVERIFY(report);
        QCOMPARE(report->thresholdMode, DriftThresholds::Fixed);
        QVERIFY(!report->thresholdNote.isEmpty());
    }

    void dayAndWeekWindows()
    {
        const QList<DriftRecord> ref = corpus({0, 1, 2}, 50, 1, 71);
        QList<DriftRecord> cur = corpus({0, 1, 2}, 50, 1000, 72);
        // 2026-11-29 (Sunday) 12:00 UTC for the first half, 2026-11-30 (Monday) for the rest.
        const qint64 sunday = 1795953600000;
        for (int i = 0; i < cur.size(); ++i)
            cur[i].timeMs = sunday + (i < 75 ? 0 : 86400000);
        cur[0].timeMs.reset(); // no time: counted overall, in no window
        DriftOptions o;
        o.window = DriftWindow::Day;
        auto report = computeDrift(ref, cur, o);
        QVERIFY(report);
        QCOMPARE(report->windows.size(), 2);
        QCOMPARE(report->windows[0].n, 74);
        QCOMPARE(report->windows[1].n, 75);
        const nlohmann::json j = driftReportJson(*report);
        QCOMPARE(j["windows"][0]["start"].get<std::string>(), "2026-11-29T00:00:00.000Z");
        QCOMPARE(j["windows"][0]["end"].get<std::string>(), "2026-11-30T00:00:00.000Z");
        QVERIFY(j["windows"][1].contains("input_length_psi"));
        QVERIFY(j["windows"][1]["domain_auc"].is_number());

        o.window = DriftWindow::Week; // ISO weeks start on Monday
        report = computeDrift(ref, cur, o);
        QVERIFY(report);
        QCOMPARE(report->windows.size(), 2);
        const nlohmann::json w = driftReportJson(*report);
        QCOMPARE(w["windows"][0]["start"].get<std::string>(), "2026-11-23T00:00:00.000Z");
        QCOMPARE(w["windows"][1]["start"].get<std::string>(), "2026-11-30T00:00:00.000Z");
        QCOMPARE(w["windows"][1]["end"].get<std::string>(), "2026-12-07T00:00:00.000Z");
    }

    void jsonHasTheDocumentedShape()
    {
        const auto report = computeDrift(corpus({0, 1}, 30, 1, 81), corpus({1, 2}, 30, 100, 82));
        QVERIFY(report);
        const nlohmann::json j = driftReportJson(*report);
        QCOMPARE(j["reference"]["n"].get<int>(), 60);
        QCOMPARE(j["current"]["n"].get<int>(), 60);
        for (const char *key :
             {"input_length_psi", "output_length_psi", "input_vocab_jsd", "output_vocab_jsd",
              "output_json_rate_reference", "output_json_rate_current", "centroid_distance",
              "domain_auc", "domain_auc_threshold"})
            QVERIFY2(j["metrics"].contains(key), key);
        QVERIFY(j["windows"].is_array());
        QVERIFY(j["typical_words"]["reference"].is_array());
        QVERIFY(j["typical_words"]["current"].is_array());
        QVERIFY(j["clusters"].is_array());
        QVERIFY(j["alerts"].is_array());
        QVERIFY(j["metrics"]["output_schema_rate_current"].is_null()); // no schema given
    }

    void emptySideIsAnError()
    {
        QCOMPARE(computeDrift({}, corpus({0}, 3, 1, 1)).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(computeDrift(corpus({0}, 3, 1, 1), {}).error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestDriftSemantic)
#include "test_drift_semantic.moc"
