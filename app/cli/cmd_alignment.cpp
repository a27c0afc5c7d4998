#include "cli.h"

#include "annotation/alignmentreport.h"
#include "annotation/pairwisealignment.h"
#include "common/json.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts::cli {

namespace {

nlohmann::json number(const std::optional<double> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

QString fixed(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'f', 2) : QStringLiteral("-");
}

} // namespace

int runAlignment(const QStringList &args)
{
    const QString help = QStringLiteral("alignment");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "How far an eval's assertions and LLM judges agree with people on a criterion. The human "
        "verdict per generation is the adjudicated label, else the majority of yes/no (ties left "
        "out); positive = pass. Per check: the confusion matrix, accuracy, Cohen's kappa, "
        "coverage (share of human-failed outputs it fails), false-failure rate (share of "
        "human-passed outputs it fails) and alignment (their harmonic mean, as coverage and "
        "1 - false-failure rate). Judges are scored per judge prompt version. Pairwise judges are "
        "scored against people's pairwise choices, ties included."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("eval"), QStringLiteral("The eval."), QStringLiteral("ID")},
        {QStringLiteral("criterion"), QStringLiteral("The criterion people labeled."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("eval")) || !p.isSet(QStringLiteral("criterion")))
        return usageError(QStringLiteral("--eval ID and --criterion NAME are required"), help);
    bool ok = false;
    const qint64 evalId = p.value(QStringLiteral("eval")).toLongLong(&ok);
    if (!ok || evalId <= 0)
        return usageError(QStringLiteral("--eval must be an eval id, not \"%1\"")
                              .arg(p.value(QStringLiteral("eval"))),
                          help);
    const QString criterion = p.value(QStringLiteral("criterion"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    Database &db = project->db();
    auto exists = db.prepare(QStringLiteral("SELECT 1 FROM evals WHERE id = ?"));
    if (!exists)
        return report(exists.error());
    exists->bind(1, evalId);
    if (auto row = exists->step(); !row)
        return report(row.error());
    else if (!*row)
        return report(
            Error {ErrorCode::NotFound, QStringLiteral("No eval %1 in this project.").arg(evalId)});

    auto pointwise = alignChecks(db, evalId, criterion);
    auto pairwise = alignPairwiseJudges(db, evalId, criterion);
    if (!pairwise)
        return report(pairwise.error());
    // No binary verdicts is fine when pairwise judges have people to compare with.
    if (!pointwise && (pointwise.error().code != ErrorCode::NotFound || pairwise->isEmpty()))
        return report(pointwise.error());
    const QList<CheckAlignment> checks = pointwise ? *pointwise : QList<CheckAlignment>();

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json array = nlohmann::json::array();
        for (const CheckAlignment &c : checks) {
            const agreement::Alignment &a = c.stats;
            nlohmann::json disagreements = nlohmann::json::array();
            for (const Target &t : c.disagreements)
                disagreements.push_back(sstr(t.key()));
            array.push_back({{"name", sstr(c.name)},
                             {"kind", sstr(c.kind)},
                             {"judge_version",
                              c.kind == QLatin1String("judge") ? nlohmann::json(c.judgeVersion)
                                                               : nlohmann::json()},
                             {"tp", a.tp},
                             {"tn", a.tn},
                             {"fp", a.fp},
                             {"fn", a.fn},
                             {"accuracy", number(a.accuracy)},
                             {"cohen_kappa", number(a.cohenKappa)},
                             {"coverage", number(a.coverage)},
                             {"false_failure_rate", number(a.falseFailureRate)},
                             {"alignment", number(a.alignment)},
                             {"disagreements", disagreements}});
        }
        for (const PairwiseJudgeAlignment &j : *pairwise) {
            nlohmann::json disagreements = nlohmann::json::array();
            for (const auto &[a, b] : j.disagreements)
                disagreements.push_back(sstr(a.key() + QLatin1Char('|') + b.key()));
            nlohmann::json confusion = nlohmann::json::object();
            const char *names[] = {"first", "second", "tie"};
            for (int h = 0; h < 3; ++h)
                for (int k = 0; k < 3; ++k)
                    confusion[names[h]][names[k]] = j.confusion[h][k];
            array.push_back({{"name", sstr(j.name)},
                             {"kind", "pairwise-judge"},
                             {"judge_version", j.judgeVersion},
                             {"tp", nullptr},
                             {"tn", nullptr},
                             {"fp", nullptr},
                             {"fn", nullptr},
                             {"accuracy", number(j.accuracy)},
                             {"cohen_kappa", number(j.cohenKappa)},
                             {"coverage", nullptr},
                             {"false_failure_rate", nullptr},
                             {"alignment", nullptr},
                             {"human", sstr(j.humanCriterion)},
                             {"pairs", j.pairs},
                             {"agreements", j.agreements},
                             {"inconsistent", j.inconsistent},
                             {"confusion", confusion},
                             {"disagreements", disagreements}});
        }
        outJson({{"eval", evalId}, {"criterion", sstr(criterion)}, {"checks", array}});
        return Ok;
    }

    QString text = QStringLiteral("Eval %1 against people on \"%2\" (positive = pass):\n\n")
                       .arg(evalId)
                       .arg(criterion);
    if (!checks.isEmpty()) {
        text += QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                    .arg(QStringLiteral("check"), -32)
                    .arg(QStringLiteral("kind"), -9)
                    .arg(QStringLiteral("tp/tn/fp/fn"), -13)
                    .arg(QStringLiteral("acc"), 5)
                    .arg(QStringLiteral("kappa"), 5)
                    .arg(QStringLiteral("cover"), 5)
                    .arg(QStringLiteral("f.fail"), 6)
                    .arg(QStringLiteral("align"), 5)
                    .arg(QStringLiteral("disagree"));
        for (const CheckAlignment &c : checks) {
            const agreement::Alignment &a = c.stats;
            text += QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                        .arg(c.name.left(32), -32)
                        .arg(c.kind, -9)
                        .arg(QStringLiteral("%1/%2/%3/%4").arg(a.tp).arg(a.tn).arg(a.fp).arg(a.fn),
                             -13)
                        .arg(fixed(a.accuracy), 5)
                        .arg(fixed(a.cohenKappa), 5)
                        .arg(fixed(a.coverage), 5)
                        .arg(fixed(a.falseFailureRate), 6)
                        .arg(fixed(a.alignment), 5)
                        .arg(c.disagreements.size());
        }
    } else {
        text += QStringLiteral("No generation has a binary human verdict on \"%1\".\n")
                    .arg(criterion);
    }
    if (!pairwise->isEmpty()) {
        text += QStringLiteral("\nPairwise judges against people's choices (ties included):\n");
        for (const PairwiseJudgeAlignment &j : *pairwise)
            text += QStringLiteral("  %1: agrees on %2 of %3 pairs (%4), kappa %5; %6 inconsistent "
                                   "across orders; compared with \"%7\"\n")
                        .arg(j.name)
                        .arg(j.agreements)
                        .arg(j.pairs)
                        .arg(j.accuracy ? QStringLiteral("%1%").arg(*j.accuracy * 100, 0, 'f', 1)
                                        : QStringLiteral("-"))
                        .arg(fixed(j.cohenKappa))
                        .arg(j.inconsistent)
                        .arg(j.humanCriterion);
    }
    out(text);
    return Ok;
}

} // namespace ts::cli
