#pragma once

#include "annotate/agreementquery.h"
#include "annotation/queuebuilder.h"
#include "annotation/queuestore.h"
#include "common/error.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "logs/logfilter.h"

#include <QObject>
#include <QStringList>

#include <functional>

namespace ts {

class Database;
class ProjectSession;
class QueueListModel;
struct LabelingItem;

/// What the New Queue dialog offers.
struct QueueChoices
{
    QList<CriterionVersion> criteria;
    struct Eval
    {
        qint64 id = 0;
        QString name;
        QStringList variants; ///< "name@3 · model", in variant order
    };
    QList<Eval> evals; ///< newest first
    QStringList logModels;
    QStringList logPrompts;
    qint64 logCount = 0;
    qint64 playgroundCount = 0;
    QStringList queueNames;
};

/// Everything needed to build a queue.
struct NewQueueRequest
{
    enum class Source { Logs, Eval, EvalPairs, AgainstProduction, Playground };
    Source source = Source::Logs;
    QueueSpec spec; ///< name, overlap, blind, criteria (kind follows the source)
    /// Criteria to create first: (name, yes/no question).
    QList<std::pair<QString, QString>> newCriteria;
    LogFilter filter;
    qint64 evalId = 0;
    int variant = -1; ///< Eval: -1 for every variant; AgainstProduction: the variant
    queuesource::EvalPick pick = queuesource::EvalPick::All;
    int variantA = 0; ///< EvalPairs, and Changed between
    int variantB = 1;
    SamplingStrategy strategy = SamplingStrategy::Random;
    int size = -1; ///< -1: every candidate
    quint64 seed = 1;
};

/// Builds a queue as asked: candidates from the source, sampled, stored. Runs on the worker.
Result<QueueInfo> buildQueue(Database &db, const NewQueueRequest &request);

/// A labeled item to turn into a test case.
struct TestCaseRequest
{
    Target target;
    nlohmann::json context = nlohmann::json::object();
    std::optional<QString> correction; ///< becomes the expected output
    qint64 datasetId = 0; ///< 0: create `newDataset`
    QString newDataset;
};

struct AddedCase
{
    qint64 datasetId = 0;
    QString dataset;
    qint64 caseId = 0;
    int position = 0;
    bool expectedFromCorrection = false;
};

/// Adds the item as a test case: variables from the generation (or recovered from the log
/// record's messages, with its production output kept), the correction as expected output.
Result<AddedCase> addItemAsTestCase(Database &db, const TestCaseRequest &request);

/// The Annotate section's state over the session: the queues with this annotator's progress,
/// building queues (New Queue, Today's vibe check), agreement, adjudication and test cases
/// made from labeled failures. Disk work runs on the session's worker thread.
class AnnotateController final : public QObject
{
    Q_OBJECT

public:
    AnnotateController(ProjectSession &session, const QString &annotator,
                       QObject *parent = nullptr);

    ProjectSession &session() const { return m_session; }
    QueueListModel *queues() const { return m_queues; }
    QString annotator() const { return m_annotator; }
    /// Changes whose labels are made from now on (and whose progress the list shows).
    void setAnnotator(const QString &name);
    bool hasProject() const;

    void reload();
    void loadChoices(QObject *context, std::function<void(Result<QueueChoices>)> done);
    void createQueue(const NewQueueRequest &request, QObject *context,
                     std::function<void(Result<QueueInfo>)> done);
    /// Today's queue (made when it does not exist yet) of `size` items.
    void dailyQueue(int size, QObject *context, std::function<void(Result<QueueInfo>)> done);
    void loadQueue(qint64 queueId, QObject *context, std::function<void(Result<QueueInfo>)> done);

    void loadAgreement(qint64 queueId, QObject *context,
                       std::function<void(Result<AgreementReport>)> done);
    /// Sets the final label of a disagreement (kept apart from the annotators' labels).
    void adjudicate(const Adjudication &adjudication, QObject *context,
                    std::function<void(Result<void>)> done);

    /// How often each annotator's pick was the left side (of decided pairwise choices).
    void loadPositionBias(QObject *context,
                          std::function<void(Result<QList<LabelStore::SideBias>>)> done);

    void loadDatasets(QObject *context, std::function<void(Result<QList<DatasetInfo>>)> done);
    void addTestCase(const TestCaseRequest &request, QObject *context,
                     std::function<void(Result<AddedCase>)> done);
    void addAssertion(qint64 datasetId, qint64 caseId, const AssertionSpec &spec, QObject *context,
                      std::function<void(Result<StoredAssertion>)> done);

Q_SIGNALS:
    void queuesReloaded();
    void annotatorChanged(const QString &name);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    ProjectSession &m_session;
    QueueListModel *m_queues = nullptr;
    QString m_annotator;
    quint64 m_reloadGeneration = 0;
};

} // namespace ts
