// "Agreement for 100,000 labels in under a second" (issue 9).
//
// Stores 100,000 binary labels in a project (by default 50,000 items x 2 annotators on one
// criterion; also 25,000 items x 4 annotators) and times measureAgreement() — reading the
// labels and computing percent agreement, Cohen's or Fleiss' kappa and Krippendorff's alpha
// with a 1,000-resample bootstrap — median of 3, against the 1 s budget. Also 100,000
// pairwise choices (50,000 pairs x 2 annotators). Never run by CTest.
// Usage: bench_annotation_agreement

#include "annotation/agreementreport.h"
#include "annotation/criterionstore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

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

bool fill(Database &db, int items, int annotators, bool pairwise)
{
    std::mt19937_64 rng(5);
    auto criterion = CriterionStore(db).ensure(QStringLiteral("helpful"));
    if (!criterion)
        return false;
    auto tx = Transaction::begin(db);
    if (!tx)
        return false;
    auto st = db.prepare(
        pairwise
            ? QStringLiteral("INSERT INTO preferences (a_kind, a_id, b_kind, b_id, annotator, "
                             "choice, left_is_a, created_at) VALUES ('generation', ?, "
                             "'generation', ?, ?, ?, ?, 'x')")
            : QStringLiteral("INSERT INTO labels (target_kind, target_id, criterion_version_id, "
                             "annotator, value, created_at) VALUES ('log', ?, ?, ?, ?, 'x')"));
    if (!st)
        return false;
    static const char *binary[] = {"yes", "no"};
    static const char *choices[] = {"a", "b", "tie"};
    for (int i = 0; i < items; ++i) {
        // Mostly agreeing annotators: the item's "true" value, flipped 20% of the time.
        const int truth = int(rng() % (pairwise ? 3 : 2));
        for (int a = 0; a < annotators; ++a) {
            const int value = rng() % 5 == 0 ? int(rng() % (pairwise ? 3 : 2)) : truth;
            st->reset();
            if (pairwise)
                st->bind(1, qint64(2 * i + 1))
                    .bind(2, qint64(2 * i + 2))
                    .bind(3, QStringLiteral("annotator %1").arg(a))
                    .bind(4, QString::fromLatin1(choices[value]))
                    .bind(5, qint64(rng() % 2));
            else
                st->bind(1, qint64(i + 1))
                    .bind(2, criterion->id)
                    .bind(3, QStringLiteral("annotator %1").arg(a))
                    .bind(4, QString::fromLatin1(binary[value]));
            if (!st->run())
                return false;
        }
    }
    return bool(tx->commit());
}

void run(const char *label, int items, int annotators, bool pairwise)
{
    const QString path
        = QDir::temp().filePath(QStringLiteral("touchstone-bench-agreement.touchstone"));
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    auto project = Project::create(path);
    if (!project || !fill(project->db(), items, annotators, pairwise)) {
        std::fprintf(stderr, "cannot fill %s\n", qPrintable(path));
        return;
    }
    std::vector<double> ms;
    AgreementOnCriterion last;
    for (int i = 0; i < 3; ++i) {
        const double t = now();
        auto result = measureAgreement(project->db());
        ms.push_back((now() - t) * 1000);
        if (!result || result->isEmpty()) {
            std::fprintf(stderr, "measureAgreement failed\n");
            return;
        }
        last = result->first();
    }
    std::sort(ms.begin(), ms.end());
    const auto &a = last.stats;
    std::printf("%-44s %6d labels  median %7.1f ms (min %7.1f)  %s   [alpha %.3f, CI %.3f-%.3f, "
                "%s %.3f]\n",
                label, a.labels, ms[1], ms[0], ms[1] < 1000 ? "under 1 s" : "OVER 1 s",
                a.krippendorffAlpha.value_or(-1), a.alphaCi ? a.alphaCi->low : -1,
                a.alphaCi ? a.alphaCi->high : -1, annotators == 2 ? "Cohen" : "Fleiss",
                annotators == 2 ? a.cohenKappa.value_or(-1) : a.fleissKappa.value_or(-1));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::printf("measureAgreement with %d bootstrap resamples, median of 3 (budget 1 s):\n",
                agreement::kAgreementResamples);
    run("binary, 50,000 items x 2 annotators", 50000, 2, false);
    run("binary, 25,000 items x 4 annotators", 25000, 4, false);
    run("pairwise, 50,000 pairs x 2 annotators", 50000, 2, true);
    const QString path
        = QDir::temp().filePath(QStringLiteral("touchstone-bench-agreement.touchstone"));
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    return 0;
}
