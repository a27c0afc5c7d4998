#pragma once

#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "common/error.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace ts {

class Database;
class ProjectSession;

/// One queue item with what this annotator already said about it, read ahead of time so it
/// can be shown the moment the previous one is finished.
struct LabelingItem
{
    QueueItem item;
    QHash<qint64, LabelValue> labels; ///< criterion id -> this annotator's label
    std::optional<Choice> overall; ///< pairwise: the overall choice (true items)
    QHash<qint64, Choice> criterionChoices; ///< pairwise: per criterion (true items)
    std::optional<QString> note;
    std::optional<QString> correction;
    bool leftIsA = true; ///< pairwise: item a is on the left for this annotator
    double seconds = 0; ///< time spent on the item in earlier showings

    /// Some criterion was answered "no".
    bool hasFailure() const;
};

/// Reads an item with this annotator's labels, note, correction and (pairwise) the side a is
/// shown on, drawn and stored the first time. Runs on the worker thread.
Result<LabelingItem> loadLabelingItem(Database &db, const QueueInfo &queue,
                                      const QString &annotator, const QueueItem &item);
/// The next item this annotator should label from `fromPosition` on (QueueStore::next).
Result<std::optional<LabelingItem>> loadNextLabelingItem(Database &db, const QueueInfo &queue,
                                                         const QString &annotator,
                                                         int fromPosition);

/// One annotator labeling one queue. Keeps the item on screen and the next one read ahead,
/// applies a label at once in memory and saves it through the session's worker (in order,
/// each write committed by itself), moves to the next item when this one is complete, and
/// takes labels back one at a time (undo), across items.
class LabelingSession final : public QObject
{
    Q_OBJECT

public:
    /// A pairwise pick in screen terms; mapped to the true items with leftIsA.
    enum class Pick { Left, Right, Tie, BothBad };
    /// Row of the overall choice in a pairwise queue.
    static constexpr int overallRow = -1;

    LabelingSession(ProjectSession &session, const QueueInfo &queue, const QString &annotator,
                    QObject *parent = nullptr);

    /// Reads the progress and the first item this annotator has not finished.
    void start();

    const QueueInfo &queue() const { return m_queue; }
    bool isPairwise() const { return m_queue.kind == QueueKind::Pairwise; }
    QString annotator() const { return m_annotator; }
    /// The item on screen; null while loading or once the queue is done.
    const LabelingItem *current() const { return m_current.get(); }
    bool isLoading() const { return !m_current && !m_done; }
    bool isDone() const { return m_done; }
    QueueProgress progress() const { return m_progress; }
    /// The item after this one has been read ahead (it shows the moment this one is done).
    bool isNextReady() const { return m_next.has_value(); }
    /// Writes posted and not yet committed.
    int pendingWrites() const { return m_pendingWrites; }

    /// Binary: index of the criterion the next key answers. Pairwise: overallRow or a
    /// criterion index.
    int focusedRow() const { return m_focus; }
    void setFocusedRow(int row);

    /// Binary: answers the focused criterion; the focus moves to the next unanswered one and
    /// the next item comes when every criterion is answered.
    void label(LabelValue value);
    /// Binary: answers every unanswered criterion with `value`.
    void labelRemaining(LabelValue value);
    /// Pairwise: answers the focused row. The overall choice completes the item; a criterion
    /// row returns the focus to the overall choice.
    void pick(Pick pick);
    /// Takes back the last label (on this item or, when it has none left, the previous one).
    void undo();
    bool canUndo() const { return !m_steps.isEmpty(); }

    void saveNote(const QString &note);
    /// The output as it should have been; the original stays untouched.
    void saveCorrection(const QString &text);

    /// The item left last by moving on (null before the first move).
    std::shared_ptr<const LabelingItem> previous() const { return m_previous; }
    /// Seconds spent on the current item so far (earlier showings included).
    double secondsOnItem() const;

Q_SIGNALS:
    /// Another item is on screen, or the queue is done (current() is null).
    void itemChanged();
    /// A label, the focus, the note or the correction of the current item changed.
    void labelsChanged();
    void progressChanged();
    /// A posted write was committed (pendingWrites() went down).
    void saved();
    void errorOccurred(const QString &message);

private:
    struct Step
    {
        std::shared_ptr<LabelingItem> item;
        int row = 0;
        std::optional<LabelValue> previousLabel;
        std::optional<Choice> previousChoice;
        bool completedItem = false;
    };

    bool isComplete(const LabelingItem &item) const;
    void show(std::shared_ptr<LabelingItem> item);
    void moveOn();
    void prefetch();
    void write(std::function<Result<void>(Database &)> work);
    void setLabelValue(LabelingItem &item, int row, std::optional<LabelValue> value);
    void setChoice(LabelingItem &item, int row, std::optional<Choice> choice);
    int nextUnanswered(const LabelingItem &item, int after) const;

    ProjectSession &m_session;
    QueueInfo m_queue;
    QString m_annotator;
    std::shared_ptr<LabelingItem> m_current;
    std::shared_ptr<const LabelingItem> m_previous;
    /// The item after the current one: unset until read, then the item or nullopt at the end.
    std::optional<std::optional<std::shared_ptr<LabelingItem>>> m_next;
    quint64 m_prefetchGeneration = 0;
    bool m_waitingForNext = false;
    bool m_done = false;
    QueueProgress m_progress;
    int m_focus = 0;
    QList<Step> m_steps;
    QElapsedTimer m_clock;
    int m_pendingWrites = 0;
};

} // namespace ts
