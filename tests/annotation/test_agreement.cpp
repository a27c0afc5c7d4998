#include "annotation/agreement.h"
#include "annotation/alignment.h"

#include <QTest>

using namespace ts::agreement;

namespace {

QString s(int v)
{
    return QString::number(v);
}

} // namespace

class TestAgreement final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example:
    // 4 observers, 12 units, missing values; nominal alpha = 0.743.
    void krippendorffWorkedExample()
    {
        const int x = 0; // missing
        const int a[12] = {1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x};
        const int b[12] = {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3};
        const int c[12] = {x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x};
        const int d[12] = {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x};
        QList<Rating> ratings;
        QList<QList<QString>> units(12);
        const int *observers[4] = {a, b, c, d};
        for (int o = 0; o < 4; ++o)
            for (int u = 0; u < 12; ++u)
                if (observers[o][u] != x) {
                    ratings.append({s(u), QStringLiteral("obs%1").arg(o), s(observers[o][u])});
                    units[u].append(s(observers[o][u]));
                }
        QCOMPARE(qRound(*krippendorffAlphaNominal(units) * 1000), 743);
        const Agreement m = measure(ratings);
        QCOMPARE(m.items, 11); // unit 12 has one value and is left out
        QCOMPARE(m.annotators, 4);
        QCOMPARE(m.labels, 41);
        QVERIFY(qAbs(*m.krippendorffAlpha - 0.743421) < 1e-5);
        QVERIFY(!m.cohenKappa);  // four annotators
        QVERIFY(!m.fleissKappa); // items have 2, 3 or 4 labels
        QVERIFY(m.alphaCi);
        QVERIFY(m.alphaCi->low < *m.krippendorffAlpha && *m.krippendorffAlpha < m.alphaCi->high);
        // Seeded: the same interval every time.
        const Agreement again = measure(ratings);
        QCOMPARE(again.alphaCi->low, m.alphaCi->low);
        QCOMPARE(again.alphaCi->high, m.alphaCi->high);
    }

    // Fleiss (1971) as tabulated on Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters,
    // 5 categories; P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
    void fleissTextbookTable()
    {
        const QList<QList<int>> table = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6},
                                         {0, 3, 9, 2, 0},  {2, 2, 8, 1, 1}, {7, 7, 0, 0, 0},
                                         {3, 2, 6, 3, 0},  {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0},
                                         {0, 2, 2, 3, 7}};
        QVERIFY(qAbs(*fleissKappa(table) - 0.20993) < 1e-5);
        // The same table as ratings gives the same kappa through measure().
        QList<Rating> ratings;
        for (int i = 0; i < table.size(); ++i) {
            int rater = 0;
            for (int cat = 0; cat < 5; ++cat)
                for (int n = 0; n < table[i][cat]; ++n)
                    ratings.append({s(i), s(rater++), s(cat)});
        }
        const Agreement m = measure(ratings, 0);
        QVERIFY(qAbs(*m.fleissKappa - 0.20993) < 1e-5);
        QVERIFY(!m.alphaCi); // no resamples asked
        QCOMPARE(fleissKappa({{1, 1}, {2, 1}}), std::nullopt); // rows differ in size
    }

    // Cohen's kappa, Wikipedia's example: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15:
    // po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    void cohenTwoAnnotators()
    {
        QList<Rating> ratings;
        auto add = [&](int count, const char *a, const char *b) {
            for (int i = 0; i < count; ++i) {
                const QString item = s(int(ratings.size()));
                ratings.append({item, QStringLiteral("ana"), QString::fromLatin1(a)});
                ratings.append({item, QStringLiteral("ben"), QString::fromLatin1(b)});
            }
        };
        add(20, "yes", "yes");
        add(5, "yes", "no");
        add(10, "no", "yes");
        add(15, "no", "no");
        const Agreement m = measure(ratings);
        QCOMPARE(m.items, 50);
        QVERIFY(qAbs(*m.cohenKappa - 0.4) < 1e-12);
        QVERIFY(qAbs(*m.percentAgreement - 0.7) < 1e-12);
        QVERIFY(m.fleissKappa); // every item has two labels
        QCOMPARE(landisKoch(*m.cohenKappa), QStringLiteral("fair"));
        QCOMPARE(landisKoch(0.75), QStringLiteral("substantial"));
        QCOMPARE(landisKoch(-0.1), QStringLiteral("poor"));
        QCOMPARE(landisKoch(0.9), QStringLiteral("almost perfect"));
    }

    // Three raters, hand-computed: item A yes/yes/yes (3 of 3 pairs agree), item B yes/yes/no
    // (1 of 3), item C no/no (1 of 1): percent = (1 + 1/3 + 1) / 3 = 0.7778.
    void percentAgreementOverPairs()
    {
        const QList<Rating> ratings = {
            {QStringLiteral("A"), QStringLiteral("r1"), QStringLiteral("yes")},
            {QStringLiteral("A"), QStringLiteral("r2"), QStringLiteral("yes")},
            {QStringLiteral("A"), QStringLiteral("r3"), QStringLiteral("yes")},
            {QStringLiteral("B"), QStringLiteral("r1"), QStringLiteral("yes")},
            {QStringLiteral("B"), QStringLiteral("r2"), QStringLiteral("yes")},
            {QStringLiteral("B"), QStringLiteral("r3"), QStringLiteral("no")},
            {QStringLiteral("C"), QStringLiteral("r1"), QStringLiteral("no")},
            {QStringLiteral("C"), QStringLiteral("r2"), QStringLiteral("no")},
            {QStringLiteral("D"), QStringLiteral("r1"), QStringLiteral("no")}, // alone: left out
        };
        const Agreement m = measure(ratings);
        QCOMPARE(m.items, 3);
        QVERIFY(qAbs(*m.percentAgreement - 7.0 / 9.0) < 1e-12);
        QVERIFY(!m.fleissKappa); // 3, 3, 2 and 1 labels
        QVERIFY(!m.cohenKappa);
        // Coincidences (ordered pairs / (m - 1)): A yes-yes 6/2 = 3; B yes-yes 2/2 = 1,
        // yes-no 1, no-yes 1; C no-no 2/1 = 2. o_yy = 4, o_yn = o_ny = 1, o_nn = 2;
        // n_yes = 5, n_no = 3, n = 8; alpha = 1 - (n - 1) * D_o / sum n_c n_k
        // = 1 - 7 * 2 / (2 * 5 * 3) = 1 - 14/30 = 0.5333.
        QVERIFY(qAbs(*m.krippendorffAlpha - (1.0 - 14.0 / 30.0)) < 1e-12);
    }

    void everyoneSaysTheSame()
    {
        const QList<Rating> ratings = {
            {QStringLiteral("A"), QStringLiteral("r1"), QStringLiteral("yes")},
            {QStringLiteral("A"), QStringLiteral("r2"), QStringLiteral("yes")},
        };
        const Agreement m = measure(ratings);
        QCOMPARE(*m.percentAgreement, 1.0);
        QVERIFY(!m.krippendorffAlpha); // undefined with one value: never a made-up 1 or 0
        QVERIFY(!m.cohenKappa);
    }

    // Judge vs people, hand-built: 10 items. Humans pass 6, fail 4. The judge fails 3 of the
    // 4 human failures (coverage 0.75) and 1 of the 6 human passes (false-failure 1/6).
    void alignmentOfAJudge()
    {
        QList<Verdicts> v;
        for (int i = 0; i < 5; ++i)
            v.append({true, true});
        v.append({true, false});
        for (int i = 0; i < 3; ++i)
            v.append({false, false});
        v.append({false, true});
        const Alignment a = align(v);
        QCOMPARE(a.tp, 5);
        QCOMPARE(a.fn, 1);
        QCOMPARE(a.tn, 3);
        QCOMPARE(a.fp, 1);
        QCOMPARE(*a.accuracy, 0.8);
        QCOMPARE(*a.coverage, 0.75);
        QVERIFY(qAbs(*a.falseFailureRate - 1.0 / 6.0) < 1e-12);
        // alignment = 2 * 0.75 * (5/6) / (0.75 + 5/6) = 1.25 / 1.58333 = 0.78947
        QVERIFY(qAbs(*a.alignment - 0.789474) < 1e-6);
        // kappa: po 0.8, pe = 0.6*0.6 + 0.4*0.4 = 0.52, kappa = 0.28 / 0.48 = 0.58333
        QVERIFY(qAbs(*a.cohenKappa - 0.583333) < 1e-6);
        QVERIFY(!align({}).accuracy);
    }
};

QTEST_GUILESS_MAIN(TestAgreement)
#include "test_agreement.moc"
