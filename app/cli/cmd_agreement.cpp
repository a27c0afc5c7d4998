#include "cli.h"

#include "annotation/agreementreport.h"
#include "common/json.h"
#include "storage/project.h"

namespace ts::cli {

namespace {

nlohmann::json number(const std::optional<double> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

QString percent(const std::optional<double> &v)
{
    return v ? QStringLiteral("%1%").arg(*v * 100, 0, 'f', 1) : QStringLiteral("-");
}

/// "0.62 (substantial)", the Landis–Koch wording beside a kappa.
QString kappa(const std::optional<double> &v)
{
    return v ? QStringLiteral("%1 (%2)").arg(*v, 0, 'f', 2).arg(agreement::landisKoch(*v))
             : QStringLiteral("-");
}

} // namespace

int runAgreement(const QStringList &args)
{
    const QString help = QStringLiteral("agreement");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "How much annotators agree, per criterion: percent agreement, Cohen's kappa (exactly two "
        "annotators), Fleiss' kappa (every item with the same number of labels), Krippendorff's "
        "alpha (nominal, missing labels allowed) with a 95% bootstrap interval over items "
        "(1,000 resamples, seeded). Skips are not values; pairwise choices count as first / "
        "second / tie in terms of the true outputs, never the screen sides."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("criterion"),
         QStringLiteral("Only this criterion (\"overall preference\" for "
                        "pairwise choices without one)."),
         QStringLiteral("NAME")},
        {QStringLiteral("queue"), QStringLiteral("Only labels given in this queue."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    AgreementScope scope;
    if (p.isSet(QStringLiteral("criterion")))
        scope.criterion = p.value(QStringLiteral("criterion"));
    if (p.isSet(QStringLiteral("queue")))
        scope.queue = p.value(QStringLiteral("queue"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto report_ = measureAgreement(project->db(), scope);
    if (!report_)
        return report(report_.error());

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json criteria = nlohmann::json::array();
        for (const AgreementOnCriterion &c : std::as_const(*report_)) {
            const agreement::Agreement &a = c.stats;
            criteria.push_back(
                {{"name", sstr(c.name)},
                 {"kind", c.pairwise ? "pairwise" : "binary"},
                 {"items", a.items},
                 {"annotators", a.annotators},
                 {"labels", a.labels},
                 {"percent_agreement", number(a.percentAgreement)},
                 {"cohen_kappa", number(a.cohenKappa)},
                 {"fleiss_kappa", number(a.fleissKappa)},
                 {"krippendorff_alpha", number(a.krippendorffAlpha)},
                 {"alpha_ci",
                  a.alphaCi ? nlohmann::json::array({a.alphaCi->low, a.alphaCi->high})
                            : nlohmann::json()}});
        }
        outJson({{"criteria", criteria}});
        return Ok;
    }
    if (report_->isEmpty()) {
        out(QStringLiteral("No labels yet.\n"));
        return Ok;
    }
    auto disagreements = findDisagreements(project->db(), scope);
    if (!disagreements)
        return report(disagreements.error());
    QString text;
    for (const AgreementOnCriterion &c : std::as_const(*report_)) {
        const agreement::Agreement &a = c.stats;
        int open = 0;
        int settled = 0;
        for (const LabelDisagreement &d : std::as_const(*disagreements))
            if (d.criterion == c.name)
                (d.adjudicated ? settled : open) += 1;
        text += QStringLiteral("%1 (%2): %3 labels by %4 on %5 items labeled twice or more\n")
                    .arg(c.name, c.pairwise ? QStringLiteral("pairwise") : QStringLiteral("binary"))
                    .arg(a.labels)
                    .arg(a.annotators)
                    .arg(a.items);
        text += QStringLiteral("  Percent agreement    %1\n").arg(percent(a.percentAgreement));
        text += QStringLiteral("  Cohen's kappa        %1\n").arg(kappa(a.cohenKappa));
        text += QStringLiteral("  Fleiss' kappa        %1\n").arg(kappa(a.fleissKappa));
        text += QStringLiteral("  Krippendorff's alpha %1%2\n")
                    .arg(a.krippendorffAlpha ? QString::number(*a.krippendorffAlpha, 'f', 2)
                                             : QStringLiteral("-"),
                         a.alphaCi ? QStringLiteral(" [%1, %2]")
                                         .arg(a.alphaCi->low, 0, 'f', 2)
                                         .arg(a.alphaCi->high, 0, 'f', 2)
                                   : QString());
        if (open + settled > 0)
            text += QStringLiteral("  %1 with disagreement, %2 adjudicated\n")
                        .arg(open + settled == 1 ? QStringLiteral("1 item")
                                                 : QStringLiteral("%1 items").arg(open + settled))
                        .arg(settled);
    }
    out(text);
    return Ok;
}

} // namespace ts::cli
