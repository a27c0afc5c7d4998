#include "evals/judgeprompts.h"
#include "evals/judgeverdict.h"

#include <QtTest>

using namespace ts;
using namespace ts::judge;

namespace {

QString text(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

class TestJudgeVerdict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pointwiseTakesTheLastVerdictAfterReasoning()
    {
        const QString answer = text(
            "The rubric asks for a polite tone. An example of a bad answer would be "
            "{\"pass\": false, \"score\": 0}. This output thanks the user, so it is polite.\n"
            "```json\n{\"reason\": \"Polite and complete\", \"pass\": true, \"score\": 0.9}\n```");
        const auto v = parsePointwise(answer);
        QVERIFY2(v.has_value(), qPrintable(v ? QString() : v.error().message));
        QVERIFY(v->pass);
        QCOMPARE(v->score, 0.9);
        QVERIFY(v->scoreGiven);
        QCOMPARE(v->reason, QStringLiteral("Polite and complete"));
    }

    void pointwiseAcceptsLooseSpellings()
    {
        QVERIFY(parsePointwise(text("ok {\"pass\": \"yes\"}"))->pass);
        QVERIFY(parsePointwise(text("{\"PASS\": \"True\"}"))->pass);
        QVERIFY(!parsePointwise(text("{\"pass\": \"no\"}"))->pass);
        QCOMPARE(parsePointwise(text("{\"pass\": \"fail\"}"))->score, 0.0);
        const auto fraction = parsePointwise(text("{\"score\": \"7/10\"}"));
        QCOMPARE(fraction->score, 0.7);
        QVERIFY(fraction->pass); // no pass given: score >= 0.5
        QVERIFY(!parsePointwise(text("{\"score\": 0.2}"))->pass);
        // braces inside strings do not confuse the scanner
        QCOMPARE(
            parsePointwise(text("{\"reason\": \"uses {braces} and }\", \"pass\": true}"))->reason,
            QStringLiteral("uses {braces} and }"));
    }

    void pointwiseReasonFallsBackToTheReasoningText()
    {
        const auto v = parsePointwise(
            text("It answers the question directly.\n```json\n{\"pass\": true}\n```"));
        QCOMPARE(v->reason, QStringLiteral("It answers the question directly."));
    }

    void pointwiseScalesAreExplicit()
    {
        ScoreScale tenPoint;
        tenPoint.min = 0;
        tenPoint.max = 10;
        tenPoint.passThreshold = 0.7;
        const auto v = parsePointwise(text("{\"score\": 8}"), tenPoint);
        QCOMPARE(v->score, 0.8);
        QVERIFY(v->pass);
        ScoreScale likert {1, 5, 0.5};
        QCOMPARE(parsePointwise(text("{\"score\": 3}"), likert)->score, 0.5);
        // a 0..1 judge that answers 8 is an error, not a pass
        const auto outside = parsePointwise(text("{\"score\": 8}"));
        QVERIFY(!outside);
        QCOMPARE(outside.error().code, ErrorCode::Protocol);
        QVERIFY(outside.error().message.contains(QStringLiteral("outside the scale")));
    }

    void pointwiseErrorsAreNeverSilentPasses()
    {
        QVERIFY(!parsePointwise(text("I think it passes.")));
        QVERIFY(!parsePointwise(text("{\"pass\": tru"))); // truncated
        QVERIFY(!parsePointwise(text("{\"pass\": \"maybe\"}")));
        QVERIFY(!parsePointwise(text("{\"score\": \"high\"}")));
        QVERIFY(!parsePointwise(text("{\"pass\": null, \"score\": null}")));
        QVERIFY(!parsePointwise(text("{\"verdict\": \"pass\"}")));
        QCOMPARE(parsePointwise(QString()).error().code, ErrorCode::Protocol);
    }

    void pairwiseParsing()
    {
        QCOMPARE(parsePairwise(text("A is clearer.\n{\"reason\": \"clearer\", \"winner\": \"A\"}"))
                     ->winner,
                 PairwiseChoice::A);
        QCOMPARE(parsePairwise(text("{\"winner\": \"Output B\"}"))->winner, PairwiseChoice::B);
        QCOMPARE(parsePairwise(text("{\"winner\": \"b\"}"))->winner, PairwiseChoice::B);
        QCOMPARE(parsePairwise(text("{\"winner\": \"Tie\"}"))->winner, PairwiseChoice::Tie);
        QCOMPARE(parsePairwise(text("{\"choice\": \"(A)\"}"))->winner, PairwiseChoice::A);
        QCOMPARE(
            parsePairwise(
                text("{\"winner\": \"A\"} on reflection {\"winner\": \"B\", \"reason\": \"r\"}"))
                ->reason,
            QStringLiteral("r"));
        QVERIFY(!parsePairwise(text("{\"winner\": \"C\"}")));
        QVERIFY(!parsePairwise(text("B is better")));
    }

    void bothOrdersRule()
    {
        // second call saw the outputs swapped: its "B" is the original A
        const CombinedPairwise aWins = combineBothOrders(PairwiseChoice::A, PairwiseChoice::B);
        QCOMPARE(aWins.winner, PairwiseChoice::A);
        QVERIFY(aWins.consistent);
        QCOMPARE(combineBothOrders(PairwiseChoice::B, PairwiseChoice::A).winner, PairwiseChoice::B);
        const CombinedPairwise ties = combineBothOrders(PairwiseChoice::Tie, PairwiseChoice::Tie);
        QCOMPARE(ties.winner, PairwiseChoice::Tie);
        QVERIFY(ties.consistent);
        // picking whatever is shown first both times is no win
        const CombinedPairwise biased = combineBothOrders(PairwiseChoice::A, PairwiseChoice::A);
        QCOMPARE(biased.winner, PairwiseChoice::Tie);
        QVERIFY(!biased.consistent);
        const CombinedPairwise half = combineBothOrders(PairwiseVerdict {PairwiseChoice::A, {}},
                                                        PairwiseVerdict {PairwiseChoice::Tie, {}});
        QCOMPARE(half.winner, PairwiseChoice::Tie);
        QVERIFY(!half.consistent);
    }

    void reliabilityRates()
    {
        const QList<CombinedPairwise> pairs {
            combineBothOrders(PairwiseChoice::A, PairwiseChoice::B), // consistent
            combineBothOrders(PairwiseChoice::Tie, PairwiseChoice::Tie), // consistent
            combineBothOrders(PairwiseChoice::A, PairwiseChoice::A), // first shown twice
            combineBothOrders(PairwiseChoice::A, PairwiseChoice::Tie), // first shown once
            combineBothOrders(PairwiseChoice::B, PairwiseChoice::B), // second shown twice
        };
        const JudgeReliability r = judgeReliability(pairs);
        QCOMPARE(r.pairs, 5);
        QCOMPARE(r.consistent, 2);
        QCOMPARE(*r.consistencyRate, 0.4);
        QCOMPARE(r.inconsistentPicks, 5);
        QCOMPARE(r.firstShownPicks, 3);
        QCOMPARE(*r.positionBiasRate, 0.6);

        const JudgeReliability steady
            = judgeReliability({combineBothOrders(PairwiseChoice::A, PairwiseChoice::B)});
        QCOMPARE(*steady.consistencyRate, 1.0);
        QVERIFY(!steady.positionBiasRate.has_value());
        QVERIFY(!judgeReliability({}).consistencyRate.has_value());
    }

    void factualityCategories()
    {
        const auto superset
            = parseFactuality(text("Both name Paris; the output adds the population.\n"
                                   "{\"reason\": \"adds detail\", \"category\": \"B\"}"));
        QCOMPARE(superset->category, QLatin1Char('B'));
        QVERIFY(superset->pass);
        const auto disagree
            = parseFactuality(text("{\"category\": \"(D)\", \"reason\": \"says Lyon\"}"));
        QCOMPARE(disagree->category, QLatin1Char('D'));
        QVERIFY(!disagree->pass);
        for (const char *c : {"A", "C", "e"})
            QVERIFY(parseFactuality(text("{\"category\": \"%1\"}").arg(QLatin1String(c)))->pass);
        QVERIFY(!parseFactuality(text("{\"category\": \"F\"}")));
        QVERIFY(!parseFactuality(text("The answer is (A)")));
    }

    void defaultTemplatesNameTheirVariablesAndVerdicts()
    {
        const QString pointwise = pointwiseRubricTemplate();
        for (const char *var :
             {"{{output}}", "{{rubric}}", "{{expected}}", "{{vars}}", "\"pass\"", "\"score\""})
            QVERIFY2(pointwise.contains(QLatin1String(var)), var);
        const QString pairwise = pairwiseTemplate();
        for (const char *var : {"{{output_a}}", "{{output_b}}", "{{rubric}}", "\"winner\""})
            QVERIFY2(pairwise.contains(QLatin1String(var)), var);
        const QString factuality = factualityTemplate();
        for (const char *var : {"{{output}}", "{{expected}}", "(A)", "(E)", "\"category\""})
            QVERIFY2(factuality.contains(QLatin1String(var)), var);
        // reasoning comes before the verdict
        QVERIFY(pointwise.indexOf(QLatin1String("reason step by step"))
                < pointwise.indexOf(QLatin1String("\"pass\"")));
    }
};

QTEST_GUILESS_MAIN(TestJudgeVerdict)
#include "test_judge_verdict.moc"
