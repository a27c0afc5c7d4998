#include "insights/drift.h"

#include "evals/jsonschema.h"
#include "logs/logrecord.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

namespace ts {

namespace {

constexpr qint64 dayMs = 86400000;

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

/// Everything measured once per record, shared by the overall, window and chunk comparisons.
struct Prepared
{
    int n = 0;
    std::vector<double> inputLength;
    std::vector<double> outputLength; ///< NaN without output
    Vocabulary inputVocabulary;
    Vocabulary outputVocabulary;
    TokenizedTexts inputTokens;
    TokenizedTexts outputTokens;
    std::vector<signed char> json; ///< -1 without output, else 0/1
    std::vector<signed char> schema; ///< -1 without output or schema, else 0/1
    DocVectors vectors;
};

void prepareInputs(Prepared &p, const QList<DriftRecord> &reference,
                   const QList<DriftRecord> &current)
{
    p.inputLength.reserve(size_t(p.n));
    for (const QList<DriftRecord> *side : {&reference, &current})
        for (const DriftRecord &r : *side) {
            p.inputLength.push_back(double(codePointLength(r.input)));
            p.inputVocabulary.tokenize(r.input, p.inputTokens.ids);
            p.inputTokens.endText();
        }
}

void prepareOutputs(Prepared &p, const QList<DriftRecord> &reference,
                    const QList<DriftRecord> &current)
{
    p.outputLength.reserve(size_t(p.n));
    p.json.reserve(size_t(p.n));
    p.schema.reserve(size_t(p.n));
    for (const QList<DriftRecord> *side : {&reference, &current})
        for (const DriftRecord &r : *side) {
            if (r.output) {
                p.outputLength.push_back(double(codePointLength(*r.output)));
                p.outputVocabulary.tokenize(*r.output, p.outputTokens.ids);
                const FormatCheck f = checkFormat(*r.output, r.schema.get());
                p.json.push_back(f.json ? 1 : 0);
                p.schema.push_back(f.schema ? (*f.schema ? 1 : 0) : -1);
            } else {
                p.outputLength.push_back(std::nan(""));
                p.json.push_back(-1);
                p.schema.push_back(-1);
            }
            p.outputTokens.endText();
        }
}

std::vector<double> wordCounts(const TokenizedTexts &t, int vocabularySize,
                               const std::vector<int> &rows)
{
    std::vector<double> counts(size_t(vocabularySize), 0.0);
    for (int r : rows)
        for (qint64 j = t.offsets[size_t(r)]; j < t.offsets[size_t(r) + 1]; ++j)
            counts[size_t(t.ids[size_t(j)])] += 1;
    return counts;
}

std::vector<double> valuesOf(const std::vector<double> &all, const std::vector<int> &rows)
{
    std::vector<double> out;
    out.reserve(rows.size());
    for (int r : rows)
        if (!std::isnan(all[size_t(r)]))
            out.push_back(all[size_t(r)]);
    return out;
}

std::optional<double> rateOf(const std::vector<signed char> &flags, const std::vector<int> &rows)
{
    int known = 0;
    int yes = 0;
    for (int r : rows)
        if (flags[size_t(r)] >= 0) {
            ++known;
            yes += flags[size_t(r)];
        }
    return known ? std::optional<double>(double(yes) / known) : std::nullopt;
}

std::optional<double> psiOf(const std::vector<double> &ref, const std::vector<double> &cur)
{
    const auto r = populationStability(ref, cur);
    return r ? std::optional<double>(r->psi) : std::nullopt;
}

DriftMetrics measure(const Prepared &p, const std::vector<int> &ref, const std::vector<int> &cur,
                     const DomainClassifierOptions *classifier)
{
    DriftMetrics m;
    m.inputLengthPsi = psiOf(valuesOf(p.inputLength, ref), valuesOf(p.inputLength, cur));
    m.outputLengthPsi = psiOf(valuesOf(p.outputLength, ref), valuesOf(p.outputLength, cur));
    m.inputVocabJsd = jensenShannon(wordCounts(p.inputTokens, p.inputVocabulary.size(), ref),
                                    wordCounts(p.inputTokens, p.inputVocabulary.size(), cur));
    m.outputVocabJsd = jensenShannon(wordCounts(p.outputTokens, p.outputVocabulary.size(), ref),
                                     wordCounts(p.outputTokens, p.outputVocabulary.size(), cur));
    m.outputJsonRateReference = rateOf(p.json, ref);
    m.outputJsonRateCurrent = rateOf(p.json, cur);
    m.outputSchemaRateReference = rateOf(p.schema, ref);
    m.outputSchemaRateCurrent = rateOf(p.schema, cur);
    if (p.vectors.cols() > 0) {
        m.centroidDistance = centroidDistance(p.vectors, ref, cur);
        if (classifier)
            if (const auto c = domainClassifier(p.vectors, ref, cur, *classifier)) {
                m.domainAuc = c->auc;
                m.domainAucThreshold = c->threshold;
            }
    }
    return m;
}

std::optional<double> drop(std::optional<double> reference, std::optional<double> current)
{
    if (!reference || !current)
        return std::nullopt;
    return *reference - *current;
}

/// The values a threshold applies to: PSI, JSD and distance as they are; rates as the drop.
std::vector<std::pair<QString, std::optional<double>>> thresholdedValues(const DriftMetrics &m)
{
    return {
        {QStringLiteral("input_length_psi"), m.inputLengthPsi},
        {QStringLiteral("output_length_psi"), m.outputLengthPsi},
        {QStringLiteral("input_vocab_jsd"), m.inputVocabJsd},
        {QStringLiteral("output_vocab_jsd"), m.outputVocabJsd},
        {QStringLiteral("output_json_rate_current"),
         drop(m.outputJsonRateReference, m.outputJsonRateCurrent)},
        {QStringLiteral("output_schema_rate_current"),
         drop(m.outputSchemaRateReference, m.outputSchemaRateCurrent)},
        {QStringLiteral("centroid_distance"), m.centroidDistance},
    };
}

QString fmt(double v)
{
    return QString::number(v, 'f', 3);
}

void addAlerts(QList<DriftAlert> &alerts, const DriftMetrics &m,
               const std::vector<std::pair<QString, double>> &thresholds, DriftThresholds mode,
               std::optional<qint64> window)
{
    const QString where = window
        ? QStringLiteral(" in the window from %1").arg(isoFromEpochMs(*window))
        : QString();
    for (const auto &[key, value] : thresholdedValues(m)) {
        if (!value)
            continue;
        const auto t = std::find_if(thresholds.begin(), thresholds.end(),
                                    [&](const auto &x) { return x.first == key; });
        if (t == thresholds.end())
            continue;
        const bool rate = key.startsWith(QLatin1String("output_json"))
            || key.startsWith(QLatin1String("output_schema"));
        const bool psi = key.endsWith(QLatin1String("_psi"));
        // The fixed PSI band "major" starts at 0.25 inclusive; every other limit is exceeded.
        const bool inclusive = psi && mode == DriftThresholds::Fixed;
        const bool fires = inclusive ? *value >= t->second : *value > t->second;
        if (!fires)
            continue;
        DriftAlert a;
        a.metric = key;
        a.windowStartMs = window;
        a.threshold = t->second;
        if (rate) {
            const bool schema = key.startsWith(QLatin1String("output_schema"));
            const double ref = schema ? *m.outputSchemaRateReference : *m.outputJsonRateReference;
            a.value = schema ? *m.outputSchemaRateCurrent : *m.outputJsonRateCurrent;
            a.message = QStringLiteral("%1 of outputs %2 against %3 in the reference%4 (a drop "
                                       "of %5, limit %6)")
                            .arg(QString::number(100 * a.value, 'f', 1) + QLatin1Char('%'),
                                 schema ? QStringLiteral("match the response schema")
                                        : QStringLiteral("are JSON"),
                                 QString::number(100 * ref, 'f', 1) + QLatin1Char('%'), where,
                                 fmt(*value), fmt(t->second));
        } else {
            a.value = *value;
            a.message = QStringLiteral("%1 is %2%3, over the limit %4%5")
                            .arg(key, fmt(*value),
                                 psi ? QStringLiteral(" (%1)").arg(psiBandName(psiBand(*value)))
                                     : QString(),
                                 fmt(t->second), where);
        }
        alerts.append(a);
    }
    if (m.domainAuc && m.domainAucThreshold && *m.domainAuc > *m.domainAucThreshold)
        alerts.append({QStringLiteral("domain_auc"), window, *m.domainAuc, *m.domainAucThreshold,
                       QStringLiteral("a classifier tells current from reference texts with AUC "
                                      "%1, above %2 (95th percentile with shuffled labels)%3")
                           .arg(fmt(*m.domainAuc), fmt(*m.domainAucThreshold), where)});
}

std::vector<std::pair<QString, double>> fixedThresholds(const DriftOptions &o)
{
    return {
        {QStringLiteral("input_length_psi"), 0.25},
        {QStringLiteral("output_length_psi"), 0.25},
        {QStringLiteral("output_json_rate_current"), o.formatDrop},
        {QStringLiteral("output_schema_rate_current"), o.formatDrop},
    };
}

/// Mean + 3 sd of each metric over 10 contiguous reference chunks, each compared with the
/// other nine.
std::vector<std::pair<QString, double>> learnedThresholds(const Prepared &p,
                                                          const std::vector<int> &reference)
{
    const int chunks = 10;
    std::map<QString, std::vector<double>> values;
    QStringList order;
    for (int c = 0; c < chunks; ++c) {
        const size_t from = reference.size() * size_t(c) / chunks;
        const size_t to = reference.size() * size_t(c + 1) / chunks;
        std::vector<int> chunk(reference.begin() + qsizetype(from),
                               reference.begin() + qsizetype(to));
        std::vector<int> rest(reference.begin(), reference.begin() + qsizetype(from));
        rest.insert(rest.end(), reference.begin() + qsizetype(to), reference.end());
        for (const auto &[key, value] : thresholdedValues(measure(p, rest, chunk, nullptr)))
            if (value) {
                if (!values.count(key))
                    order.append(key);
                values[key].push_back(*value);
            }
    }
    std::vector<std::pair<QString, double>> out;
    for (const QString &key : order) {
        const std::vector<double> &v = values[key];
        if (v.size() < 2)
            continue;
        double mean = 0;
        for (double x : v)
            mean += x;
        mean /= double(v.size());
        double ss = 0;
        for (double x : v)
            ss += (x - mean) * (x - mean);
        out.emplace_back(key, mean + 3 * std::sqrt(ss / double(v.size() - 1)));
    }
    return out;
}

qint64 windowStart(qint64 ms, DriftWindow w)
{
    const qint64 day = floorDiv(ms, dayMs);
    if (w == DriftWindow::Day)
        return day * dayMs;
    // ISO weeks start on Monday; 1970-01-01 was a Thursday.
    return (day - ((day % 7 + 7 + 3) % 7)) * dayMs;
}

} // namespace

std::vector<std::pair<QString, std::optional<double>>> metricEntries(const DriftMetrics &m)
{
    return {
        {QStringLiteral("input_length_psi"), m.inputLengthPsi},
        {QStringLiteral("output_length_psi"), m.outputLengthPsi},
        {QStringLiteral("input_vocab_jsd"), m.inputVocabJsd},
        {QStringLiteral("output_vocab_jsd"), m.outputVocabJsd},
        {QStringLiteral("output_json_rate_reference"), m.outputJsonRateReference},
        {QStringLiteral("output_json_rate_current"), m.outputJsonRateCurrent},
        {QStringLiteral("output_schema_rate_reference"), m.outputSchemaRateReference},
        {QStringLiteral("output_schema_rate_current"), m.outputSchemaRateCurrent},
        {QStringLiteral("centroid_distance"), m.centroidDistance},
        {QStringLiteral("domain_auc"), m.domainAuc},
        {QStringLiteral("domain_auc_threshold"), m.domainAucThreshold},
    };
}

Result<DriftReport> computeDrift(const QList<DriftRecord> &reference,
                                 const QList<DriftRecord> &current, const DriftOptions &o,
                                 const ExternalVectors *external)
{
    if (reference.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The reference has no records."));
    if (current.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The current side has no records."));
    Prepared p;
    p.n = int(reference.size() + current.size());
    if (external && external->vectors.rows() != p.n)
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("%1 vectors for %2 records").arg(external->vectors.rows()).arg(p.n));
    // Outputs (lengths, words, JSON parsing) on a second thread while this one tokenizes the
    // inputs and builds their vectors; they share nothing but the records, which are const.
    std::thread outputs([&] { prepareOutputs(p, reference, current); });
    prepareInputs(p, reference, current);
    const int nr = int(reference.size());
    std::vector<int> ref(static_cast<size_t>(nr));
    std::vector<int> cur(size_t(current.size()));
    for (int i = 0; i < nr; ++i)
        ref[size_t(i)] = i;
    for (size_t i = 0; i < cur.size(); ++i)
        cur[i] = nr + int(i);
    auto recordOf = [&](int row) -> const DriftRecord & {
        return row < nr ? reference[row] : current[row - nr];
    };

    DriftReport report;
    report.referenceN = nr;
    report.currentN = int(current.size());
    if (external) {
        p.vectors = external->vectors;
        normalizeRows(p.vectors);
        report.representation = external->representation;
    } else {
        std::vector<int> fit;
        for (int i : seededSample(nr, o.fitPerSide, o.tfidf.seed))
            fit.push_back(i);
        for (int i : seededSample(int(cur.size()), o.fitPerSide, o.tfidf.seed + 1))
            fit.push_back(nr + i);
        p.vectors = tfidfSvdVectors(p.inputTokens, p.inputVocabulary.size(), fit, o.tfidf);
        report.representation = QStringLiteral("tfidf-svd-%1").arg(p.vectors.cols());
    }

    outputs.join();
    report.metrics = measure(p, ref, cur, &o.classifier);
    report.typicalWords = typicalWords(wordCounts(p.inputTokens, p.inputVocabulary.size(), ref),
                                       wordCounts(p.inputTokens, p.inputVocabulary.size(), cur),
                                       p.inputVocabulary, o.typicalWords);

    // New topics.
    if (p.vectors.cols() > 0) {
        const TopicClustering topics = clusterTopics(p.vectors, ref, cur, o.clustering);
        const std::vector<double> allCounts
            = wordCounts(p.inputTokens, p.inputVocabulary.size(), [&] {
                  std::vector<int> all(size_t(p.n));
                  for (int i = 0; i < p.n; ++i)
                      all[size_t(i)] = i;
                  return all;
              }());
        for (int k = 0; k < topics.k; ++k) {
            DriftCluster c;
            c.id = k;
            std::vector<int> members;
            std::vector<std::pair<float, int>> nearest;
            for (int row = 0; row < p.n; ++row) {
                if (topics.labels[size_t(row)] != k)
                    continue;
                members.push_back(row);
                if (row < nr) {
                    ++c.reference;
                } else {
                    ++c.current;
                    nearest.emplace_back(-p.vectors.row(row).dot(topics.centroids.row(k)), row);
                }
            }
            c.driftRatio = clusterDriftRatio(c.reference, nr, c.current, int(cur.size()));
            c.newTopic = c.driftRatio >= 0.8 && c.current >= 10;
            std::vector<double> inside
                = wordCounts(p.inputTokens, p.inputVocabulary.size(), members);
            std::vector<double> outside(allCounts.size());
            for (size_t w = 0; w < outside.size(); ++w)
                outside[w] = allCounts[w] - inside[w];
            for (const TypicalWord &w :
                 typicalWords(outside, inside, p.inputVocabulary, o.clusterWords).current)
                c.words.append(w.word);
            std::sort(nearest.begin(), nearest.end());
            for (size_t i = 0; i < nearest.size() && int(i) < o.clusterExamples; ++i)
                c.examples.append(recordOf(nearest[i].second).id);
            report.clusters.append(c);
        }
        std::vector<int> mapRows;
        for (int i : seededSample(nr, o.mapPointsPerSide, 11))
            mapRows.push_back(i);
        for (int i : seededSample(int(cur.size()), o.mapPointsPerSide, 12))
            mapRows.push_back(nr + i);
        const Eigen::MatrixX2f xy = pcaMap(p.vectors, mapRows);
        for (size_t i = 0; i < mapRows.size(); ++i) {
            const int row = mapRows[i];
            report.map.append({row >= nr, topics.labels.empty() ? -1 : topics.labels[size_t(row)],
                               recordOf(row).id, xy(Eigen::Index(i), 0), xy(Eigen::Index(i), 1)});
        }
    }

    // Windows of the current side by start time (records without one are left out).
    if (o.window != DriftWindow::None) {
        std::map<qint64, std::vector<int>> byWindow;
        for (int row : cur)
            if (const auto t = recordOf(row).timeMs)
                byWindow[windowStart(*t, o.window)].push_back(row);
        for (const auto &[start, rows] : byWindow) {
            DriftWindowResult w;
            w.startMs = start;
            w.endMs = start + (o.window == DriftWindow::Day ? dayMs : 7 * dayMs);
            w.n = int(rows.size());
            w.metrics = measure(p, ref, rows, &o.windowClassifier);
            report.windows.append(w);
        }
    }

    // Thresholds and alerts.
    report.thresholdMode = o.thresholds;
    if (o.thresholds == DriftThresholds::Learned) {
        if (nr >= 100) {
            report.thresholds = learnedThresholds(p, ref);
        } else {
            report.thresholdMode = DriftThresholds::Fixed;
            report.thresholdNote = QStringLiteral(
                "Learned thresholds need at least 100 reference records (10 chunks of 10); "
                "the fixed bands are used.");
        }
    }
    if (report.thresholdMode == DriftThresholds::Fixed)
        report.thresholds = fixedThresholds(o);
    addAlerts(report.alerts, report.metrics, report.thresholds, report.thresholdMode, std::nullopt);
    for (const DriftCluster &c : report.clusters)
        if (c.newTopic)
            report.alerts.append(
                {QStringLiteral("new_topic"), std::nullopt, c.driftRatio, 0.8,
                 QStringLiteral("cluster %1 is a new topic: %2 current and %3 reference "
                                "records (drift ratio %4)%5")
                     .arg(c.id)
                     .arg(c.current)
                     .arg(c.reference)
                     .arg(fmt(c.driftRatio),
                          c.words.isEmpty()
                              ? QString()
                              : QStringLiteral("; words: ") + c.words.join(QStringLiteral(", ")))});
    for (const DriftWindowResult &w : report.windows)
        addAlerts(report.alerts, w.metrics, report.thresholds, report.thresholdMode, w.startMs);
    return report;
}

nlohmann::json driftReportJson(const DriftReport &r)
{
    auto metricsJson = [](const DriftMetrics &m) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto &[key, value] : metricEntries(m))
            j[key.toStdString()] = value ? nlohmann::json(*value) : nlohmann::json();
        return j;
    };
    auto wordsJson = [](const QList<TypicalWord> &words) {
        nlohmann::json j = nlohmann::json::array();
        for (const TypicalWord &w : words)
            j.push_back({{"word", w.word.toStdString()},
                         {"z", w.z},
                         {"reference_count", w.referenceCount},
                         {"current_count", w.currentCount}});
        return j;
    };
    nlohmann::json j;
    j["reference"] = {{"n", r.referenceN}};
    j["current"] = {{"n", r.currentN}};
    j["representation"] = r.representation.toStdString();
    j["metrics"] = metricsJson(r.metrics);
    j["windows"] = nlohmann::json::array();
    for (const DriftWindowResult &w : r.windows) {
        nlohmann::json o = metricsJson(w.metrics);
        o["start"] = isoFromEpochMs(w.startMs).toStdString();
        o["end"] = isoFromEpochMs(w.endMs).toStdString();
        o["n"] = w.n;
        j["windows"].push_back(o);
    }
    j["typical_words"] = {{"reference", wordsJson(r.typicalWords.reference)},
                          {"current", wordsJson(r.typicalWords.current)}};
    j["clusters"] = nlohmann::json::array();
    for (const DriftCluster &c : r.clusters) {
        nlohmann::json words = nlohmann::json::array();
        for (const QString &w : c.words)
            words.push_back(w.toStdString());
        j["clusters"].push_back({{"id", c.id},
                                 {"reference", c.reference},
                                 {"current", c.current},
                                 {"drift_ratio", c.driftRatio},
                                 {"new_topic", c.newTopic},
                                 {"words", words},
                                 {"examples", c.examples}});
    }
    j["alerts"] = nlohmann::json::array();
    for (const DriftAlert &a : r.alerts)
        j["alerts"].push_back(
            {{"metric", a.metric.toStdString()},
             {"window",
              a.windowStartMs ? nlohmann::json(isoFromEpochMs(*a.windowStartMs).toStdString())
                              : nlohmann::json()},
             {"value", a.value},
             {"threshold", a.threshold},
             {"message", a.message.toStdString()}});
    j["thresholds"] = {{"mode", r.thresholdMode == DriftThresholds::Learned ? "learned" : "fixed"}};
    for (const auto &[key, value] : r.thresholds)
        j["thresholds"][key.toStdString()] = value;
    if (!r.thresholdNote.isEmpty())
        j["thresholds"]["note"] = r.thresholdNote.toStdString();
    return j;
}

} // namespace ts
