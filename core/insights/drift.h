#pragma once

// Drift and dev-prod skew between a reference (what was tested) and current records (what
// users send): every metric of issue 10, overall and per window, with thresholds and alerts.

#include "common/error.h"
#include "insights/domainclassifier.h"
#include "insights/textmetrics.h"
#include "insights/textvectors.h"
#include "insights/topicclusters.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

namespace ts {

class JsonSchemaValidator;

/// One text pair compared for drift: a log record, or a test case rendered with a prompt.
struct DriftRecord
{
    qint64 id = 0; ///< log id, or test case id for a dataset reference
    std::optional<qint64> timeMs; ///< start time (epoch ms, UTC); windows need it
    QString input; ///< input messages' contents joined with "\n", exactly as logged
    std::optional<QString> output; ///< nullopt when there is none
    /// The response schema the output should match (the prompt version's), if any.
    std::shared_ptr<const JsonSchemaValidator> schema;
};

enum class DriftWindow { None, Day, Week };
enum class DriftThresholds { Fixed, Learned };

struct DriftOptions
{
    DriftWindow window = DriftWindow::None;
    DriftThresholds thresholds = DriftThresholds::Fixed;
    int typicalWords = 10;
    int clusterWords = 8;
    int clusterExamples = 5;
    int mapPointsPerSide = 1000;
    int fitPerSide = 10000; ///< rows of each side the built-in representation's SVD is fitted on
    /// A drop of the JSON (or schema) rate by more than this alerts with fixed thresholds.
    double formatDrop = 0.05;
    TfidfOptions tfidf;
    DomainClassifierOptions classifier;
    DomainClassifierOptions windowClassifier {5, 20, 500, 1.0, 200, 5};
    ClusteringOptions clustering;
};

/// Vectors from an embedding model: one row per record, reference rows first.
struct ExternalVectors
{
    QString representation; ///< e.g. "embedding:text-embedding-3-small"
    DocVectors vectors;
};

/// The metrics of one comparison; nullopt where a side has nothing to measure.
struct DriftMetrics
{
    std::optional<double> inputLengthPsi;
    std::optional<double> outputLengthPsi;
    std::optional<double> inputVocabJsd;
    std::optional<double> outputVocabJsd;
    std::optional<double> outputJsonRateReference;
    std::optional<double> outputJsonRateCurrent;
    std::optional<double> outputSchemaRateReference;
    std::optional<double> outputSchemaRateCurrent;
    std::optional<double> centroidDistance;
    std::optional<double> domainAuc;
    std::optional<double> domainAucThreshold;
};

struct DriftWindowResult
{
    qint64 startMs = 0;
    qint64 endMs = 0; ///< exclusive
    int n = 0;
    DriftMetrics metrics;
};

struct DriftCluster
{
    int id = 0;
    int reference = 0; ///< records of each side in the cluster
    int current = 0;
    double driftRatio = 0;
    bool newTopic = false; ///< ratio >= 0.8 and at least 10 current records
    QStringList words; ///< most typical of the cluster against all others (log-odds)
    QList<qint64> examples; ///< current record ids nearest the centroid
};

struct DriftMapPoint
{
    bool current = false;
    int cluster = -1;
    qint64 recordId = 0;
    float x = 0;
    float y = 0;
};

struct DriftAlert
{
    QString metric; ///< a metrics key ("input_length_psi", ...) or "new_topic"
    std::optional<qint64> windowStartMs; ///< nullopt: overall
    double value = 0;
    double threshold = 0;
    QString message;
};

struct DriftReport
{
    int referenceN = 0;
    int currentN = 0;
    QString representation;
    DriftThresholds thresholdMode = DriftThresholds::Fixed;
    /// Why learned thresholds fell back to fixed ones, if they did.
    QString thresholdNote;
    /// The limit each metric is held to (metrics key -> value); for JSON and schema rates
    /// the largest allowed drop below the reference's rate.
    std::vector<std::pair<QString, double>> thresholds;
    DriftMetrics metrics;
    QList<DriftWindowResult> windows;
    TypicalWords typicalWords; ///< of the inputs
    QList<DriftCluster> clusters;
    QList<DriftMapPoint> map;
    QList<DriftAlert> alerts;
};

/// Compares `reference` with `current`. Without `external` vectors the built-in TF-IDF
/// representation is fitted on both sides together. Fails only on unusable input (an empty
/// side, vectors whose row count does not match).
Result<DriftReport> computeDrift(const QList<DriftRecord> &reference,
                                 const QList<DriftRecord> &current,
                                 const DriftOptions &options = {},
                                 const ExternalVectors *external = nullptr);

/// The JSON printed by `touchstone-cli drift --json` (app/cli/DRIFT_JSON.md).
nlohmann::json driftReportJson(const DriftReport &report);

/// Metric keys in display order with their values.
std::vector<std::pair<QString, std::optional<double>>> metricEntries(const DriftMetrics &metrics);

} // namespace ts
