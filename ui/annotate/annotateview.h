#pragma once

#include "annotate/labelingsession.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace ts {

class AgreementModel;
class AlignmentView;
class AnnotateController;
class BinaryLabelView;
class DisagreementModel;
class MessageBar;
class PairwiseLabelView;
struct QueueInfo;

/// The Annotate section's page: the queues (name, kind, items, your progress, created) with
/// New Queue… and Today's vibe check, the selected queue's agreement per criterion and the
/// items people disagree on (set the final label there); and, while labeling, the binary or
/// pairwise view in its place.
class AnnotateView final : public QWidget
{
    Q_OBJECT

public:
    explicit AnnotateView(AnnotateController &controller, QWidget *parent = nullptr);
    ~AnnotateView() override;

    QTableView *queueTable() const { return m_table; }
    QPushButton *dailyButton() const { return m_daily; }
    QPushButton *newQueueButton() const { return m_newQueue; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *emptyAction() const { return m_emptyAction; }
    QPushButton *alignmentButton() const { return m_alignmentButton; }
    AlignmentView *alignmentView() const { return m_alignment; }
    BinaryLabelView *binaryView() const { return m_binary; }
    PairwiseLabelView *pairwiseView() const { return m_pairwise; }
    AgreementModel *agreementModel() const { return m_agreement; }
    DisagreementModel *disagreementModel() const { return m_disagreements; }
    QTableView *agreementTable() const { return m_agreementTable; }
    QTableView *disagreementTable() const { return m_disagreementTable; }
    QList<QPushButton *> adjudicationButtons() const { return m_finalButtons; }
    MessageBar *messages() const { return m_messages; }
    QSplitter *splitter() const { return m_split; }
    /// The labeling in progress (null on the queue list).
    LabelingSession *labelingSession() const { return m_labeling; }
    bool isLabeling() const;

    /// Items in the daily queue (25 unless changed).
    void setDailySize(int size) { m_dailySize = size; }

    void newQueue();
    /// Builds (or reopens) today's vibe-check queue and starts labeling it.
    void startDaily();
    /// Starts labeling the selected queue where this annotator stopped.
    void startSelected();
    void startQueue(const QueueInfo &queue);
    void backToQueues();
    /// Shows "Judges vs people": an eval's assertions and judges against the human labels.
    void showAlignment();
    /// Asks for the name put on labels.
    void changeAnnotator();
    void selectQueue(qint64 queueId);

Q_SIGNALS:
    /// The annotator typed another name (to remember in the settings).
    void annotatorEdited(const QString &name);
    /// A test case was made from a label (other sections reread their datasets).
    void casesAdded();

private:
    void queuesReloaded();
    void currentQueueChanged();
    void loadAgreement();
    void updateAdjudication();
    void setFinal(const QString &value);
    void loadBias();
    qint64 selectedQueueId() const;

    AnnotateController &m_controller;
    int m_dailySize = 25;
    QStackedWidget *m_pages = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_annotator = nullptr;
    QPushButton *m_newQueue = nullptr;
    QPushButton *m_daily = nullptr;
    QSplitter *m_split = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_detailTitle = nullptr;
    QLabel *m_detailFacts = nullptr;
    QPushButton *m_start = nullptr;
    AgreementModel *m_agreement = nullptr;
    DisagreementModel *m_disagreements = nullptr;
    QTableView *m_agreementTable = nullptr;
    QTableView *m_disagreementTable = nullptr;
    QLabel *m_agreementEmpty = nullptr;
    QLabel *m_disagreementTitle = nullptr;
    QWidget *m_finalsBox = nullptr;
    QWidget *m_detailStretch = nullptr;
    QLabel *m_bias = nullptr;
    QList<QPushButton *> m_finalButtons;
    QPushButton *m_emptyAction = nullptr;
    MessageBar *m_messages = nullptr;
    BinaryLabelView *m_binary = nullptr;
    PairwiseLabelView *m_pairwise = nullptr;
    AlignmentView *m_alignment = nullptr;
    QPushButton *m_alignmentButton = nullptr;
    QPointer<LabelingSession> m_labeling;
    qint64 m_pendingSelect = 0;
    quint64 m_agreementGeneration = 0;
};

} // namespace ts
