#include "cli.h"

#include "insights/drift.h"
#include "insights/driftsource.h"
#include "insights/embeddingcache.h"
#include "logs/logrecord.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "storage/project.h"

namespace ts::cli {

namespace {

QString number(std::optional<double> v, int decimals = 3)
{
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("-");
}

QString percent(std::optional<double> v)
{
    return v ? QString::number(100 * *v, 'f', 1) + QLatin1Char('%') : QStringLiteral("-");
}

bool alerted(const DriftReport &r, const QString &metric, std::optional<qint64> window)
{
    return std::any_of(r.alerts.begin(), r.alerts.end(), [&](const DriftAlert &a) {
        return a.metric == metric && a.windowStartMs == window;
    });
}

std::optional<double> limitOf(const DriftReport &r, const QString &metric)
{
    for (const auto &[key, value] : r.thresholds)
        if (key == metric)
            return value;
    return std::nullopt;
}

QString humanReport(const DriftReport &r, const QString &referenceText, const QString &currentText)
{
    QString t = QStringLiteral("Reference: %1 (%2 records)\nCurrent:   %3 (%4 records)\n")
                    .arg(referenceText)
                    .arg(r.referenceN)
                    .arg(currentText)
                    .arg(r.currentN);
    t += QStringLiteral("Representation: %1; thresholds: %2\n")
             .arg(r.representation,
                  r.thresholdMode == DriftThresholds::Learned
                      ? QStringLiteral("learned (reference chunks' mean + 3 sd)")
                      : QStringLiteral("fixed bands"));
    if (!r.thresholdNote.isEmpty())
        t += r.thresholdNote + QLatin1Char('\n');
    t += QLatin1Char('\n');
    t += QStringLiteral("%1  %2  %3\n")
             .arg(QStringLiteral("Metric"), -24)
             .arg(QStringLiteral("Value"), -16)
             .arg(QStringLiteral("Band / limit"));
    auto row = [&](const QString &label, const QString &key, const QString &value,
                   const QString &band) {
        QString limit = band;
        if (const auto l = limitOf(r, key)) {
            const bool rate = key.startsWith(QLatin1String("output_json"))
                || key.startsWith(QLatin1String("output_schema"));
            const QString text = rate
                ? QStringLiteral("drop <= %1 points").arg(QString::number(100 * *l, 'f', 1))
                : QStringLiteral("limit %1").arg(QString::number(*l, 'f', 3));
            limit = limit.isEmpty() ? text : limit + QStringLiteral(" (") + text + QLatin1Char(')');
        }
        t += QStringLiteral("%1  %2  %3%4\n")
                 .arg(label, -24)
                 .arg(value, -16)
                 .arg(limit, -36)
                 .arg(alerted(r, key, std::nullopt) ? QStringLiteral("ALERT") : QString());
    };
    const DriftMetrics &m = r.metrics;
    auto band = [](std::optional<double> psi) {
        return psi ? psiBandName(psiBand(*psi)) : QString();
    };
    row(QStringLiteral("Input length PSI"), QStringLiteral("input_length_psi"),
        number(m.inputLengthPsi), band(m.inputLengthPsi));
    row(QStringLiteral("Output length PSI"), QStringLiteral("output_length_psi"),
        number(m.outputLengthPsi), band(m.outputLengthPsi));
    row(QStringLiteral("Input vocabulary JSD"), QStringLiteral("input_vocab_jsd"),
        number(m.inputVocabJsd), QString());
    row(QStringLiteral("Output vocabulary JSD"), QStringLiteral("output_vocab_jsd"),
        number(m.outputVocabJsd), QString());
    row(QStringLiteral("JSON outputs"), QStringLiteral("output_json_rate_current"),
        percent(m.outputJsonRateReference) + QStringLiteral(" -> ")
            + percent(m.outputJsonRateCurrent),
        QString());
    if (m.outputSchemaRateReference || m.outputSchemaRateCurrent)
        row(QStringLiteral("Schema matches"), QStringLiteral("output_schema_rate_current"),
            percent(m.outputSchemaRateReference) + QStringLiteral(" -> ")
                + percent(m.outputSchemaRateCurrent),
            QString());
    row(QStringLiteral("Centroid distance"), QStringLiteral("centroid_distance"),
        number(m.centroidDistance, 4), QString());
    row(QStringLiteral("Domain classifier AUC"), QStringLiteral("domain_auc"), number(m.domainAuc),
        m.domainAucThreshold ? QStringLiteral("drift above %1 (shuffled labels, 95th pct)")
                                   .arg(number(m.domainAucThreshold))
                             : QString());

    auto wordList = [](const QList<TypicalWord> &words) {
        QStringList out;
        for (const TypicalWord &w : words)
            out.append(QStringLiteral("%1 (z %2)").arg(w.word, QString::number(w.z, 'f', 1)));
        return out.isEmpty() ? QStringLiteral("-") : out.join(QStringLiteral(", "));
    };
    t += QStringLiteral(
             "\nWords typical of the reference: %1\nWords typical of current:       %2\n")
             .arg(wordList(r.typicalWords.reference), wordList(r.typicalWords.current));

    if (!r.clusters.isEmpty()) {
        t += QStringLiteral("\nTopics (%1 clusters of both sides):\n").arg(r.clusters.size());
        for (const DriftCluster &c : r.clusters) {
            QStringList examples;
            for (qint64 id : c.examples)
                examples.append(QString::number(id));
            t += QStringLiteral("  #%1  reference %2  current %3  ratio %4%5  %6%7\n")
                     .arg(c.id, 2)
                     .arg(c.reference, 6)
                     .arg(c.current, 6)
                     .arg(QString::number(c.driftRatio, 'f', 2), 5)
                     .arg(c.newTopic ? QStringLiteral("  NEW TOPIC") : QString())
                     .arg(c.words.join(QStringLiteral(", ")))
                     .arg(c.newTopic && !examples.isEmpty() ? QStringLiteral("  (e.g. log ")
                                  + examples.join(QStringLiteral(", ")) + QLatin1Char(')')
                                                            : QString());
        }
    }

    if (!r.windows.isEmpty()) {
        t += QStringLiteral("\n%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                 .arg(QStringLiteral("Window start"), -24)
                 .arg(QStringLiteral("n"), 7)
                 .arg(QStringLiteral("in PSI"), 7)
                 .arg(QStringLiteral("out PSI"), 7)
                 .arg(QStringLiteral("in JSD"), 7)
                 .arg(QStringLiteral("out JSD"), 7)
                 .arg(QStringLiteral("JSON"), 6)
                 .arg(QStringLiteral("centroid"), 8)
                 .arg(QStringLiteral("AUC"));
        for (const DriftWindowResult &w : r.windows) {
            const bool any
                = std::any_of(r.alerts.begin(), r.alerts.end(),
                              [&](const DriftAlert &a) { return a.windowStartMs == w.startMs; });
            t += QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9%10\n")
                     .arg(isoFromEpochMs(w.startMs), -24)
                     .arg(w.n, 7)
                     .arg(number(w.metrics.inputLengthPsi), 7)
                     .arg(number(w.metrics.outputLengthPsi), 7)
                     .arg(number(w.metrics.inputVocabJsd), 7)
                     .arg(number(w.metrics.outputVocabJsd), 7)
                     .arg(percent(w.metrics.outputJsonRateCurrent), 6)
                     .arg(number(w.metrics.centroidDistance, 4), 8)
                     .arg(number(w.metrics.domainAuc))
                     .arg(any ? QStringLiteral("  ALERT") : QString());
        }
    }

    t += QLatin1Char('\n');
    if (r.alerts.isEmpty()) {
        t += QStringLiteral("No alerts.\n");
    } else {
        t += QStringLiteral("%1 alert%2:\n")
                 .arg(r.alerts.size())
                 .arg(r.alerts.size() == 1 ? QString() : QStringLiteral("s"));
        for (const DriftAlert &a : r.alerts)
            t += QStringLiteral("  - ") + a.message + QLatin1Char('\n');
    }
    return t;
}

} // namespace

int runDrift(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Compare what was tested (a dataset rendered with a prompt version, or a time range of "
        "logs) with what users send now (a time range of logs): length PSI, vocabulary shift "
        "with the words that changed, JSON and schema conformance, centroid distance, a domain "
        "classifier and new topics. Exit 1 when an alert fires (see DRIFT_JSON.md)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("reference"),
         QStringLiteral("dataset:NAME@PROMPT[@VERSION|@LABEL] or logs:FROM..TO (ISO dates or "
                        "times, either may be empty; a date alone as TO includes that day)."),
         QStringLiteral("SPEC")},
        {QStringLiteral("current"), QStringLiteral("logs:FROM..TO"), QStringLiteral("SPEC")},
        {QStringLiteral("window"), QStringLiteral("Also compare each day or week of current."),
         QStringLiteral("day|week")},
        {QStringLiteral("embed-model"),
         QStringLiteral("Configured embedding model for the semantic metrics (vectors cached in "
                        "the project); default: the built-in TF-IDF representation."),
         QStringLiteral("NAME")},
        {QStringLiteral("thresholds"),
         QStringLiteral(
             "fixed (PSI bands, default) or learned (10 reference chunks: mean + 3 sd)."),
         QStringLiteral("fixed|learned"), QStringLiteral("fixed")},
    });
    addJsonOption(p);
    const QString help = QStringLiteral("drift");
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("reference")) || !p.isSet(QStringLiteral("current")))
        return usageError(QStringLiteral("--reference and --current are required"), help);
    DriftOptions options;
    if (p.isSet(QStringLiteral("window"))) {
        const QString w = p.value(QStringLiteral("window"));
        if (w == QLatin1String("day"))
            options.window = DriftWindow::Day;
        else if (w == QLatin1String("week"))
            options.window = DriftWindow::Week;
        else
            return usageError(QStringLiteral("--window must be day or week"), help);
    }
    const QString thresholds = p.value(QStringLiteral("thresholds"));
    if (thresholds == QLatin1String("learned"))
        options.thresholds = DriftThresholds::Learned;
    else if (thresholds != QLatin1String("fixed"))
        return usageError(QStringLiteral("--thresholds must be fixed or learned"), help);
    auto referenceSpec = parseDriftSource(p.value(QStringLiteral("reference")));
    if (!referenceSpec)
        return usageError(QStringLiteral("--reference: ") + referenceSpec.error().message, help);
    auto currentSpec = parseDriftSource(p.value(QStringLiteral("current")));
    if (!currentSpec)
        return usageError(QStringLiteral("--current: ") + currentSpec.error().message, help);
    if (currentSpec->kind != DriftSourceSpec::Kind::Logs)
        return usageError(QStringLiteral("--current must be logs:FROM..TO"), help);

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto reference = loadDriftSource(project->db(), *referenceSpec);
    if (!reference)
        return report(reference.error());
    auto current = loadDriftSource(project->db(), *currentSpec, reference->schema);
    if (!current)
        return report(current.error());
    if (reference->records.isEmpty())
        return report(
            {ErrorCode::NotFound,
             QStringLiteral("The reference (%1) has no records.").arg(reference->description)});
    if (current->records.isEmpty())
        return report(
            {ErrorCode::NotFound, QStringLiteral("No log records in %1.").arg(currentSpec->text)});

    std::optional<ExternalVectors> external;
    if (p.isSet(QStringLiteral("embed-model"))) {
        auto model = ModelStore(project->db()).find(p.value(QStringLiteral("embed-model")));
        if (!model)
            return report(model.error());
        QStringList texts;
        for (const DriftRecord &r : reference->records)
            texts.append(r.input);
        for (const DriftRecord &r : current->records)
            texts.append(r.input);
        NetworkClient network;
        const QString key = embeddingModelKey(*model);
        auto embedded = embedTexts(project->db(), key, texts, networkEmbedder(*model, &network));
        if (!embedded)
            return report(embedded.error());
        if (!p.isSet(QStringLiteral("json")))
            err(QStringLiteral("Embedded %1 texts with %2 (%3 from the project's cache).\n")
                    .arg(embedded->embedded + embedded->fromCache)
                    .arg(key)
                    .arg(embedded->fromCache));
        external
            = ExternalVectors {QStringLiteral("embedding:") + key, std::move(embedded->vectors)};
    }

    auto drift = computeDrift(reference->records, current->records, options,
                              external ? &*external : nullptr);
    if (!drift)
        return report(drift.error());
    if (p.isSet(QStringLiteral("json")))
        outJson(driftReportJson(*drift));
    else
        out(humanReport(*drift, reference->description, current->description));
    return drift->alerts.isEmpty() ? Ok : Failure;
}

} // namespace ts::cli
