#include "annotate/labelingsession.h"

#include "common/projectsession.h"
#include "storage/project.h"

namespace ts {

bool LabelingItem::hasFailure() const
{
    for (LabelValue v : labels)
        if (v == LabelValue::No)
            return true;
    return false;
}

Result<LabelingItem> loadLabelingItem(Database &db, const QueueInfo &queue,
                                      const QString &annotator, const QueueItem &item)
{
    LabelingItem loaded;
    loaded.item = item;
    LabelStore store(db);
    QHash<QString, qint64> criterionIds;
    for (const CriterionVersion &c : queue.criteria)
        criterionIds.insert(c.name, c.criterionId);
    if (queue.kind == QueueKind::Binary) {
        auto labels = store.labelsOf(item.a, annotator);
        if (!labels)
            return fail(labels.error());
        for (const Label &l : *labels)
            if (criterionIds.contains(l.criterion))
                loaded.labels.insert(criterionIds.value(l.criterion), l.value);
    } else {
        LabelQuery query;
        query.queueId = queue.id;
        query.annotator = annotator;
        auto preferences = store.preferences(query);
        if (!preferences)
            return fail(preferences.error());
        for (const Preference &p : *preferences) {
            if (!(p.a == item.a) || !item.b || !(p.b == *item.b))
                continue;
            if (p.criterionVersionId == 0)
                loaded.overall = p.choice;
            else if (criterionIds.contains(p.criterion))
                loaded.criterionChoices.insert(criterionIds.value(p.criterion), p.choice);
        }
        auto left = store.leftIsA(item.id, annotator);
        if (!left)
            return fail(left.error());
        loaded.leftIsA = *left;
    }
    auto note = store.note(item.a, annotator);
    if (!note)
        return fail(note.error());
    loaded.note = *note;
    auto correction = store.correction(item.a, annotator);
    if (!correction)
        return fail(correction.error());
    loaded.correction = *correction;
    return loaded;
}

Result<std::optional<LabelingItem>> loadNextLabelingItem(Database &db, const QueueInfo &queue,
                                                         const QString &annotator, int fromPosition)
{
    QueueStore queues(db);
    auto next = queues.next(queue.id, annotator, fromPosition);
    if (!next)
        return fail(next.error());
    if (!*next)
        return std::optional<LabelingItem>();
    auto loaded = loadLabelingItem(db, queue, annotator, **next);
    if (!loaded)
        return fail(loaded.error());
    return std::optional<LabelingItem>(std::move(*loaded));
}

LabelingSession::LabelingSession(ProjectSession &session, const QueueInfo &queue,
                                 const QString &annotator, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_queue(queue)
    , m_annotator(annotator)
{
    m_focus = isPairwise() ? overallRow : 0;
}

void LabelingSession::start()
{
    struct Start
    {
        QueueProgress progress;
        std::optional<LabelingItem> first;
    };
    const QueueInfo queue = m_queue;
    const QString annotator = m_annotator;
    m_session.post<Result<Start>>(
        [queue, annotator](WorkContext &ctx) -> Result<Start> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            Start start;
            auto progress = QueueStore(ctx.project->db()).progress(queue.id, annotator);
            if (!progress)
                return fail(progress.error());
            start.progress = *progress;
            auto first = loadNextLabelingItem(ctx.project->db(), queue, annotator, 0);
            if (!first)
                return fail(first.error());
            start.first = std::move(*first);
            return start;
        },
        this,
        [this](Result<Start> start) {
            if (!start) {
                Q_EMIT errorOccurred(start.error().message);
                return;
            }
            m_progress = start->progress;
            Q_EMIT progressChanged();
            if (!start->first) {
                m_done = true;
                Q_EMIT itemChanged();
                return;
            }
            show(std::make_shared<LabelingItem>(std::move(*start->first)));
        });
}

bool LabelingSession::isComplete(const LabelingItem &item) const
{
    if (isPairwise())
        return item.overall.has_value();
    for (const CriterionVersion &c : m_queue.criteria)
        if (!item.labels.contains(c.criterionId))
            return false;
    return true;
}

int LabelingSession::nextUnanswered(const LabelingItem &item, int after) const
{
    const int n = int(m_queue.criteria.size());
    for (int step = 1; step <= n; ++step) {
        const int row = (after + step) % n;
        if (!item.labels.contains(m_queue.criteria[row].criterionId))
            return row;
    }
    return qBound(0, after, n - 1);
}

void LabelingSession::show(std::shared_ptr<LabelingItem> item)
{
    if (m_current && m_current != item) {
        m_current->seconds += m_clock.elapsed() / 1000.0;
        m_previous = m_current;
    }
    m_current = std::move(item);
    m_done = false;
    m_clock.start();
    m_focus = isPairwise() ? overallRow : nextUnanswered(*m_current, -1);
    prefetch();
    Q_EMIT itemChanged();
}

void LabelingSession::prefetch()
{
    m_next.reset();
    const quint64 generation = ++m_prefetchGeneration;
    const QueueInfo queue = m_queue;
    const QString annotator = m_annotator;
    const int from = m_current->item.position + 1;
    m_session.post<Result<std::optional<LabelingItem>>>(
        [queue, annotator, from](WorkContext &ctx) -> Result<std::optional<LabelingItem>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return loadNextLabelingItem(ctx.project->db(), queue, annotator, from);
        },
        this,
        [this, generation](Result<std::optional<LabelingItem>> next) {
            if (generation != m_prefetchGeneration)
                return;
            if (!next) {
                Q_EMIT errorOccurred(next.error().message);
                return;
            }
            m_next.emplace(*next ? std::optional(std::make_shared<LabelingItem>(std::move(**next)))
                                 : std::nullopt);
            if (m_waitingForNext) {
                m_waitingForNext = false;
                moveOn();
            }
        });
}

void LabelingSession::moveOn()
{
    if (!m_next) {
        // The read ahead has not landed yet (the previous item took under a frame): show the
        // next one as soon as it does.
        m_waitingForNext = true;
        if (m_current) {
            m_current->seconds += m_clock.elapsed() / 1000.0;
            m_previous = m_current;
            m_current.reset();
            Q_EMIT itemChanged();
        }
        return;
    }
    auto next = *m_next;
    if (!next) {
        if (m_current) {
            m_current->seconds += m_clock.elapsed() / 1000.0;
            m_previous = m_current;
        }
        m_current.reset();
        m_next.reset();
        m_done = true;
        Q_EMIT itemChanged();
        return;
    }
    show(*next);
}

double LabelingSession::secondsOnItem() const
{
    return m_current ? m_current->seconds + m_clock.elapsed() / 1000.0 : 0;
}

void LabelingSession::setFocusedRow(int row)
{
    const int n = int(m_queue.criteria.size());
    const int lowest = isPairwise() ? overallRow : 0;
    if (row < lowest || row >= n || row == m_focus)
        return;
    m_focus = row;
    Q_EMIT labelsChanged();
}

void LabelingSession::write(std::function<Result<void>(Database &)> work)
{
    ++m_pendingWrites;
    m_session.post<Result<void>>(
        [work = std::move(work)](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return work(ctx.project->db());
        },
        this,
        [this](Result<void> done) {
            --m_pendingWrites;
            if (!done)
                Q_EMIT errorOccurred(tr("A label was not saved: %1").arg(done.error().message));
            Q_EMIT saved();
        });
}

void LabelingSession::setLabelValue(LabelingItem &item, int row, std::optional<LabelValue> value)
{
    const CriterionVersion criterion = m_queue.criteria[row];
    const Target target = item.item.a;
    const QString annotator = m_annotator;
    if (value) {
        item.labels.insert(criterion.criterionId, *value);
        const double seconds
            = item.seconds + (m_current.get() == &item ? m_clock.elapsed() / 1000.0 : 0);
        const qint64 itemId = item.item.id;
        const LabelValue v = *value;
        write([=](Database &db) -> Result<void> {
            auto stored
                = LabelStore(db).setLabel(target, criterion.id, annotator, v, seconds, itemId);
            if (!stored)
                return fail(stored.error());
            return {};
        });
    } else {
        item.labels.remove(criterion.criterionId);
        write([=](Database &db) {
            return LabelStore(db).clearLabel(target, criterion.id, annotator);
        });
    }
}

void LabelingSession::setChoice(LabelingItem &item, int row, std::optional<Choice> choice)
{
    const qint64 versionId = row == overallRow ? 0 : m_queue.criteria[row].id;
    if (row == overallRow)
        item.overall = choice;
    else if (choice)
        item.criterionChoices.insert(m_queue.criteria[row].criterionId, *choice);
    else
        item.criterionChoices.remove(m_queue.criteria[row].criterionId);
    const Target a = item.item.a;
    const Target b = item.item.b.value_or(Target {});
    const QString annotator = m_annotator;
    if (choice) {
        const double seconds
            = item.seconds + (m_current.get() == &item ? m_clock.elapsed() / 1000.0 : 0);
        const qint64 itemId = item.item.id;
        const bool leftIsA = item.leftIsA;
        const Choice c = *choice;
        write([=](Database &db) -> Result<void> {
            auto stored = LabelStore(db).setPreference(a, b, versionId, annotator, c, leftIsA,
                                                       seconds, itemId);
            if (!stored)
                return fail(stored.error());
            return {};
        });
    } else {
        write([=](Database &db) {
            return LabelStore(db).clearPreference(a, b, versionId, annotator);
        });
    }
}

void LabelingSession::label(LabelValue value)
{
    if (!m_current || isPairwise() || m_queue.criteria.isEmpty())
        return;
    const int row = qBound(0, m_focus, int(m_queue.criteria.size()) - 1);
    const qint64 criterionId = m_queue.criteria[row].criterionId;
    Step step;
    step.item = m_current;
    step.row = row;
    if (m_current->labels.contains(criterionId))
        step.previousLabel = m_current->labels.value(criterionId);
    const bool wasComplete = isComplete(*m_current);
    setLabelValue(*m_current, row, value);
    step.completedItem = !wasComplete && isComplete(*m_current);
    m_steps.append(step);
    if (step.completedItem) {
        ++m_progress.done;
        Q_EMIT progressChanged();
        moveOn();
        return;
    }
    m_focus = nextUnanswered(*m_current, row);
    Q_EMIT labelsChanged();
}

void LabelingSession::labelRemaining(LabelValue value)
{
    if (!m_current || isPairwise())
        return;
    const LabelingItem *item = m_current.get();
    for (int row = 0; row < m_queue.criteria.size() && m_current.get() == item; ++row)
        if (!m_current->labels.contains(m_queue.criteria[row].criterionId)) {
            m_focus = row;
            label(value);
        }
}

void LabelingSession::pick(Pick pick)
{
    if (!m_current || !isPairwise())
        return;
    Choice choice = Choice::Tie;
    switch (pick) {
    case Pick::Left:
        choice = m_current->leftIsA ? Choice::A : Choice::B;
        break;
    case Pick::Right:
        choice = m_current->leftIsA ? Choice::B : Choice::A;
        break;
    case Pick::Tie:
        choice = Choice::Tie;
        break;
    case Pick::BothBad:
        choice = Choice::BothBad;
        break;
    }
    const int row = m_focus;
    Step step;
    step.item = m_current;
    step.row = row;
    if (row == overallRow)
        step.previousChoice = m_current->overall;
    else if (m_current->criterionChoices.contains(m_queue.criteria[row].criterionId))
        step.previousChoice = m_current->criterionChoices.value(m_queue.criteria[row].criterionId);
    const bool wasComplete = isComplete(*m_current);
    setChoice(*m_current, row, choice);
    step.completedItem = !wasComplete && isComplete(*m_current);
    m_steps.append(step);
    if (step.completedItem) {
        ++m_progress.done;
        Q_EMIT progressChanged();
        moveOn();
        return;
    }
    m_focus = overallRow;
    Q_EMIT labelsChanged();
}

void LabelingSession::undo()
{
    if (m_steps.isEmpty())
        return;
    const Step step = m_steps.takeLast();
    const bool switched = step.item != m_current;
    if (switched) {
        if (m_current)
            m_current->seconds += m_clock.elapsed() / 1000.0;
        m_current = step.item;
        m_done = false;
        m_waitingForNext = false;
        m_clock.start();
    }
    if (isPairwise())
        setChoice(*m_current, step.row, step.previousChoice);
    else
        setLabelValue(*m_current, step.row, step.previousLabel);
    if (step.completedItem) {
        --m_progress.done;
        Q_EMIT progressChanged();
    }
    m_focus = step.row;
    if (switched) {
        // What comes after this item is read again: the one just left may be unfinished.
        prefetch();
        Q_EMIT itemChanged();
    } else {
        Q_EMIT labelsChanged();
    }
}

void LabelingSession::saveNote(const QString &note)
{
    if (!m_current)
        return;
    m_current->note = note.trimmed().isEmpty() ? std::nullopt : std::optional<QString>(note);
    const Target target = m_current->item.a;
    const QString annotator = m_annotator;
    write([=](Database &db) { return LabelStore(db).setNote(target, annotator, note); });
    Q_EMIT labelsChanged();
}

void LabelingSession::saveCorrection(const QString &text)
{
    if (!m_current)
        return;
    m_current->correction = text;
    const Target target = m_current->item.a;
    const QString annotator = m_annotator;
    write([=](Database &db) { return LabelStore(db).setCorrection(target, annotator, text); });
    Q_EMIT labelsChanged();
}

} // namespace ts
