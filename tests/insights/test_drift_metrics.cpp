// Drift metrics over plain texts, checked against values worked out by hand.
#include "evals/jsonschema.h"
#include "insights/textmetrics.h"
#include "insights/textvectors.h"

#include <QTest>

#include <cmath>

using namespace ts;

namespace {

std::vector<double> lengthsOf(const QStringList &texts)
{
    std::vector<double> out;
    for (const QString &t : texts)
        out.push_back(double(codePointLength(t)));
    return out;
}

/// Word counts of a reference and a current text over one vocabulary.
std::pair<std::vector<double>, std::vector<double>> wordCounts(Vocabulary &v, const QString &ref,
                                                               const QString &cur)
{
    std::vector<int> refIds;
    std::vector<int> curIds;
    v.tokenize(ref, refIds);
    v.tokenize(cur, curIds);
    std::vector<double> rc(size_t(v.size()), 0.0);
    std::vector<double> cc(size_t(v.size()), 0.0);
    for (int id : refIds)
        rc[size_t(id)] += 1;
    for (int id : curIds)
        cc[size_t(id)] += 1;
    return {rc, cc};
}

} // namespace

class TestDriftMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lengthsAreCodePoints()
    {
        // U+1F600 is one code point but two UTF-16 units; "é" precomposed is one.
        QCOMPARE(codePointLength(QStringLiteral("\U0001F600a")), 2);
        QCOMPARE(codePointLength(QStringLiteral("caf\u00e9")), 4);
        QCOMPARE(codePointLength(QString()), 0);
        // Never trimmed: surrounding spaces and newlines count.
        QCOMPARE(codePointLength(QStringLiteral(" a\n")), 3);
    }

    void decileEdgesByNearestRankWithoutDuplicates()
    {
        // n = 4: ranks ceil(k*4/10) for k = 1..9 are 1,1,2,2,2,3,3,4,4 -> values 2,2,4,4,4,6,6,8,8.
        QCOMPARE(decileEdges({8, 2, 6, 4}), (std::vector<double> {2, 4, 6, 8}));
        // n = 10, values 1..10: edge k is the k-th value.
        QCOMPARE(decileEdges({10, 9, 8, 7, 6, 5, 4, 3, 2, 1}),
                 (std::vector<double> {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QCOMPARE(decileEdges({5, 5, 5}), (std::vector<double> {5}));
        QVERIFY(decileEdges({}).empty());
    }

    void lengthPsiMatchesHandComputation()
    {
        // Reference lengths 2,4,6,8 -> edges 2,4,6,8 -> bins (-inf,2) [2,4) [4,6) [6,8) [8,inf).
        // Reference counts 0,1,1,1,1 (n=4, B=5): shares (c+1)/9 = 1/9, 2/9, 2/9, 2/9, 2/9.
        // Current lengths 1,1,3,9,9,9: counts 2,1,0,0,3 (n=6): shares 3/11, 2/11, 1/11, 1/11, 4/11.
        // PSI = (3/11-1/9) ln(27/11) + (2/11-2/9) ln(9/11) + 2 (1/11-2/9) ln(9/22)
        //       + (4/11-2/9) ln(18/11)
        //     = 0.145122 + 0.008108 + 2 * 0.117370 + 0.069643 = 0.457613
        const QStringList reference {QStringLiteral("ab"), QStringLiteral("abcd"),
                                     QStringLiteral("abcdef"), QStringLiteral("abcdefgh")};
        const QStringList current {
            QStringLiteral("a"),         QStringLiteral("b"),
            QStringLiteral("abc"),       QStringLiteral("abcdefghi"),
            QStringLiteral("123456789"), QStringLiteral("\U0001F600bcdefghi")};
        const auto psi = populationStability(lengthsOf(reference), lengthsOf(current));
        QVERIFY(psi);
        QCOMPARE(psi->edges, (std::vector<double> {2, 4, 6, 8}));
        QVERIFY(std::abs(psi->referenceShares[0] - 1.0 / 9) < 1e-12);
        QVERIFY(std::abs(psi->currentShares[4] - 4.0 / 11) < 1e-12);
        QVERIFY2(std::abs(psi->psi - 0.457613) < 1e-6, qPrintable(QString::number(psi->psi)));
        QCOMPARE(psiBand(psi->psi), PsiBand::Major);
        // Identical sides: every term is 0.
        QCOMPARE(populationStability(lengthsOf(reference), lengthsOf(reference))->psi, 0.0);
        QVERIFY(!populationStability({}, {1.0}));
    }

    void psiBands()
    {
        QCOMPARE(psiBand(0.0999), PsiBand::Stable);
        QCOMPARE(psiBand(0.1), PsiBand::Moderate);
        QCOMPARE(psiBand(0.2499), PsiBand::Moderate);
        QCOMPARE(psiBand(0.25), PsiBand::Major);
        QCOMPARE(psiBandName(PsiBand::Moderate), QStringLiteral("moderate"));
    }

    void wordsAreLetterDigitUnderscoreRunsLowerCased()
    {
        QCOMPARE(
            words(QStringLiteral("Hello, WORLD_1 na\u00efve caf\u00e9\u2014\u65e5\u672c\u8a9e x2 "
                                 "it's")),
            (QStringList {QStringLiteral("hello"), QStringLiteral("world_1"),
                          QStringLiteral("na\u00efve"), QStringLiteral("caf\u00e9"),
                          QStringLiteral("\u65e5\u672c\u8a9e"), QStringLiteral("x2"),
                          QStringLiteral("it"), QStringLiteral("s")}));
        QVERIFY(words(QStringLiteral(" ... !? ")).isEmpty());
    }

    void jensenShannonMatchesHandComputation()
    {
        // P = "a a b": a 2/3, b 1/3.  Q = "b c": b 1/2, c 1/2.  M = a 1/3, b 5/12, c 1/4.
        // KL(P||M) = 2/3 log2(2) + 1/3 log2(4/5) = 0.666667 - 0.107309 = 0.559357
        // KL(Q||M) = 1/2 log2(6/5) + 1/2 log2(2) = 0.131517 + 0.5 = 0.631517
        // JSD = (0.559357 + 0.631517) / 2 = 0.595437
        Vocabulary v;
        std::vector<int> p;
        std::vector<int> q;
        v.tokenize(QStringLiteral("a a b"), p);
        v.tokenize(QStringLiteral("B, c"), q);
        std::vector<double> pc(size_t(v.size()), 0.0);
        std::vector<double> qc(size_t(v.size()), 0.0);
        for (int id : p)
            pc[size_t(id)] += 1;
        for (int id : q)
            qc[size_t(id)] += 1;
        const auto jsd = jensenShannon(pc, qc);
        QVERIFY(jsd);
        QVERIFY2(std::abs(*jsd - 0.595437) < 1e-6, qPrintable(QString::number(*jsd)));
        QCOMPARE(*jensenShannon(pc, pc), 0.0);
        QCOMPARE(*jensenShannon({1, 0}, {0, 1}), 1.0); // disjoint
        QVERIFY(!jensenShannon({0, 0}, {1, 0}));
    }

    void logOddsRankingOnTinyCorpus()
    {
        // Reference: apple x3, banana x1 (n_r = 4). Current: apple, banana, cherry x2 (n_c = 4).
        // Prior = pooled counts, a_0 = 8.
        // apple:  a=4, delta = ln(5/7) - ln(7/5) = -0.672944, var = 1/5 + 1/7, z = -1.149271
        // banana: a=2, delta = ln(3/9) - ln(3/9) = 0, z = 0
        // cherry: a=2, delta = ln(4/8) - ln(2/10) = 0.916291, var = 1/4 + 1/2, z = 1.058041
        Vocabulary v;
        const auto [rc, cc] = wordCounts(v, QStringLiteral("apple apple banana apple"),
                                         QStringLiteral("cherry apple banana cherry"));
        const QList<TypicalWord> ranked = logOddsRanking(rc, cc, v);
        QCOMPARE(ranked.size(), 3);
        QCOMPARE(ranked[0].word, QStringLiteral("cherry"));
        QVERIFY(std::abs(ranked[0].z - 1.058041) < 1e-6);
        QCOMPARE(ranked[1].word, QStringLiteral("banana"));
        QVERIFY(std::abs(ranked[1].z) < 1e-12);
        QCOMPARE(ranked[2].word, QStringLiteral("apple"));
        QVERIFY(std::abs(ranked[2].z + 1.149271) < 1e-6);
        const TypicalWords typical = typicalWords(rc, cc, v, 5);
        QCOMPARE(typical.current.size(), 1);
        QCOMPARE(typical.current[0].word, QStringLiteral("cherry"));
        QCOMPARE(typical.reference.size(), 1);
        QCOMPARE(typical.reference[0].word, QStringLiteral("apple"));
        QCOMPARE(typical.reference[0].referenceCount, 3.0);
    }

    void functionWordsAreNotShownAsTypical()
    {
        // "the" and "i" separate the sides more than anything (z far from 0) and still rank;
        // the words shown are the ones that say what the text is about.
        Vocabulary v;
        const auto [rc, cc] = wordCounts(v, QStringLiteral("the the the the apple apple refund"),
                                         QStringLiteral("i i i i cherry cherry refund"));
        const QList<TypicalWord> ranked = logOddsRanking(rc, cc, v);
        QCOMPARE(ranked.first().word, QStringLiteral("i"));
        QCOMPARE(ranked.last().word, QStringLiteral("the"));
        const TypicalWords typical = typicalWords(rc, cc, v, 5);
        QCOMPARE(typical.current.size(), 1);
        QCOMPARE(typical.current[0].word, QStringLiteral("cherry"));
        QCOMPARE(typical.reference.size(), 1);
        QCOMPARE(typical.reference[0].word, QStringLiteral("apple"));

        for (const char *word : {"a", "e", "the", "does", "from", "yourselves", "don", "ll"})
            QVERIFY2(isFunctionWord(QString::fromLatin1(word)), word);
        for (const char *word : {"refund", "bike", "no2", "thesaurus", "fromage", "2359"})
            QVERIFY2(!isFunctionWord(QString::fromLatin1(word)), word);
        QVERIFY(!isFunctionWord(QStringLiteral("für")));
    }

    void jsonConformanceTrimsWhitespaceAndOneFence()
    {
        QVERIFY(outputAsJson(QStringLiteral("  {\"a\": 1}\n")));
        QVERIFY(outputAsJson(QStringLiteral("[1, 2]")));
        QVERIFY(outputAsJson(QStringLiteral("```json\n{\"a\": 1}\n```")));
        QVERIFY(outputAsJson(QStringLiteral("\n```\n[\"x\"]\n```  ")));
        QVERIFY(!outputAsJson(QStringLiteral("42"))); // a scalar is not an object or array
        QVERIFY(!outputAsJson(QStringLiteral("\"text\"")));
        QVERIFY(!outputAsJson(QStringLiteral("Sure! {\"a\": 1}")));
        QVERIFY(!outputAsJson(QStringLiteral("{\"a\": 1")));
        QVERIFY(!outputAsJson(QString()));
    }

    void schemaConformance()
    {
        auto schema = JsonSchemaValidator::create(nlohmann::json::parse(
            R"({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string"}}})"));
        QVERIFY(schema);
        QCOMPARE(checkFormat(QStringLiteral("{\"answer\": \"yes\"}"), &*schema).schema, true);
        QCOMPARE(checkFormat(QStringLiteral("{\"answer\": 3}"), &*schema).schema, false);
        const FormatCheck text = checkFormat(QStringLiteral("yes"), &*schema);
        QCOMPARE(text.json, false);
        QCOMPARE(text.schema, false);
        QVERIFY(!checkFormat(QStringLiteral("{}"), nullptr).schema.has_value());
    }

    void centroidDistanceMatchesHandComputation()
    {
        // Reference (1,0) and (0,1): normalized mean (0.5, 0.5). Current (3,0) -> (1,0); the zero
        // row is left out. cos = 0.5 / (sqrt(0.5) * 1) = 0.707107; distance = 1 - 1/sqrt(2).
        DocVectors v(4, 2);
        v << 1, 0, 0, 1, 3, 0, 0, 0;
        const auto d = centroidDistance(v, {0, 1}, {2, 3});
        QVERIFY(d);
        QVERIFY(std::abs(*d - (1 - 1 / std::sqrt(2.0))) < 1e-6);
        QVERIFY(std::abs(*centroidDistance(v, {0, 1}, {1, 0})) < 1e-9);
        QVERIFY(!centroidDistance(v, {0}, {3}));
    }
};

QTEST_GUILESS_MAIN(TestDriftMetrics)
#include "test_drift_metrics.moc"
