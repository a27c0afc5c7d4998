#include "annotation/labelstore.h"

#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QRandomGenerator>
#include <QVariant>

namespace ts {

namespace {

Target targetFrom(const Statement &s, int kindColumn)
{
    return Target{Target::parseKind(s.text(kindColumn)).value_or(Target::Kind::Generation),
                  s.int64(kindColumn + 1)};
}

const QString selectLabel = QStringLiteral(
    "SELECT l.id, l.target_kind, l.target_id, l.criterion_version_id, c.name, v.version, "
    "l.annotator, l.value, l.note, l.seconds, l.queue_item_id, l.created_at FROM labels l "
    "JOIN criterion_versions v ON v.id = l.criterion_version_id "
    "JOIN criteria c ON c.id = v.criterion_id ");

Label labelFrom(const Statement &s)
{
    Label l;
    l.id = s.int64(0);
    l.target = targetFrom(s, 1);
    l.criterionVersionId = s.int64(3);
    l.criterion = s.text(4);
    l.criterionVersion = int(s.int64(5));
    l.annotator = s.text(6);
    l.value = parseLabelValue(s.text(7)).value_or(LabelValue::Skip);
    l.note = s.optionalText(8);
    l.seconds = s.optionalReal(9);
    l.queueItemId = s.optionalInt(10);
    l.createdAt = s.text(11);
    return l;
}

const QString selectPreference = QStringLiteral(
    "SELECT p.id, p.a_kind, p.a_id, p.b_kind, p.b_id, p.criterion_version_id, "
    "coalesce(c.name, ''), p.annotator, p.choice, p.left_is_a, p.seconds, p.queue_item_id, "
    "p.created_at FROM preferences p "
    "LEFT JOIN criterion_versions v ON v.id = p.criterion_version_id "
    "LEFT JOIN criteria c ON c.id = v.criterion_id ");

Preference preferenceFrom(const Statement &s)
{
    Preference p;
    p.id = s.int64(0);
    p.a = targetFrom(s, 1);
    p.b = targetFrom(s, 3);
    p.criterionVersionId = s.int64(5);
    p.criterion = s.text(6);
    p.annotator = s.text(7);
    p.choice = parseChoice(s.text(8)).value_or(Choice::Tie);
    if (auto left = s.optionalInt(9))
        p.leftIsA = *left != 0;
    p.seconds = s.optionalReal(10);
    p.queueItemId = s.optionalInt(11);
    p.createdAt = s.text(12);
    return p;
}

/// " WHERE ..." for a label query over a table aliased `alias` with a criterion join `v`.
QString whereFor(const LabelQuery &q, const QString &alias, QList<QVariant> &values)
{
    QStringList parts;
    if (q.criterionId) {
        parts.append(QStringLiteral("v.criterion_id = ?"));
        values.append(*q.criterionId);
    }
    if (q.queueId) {
        parts.append(alias + QStringLiteral(".queue_item_id IN (SELECT id FROM queue_items WHERE queue_id = ?)"));
        values.append(*q.queueId);
    }
    if (q.annotator) {
        parts.append(alias + QStringLiteral(".annotator = ?"));
        values.append(*q.annotator);
    }
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}

void bindValues(Statement &st, const QList<QVariant> &values)
{
    int i = 1;
    for (const QVariant &v : values) {
        if (v.typeId() == QMetaType::LongLong)
            st.bind(i++, v.toLongLong());
        else
            st.bind(i++, v.toString());
    }
}

} // namespace

QString labelValueName(LabelValue value)
{
    switch (value) {
    case LabelValue::Yes: return QStringLiteral("yes");
    case LabelValue::No: return QStringLiteral("no");
    case LabelValue::Skip: return QStringLiteral("skip");
    }
    return {};
}

std::optional<LabelValue> parseLabelValue(const QString &name)
{
    if (name == QLatin1String("yes"))
        return LabelValue::Yes;
    if (name == QLatin1String("no"))
        return LabelValue::No;
    if (name == QLatin1String("skip"))
        return LabelValue::Skip;
    return std::nullopt;
}

QString choiceName(Choice choice)
{
    switch (choice) {
    case Choice::A: return QStringLiteral("a");
    case Choice::B: return QStringLiteral("b");
    case Choice::Tie: return QStringLiteral("tie");
    case Choice::BothBad: return QStringLiteral("both_bad");
    }
    return {};
}

std::optional<Choice> parseChoice(const QString &name)
{
    if (name == QLatin1String("a"))
        return Choice::A;
    if (name == QLatin1String("b"))
        return Choice::B;
    if (name == QLatin1String("tie"))
        return Choice::Tie;
    if (name == QLatin1String("both_bad"))
        return Choice::BothBad;
    return std::nullopt;
}

LabelStore::LabelStore(Database &db)
    : m_db(db)
{
}

Result<Label> LabelStore::setLabel(const Target &target, qint64 criterionVersionId,
                                   const QString &annotator, LabelValue value,
                                   std::optional<double> seconds, std::optional<qint64> queueItemId)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO labels (target_kind, target_id, criterion_version_id, annotator, value, "
        "seconds, queue_item_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (target_kind, target_id, criterion_version_id, annotator) DO UPDATE SET "
        "value = excluded.value, seconds = coalesce(excluded.seconds, seconds), "
        "queue_item_id = coalesce(excluded.queue_item_id, queue_item_id), "
        "created_at = excluded.created_at"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, criterionVersionId).bind(4, annotator);
    st->bind(5, labelValueName(value)).bind(6, seconds).bind(7, queueItemId).bind(8, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    auto q = m_db.prepare(selectLabel
                          + QStringLiteral("WHERE l.target_kind = ? AND l.target_id = ? AND "
                                           "l.criterion_version_id = ? AND l.annotator = ?"));
    if (!q)
        return fail(q.error());
    q->bind(1, target.kindName()).bind(2, target.id).bind(3, criterionVersionId).bind(4, annotator);
    return q->one(labelFrom, QStringLiteral("label"));
}

Result<void> LabelStore::clearLabel(const Target &target, qint64 criterionVersionId,
                                    const QString &annotator)
{
    auto st = m_db.prepare(QStringLiteral(
        "DELETE FROM labels WHERE target_kind = ? AND target_id = ? AND criterion_version_id = ? "
        "AND annotator = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, criterionVersionId).bind(4, annotator);
    return st->run();
}

Result<bool> LabelStore::addLabelIfAbsent(const Label &l)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO labels (target_kind, target_id, criterion_version_id, annotator, "
        "value, note, seconds, queue_item_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, l.target.kindName()).bind(2, l.target.id).bind(3, l.criterionVersionId);
    st->bind(4, l.annotator).bind(5, labelValueName(l.value)).bind(6, l.note).bind(7, l.seconds);
    st->bind(8, l.queueItemId).bind(9, l.createdAt.isEmpty() ? nowUtc() : l.createdAt);
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    return m_db.changes() > 0;
}

Result<QList<Label>> LabelStore::labels(const LabelQuery &query)
{
    QList<QVariant> values;
    auto st = m_db.prepare(selectLabel + whereFor(query, QStringLiteral("l"), values)
                           + QStringLiteral(" ORDER BY l.id"));
    if (!st)
        return fail(st.error());
    bindValues(*st, values);
    return st->all(labelFrom);
}

Result<QList<Label>> LabelStore::labelsOf(const Target &target, const QString &annotator)
{
    auto st = m_db.prepare(selectLabel
                           + QStringLiteral("WHERE l.target_kind = ? AND l.target_id = ? AND "
                                            "l.annotator = ? ORDER BY l.id"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, annotator);
    return st->all(labelFrom);
}

Result<Preference> LabelStore::setPreference(const Target &a, const Target &b,
                                             qint64 criterionVersionId, const QString &annotator,
                                             Choice choice, std::optional<bool> leftIsA,
                                             std::optional<double> seconds,
                                             std::optional<qint64> queueItemId)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO preferences (a_kind, a_id, b_kind, b_id, criterion_version_id, annotator, "
        "choice, left_is_a, seconds, queue_item_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (a_kind, a_id, b_kind, b_id, criterion_version_id, annotator) DO UPDATE SET "
        "choice = excluded.choice, left_is_a = coalesce(excluded.left_is_a, left_is_a), "
        "seconds = coalesce(excluded.seconds, seconds), "
        "queue_item_id = coalesce(excluded.queue_item_id, queue_item_id), "
        "created_at = excluded.created_at"));
    if (!st)
        return fail(st.error());
    st->bind(1, a.kindName()).bind(2, a.id).bind(3, b.kindName()).bind(4, b.id);
    st->bind(5, criterionVersionId).bind(6, annotator).bind(7, choiceName(choice));
    st->bind(8, leftIsA ? std::optional<qint64>(*leftIsA ? 1 : 0) : std::nullopt);
    st->bind(9, seconds).bind(10, queueItemId).bind(11, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    auto q = m_db.prepare(selectPreference
                          + QStringLiteral("WHERE p.a_kind = ? AND p.a_id = ? AND p.b_kind = ? AND "
                                           "p.b_id = ? AND p.criterion_version_id = ? AND "
                                           "p.annotator = ?"));
    if (!q)
        return fail(q.error());
    q->bind(1, a.kindName()).bind(2, a.id).bind(3, b.kindName()).bind(4, b.id);
    q->bind(5, criterionVersionId).bind(6, annotator);
    return q->one(preferenceFrom, QStringLiteral("preference"));
}

Result<void> LabelStore::clearPreference(const Target &a, const Target &b, qint64 criterionVersionId,
                                         const QString &annotator)
{
    auto st = m_db.prepare(QStringLiteral(
        "DELETE FROM preferences WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ? AND "
        "criterion_version_id = ? AND annotator = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, a.kindName()).bind(2, a.id).bind(3, b.kindName()).bind(4, b.id);
    st->bind(5, criterionVersionId).bind(6, annotator);
    return st->run();
}

Result<bool> LabelStore::addPreferenceIfAbsent(const Preference &p)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO preferences (a_kind, a_id, b_kind, b_id, criterion_version_id, "
        "annotator, choice, left_is_a, seconds, queue_item_id, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, p.a.kindName()).bind(2, p.a.id).bind(3, p.b.kindName()).bind(4, p.b.id);
    st->bind(5, p.criterionVersionId).bind(6, p.annotator).bind(7, choiceName(p.choice));
    st->bind(8, p.leftIsA ? std::optional<qint64>(*p.leftIsA ? 1 : 0) : std::nullopt);
    st->bind(9, p.seconds).bind(10, p.queueItemId);
    st->bind(11, p.createdAt.isEmpty() ? nowUtc() : p.createdAt);
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    return m_db.changes() > 0;
}

Result<QList<Preference>> LabelStore::preferences(const LabelQuery &query)
{
    QList<QVariant> values;
    auto st = m_db.prepare(selectPreference + whereFor(query, QStringLiteral("p"), values)
                           + QStringLiteral(" ORDER BY p.id"));
    if (!st)
        return fail(st.error());
    bindValues(*st, values);
    return st->all(preferenceFrom);
}

Result<bool> LabelStore::leftIsA(qint64 queueItemId, const QString &annotator)
{
    auto read = m_db.prepare(QStringLiteral(
        "SELECT left_is_a FROM pair_sides WHERE queue_item_id = ? AND annotator = ?"));
    if (!read)
        return fail(read.error());
    read->bind(1, queueItemId).bind(2, annotator);
    auto row = read->step();
    if (!row)
        return fail(row.error());
    if (*row)
        return read->int64(0) != 0;
    const bool left = QRandomGenerator::global()->bounded(2) == 1;
    auto st = m_db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO pair_sides (queue_item_id, annotator, left_is_a) VALUES (?, ?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, queueItemId).bind(2, annotator).bind(3, left);
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    return left;
}

Result<void> LabelStore::setNote(const Target &target, const QString &annotator, const QString &note)
{
    if (note.trimmed().isEmpty()) {
        auto st = m_db.prepare(QStringLiteral(
            "DELETE FROM annotation_notes WHERE target_kind = ? AND target_id = ? AND annotator = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, target.kindName()).bind(2, target.id).bind(3, annotator);
        return st->run();
    }
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO annotation_notes (target_kind, target_id, annotator, note, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET note = excluded.note, "
        "created_at = excluded.created_at"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, annotator).bind(4, note).bind(5, nowUtc());
    return st->run();
}

Result<std::optional<QString>> LabelStore::note(const Target &target, const QString &annotator)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT note FROM annotation_notes WHERE target_kind = ? AND target_id = ? AND annotator = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, annotator);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    return *row ? std::optional<QString>(st->text(0)) : std::nullopt;
}

Result<void> LabelStore::setCorrection(const Target &target, const QString &annotator,
                                       const QString &text)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO corrections (target_kind, target_id, annotator, text, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET text = excluded.text, "
        "created_at = excluded.created_at"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id).bind(3, annotator).bind(4, text).bind(5, nowUtc());
    return st->run();
}

Result<std::optional<QString>> LabelStore::correction(const Target &target, const QString &annotator)
{
    auto st = m_db.prepare(annotator.isEmpty()
                               ? QStringLiteral("SELECT text FROM corrections WHERE target_kind = ? "
                                                "AND target_id = ? ORDER BY created_at DESC LIMIT 1")
                               : QStringLiteral("SELECT text FROM corrections WHERE target_kind = ? "
                                                "AND target_id = ? AND annotator = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, target.kindName()).bind(2, target.id);
    if (!annotator.isEmpty())
        st->bind(3, annotator);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    return *row ? std::optional<QString>(st->text(0)) : std::nullopt;
}

Result<void> LabelStore::adjudicate(const Adjudication &a)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO adjudications (a_kind, a_id, b_kind, b_id, criterion_id, value, adjudicator, "
        "note, created_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET "
        "value = excluded.value, adjudicator = excluded.adjudicator, note = excluded.note, "
        "created_at = excluded.created_at"));
    if (!st)
        return fail(st.error());
    st->bind(1, a.a.kindName()).bind(2, a.a.id);
    st->bind(3, a.b ? a.b->kindName() : QString()).bind(4, a.b ? a.b->id : qint64(0));
    st->bind(5, a.criterionId).bind(6, a.value).bind(7, a.adjudicator).bind(8, a.note);
    st->bind(9, nowUtc());
    return st->run();
}

Result<QList<Adjudication>> LabelStore::adjudications(std::optional<qint64> criterionId)
{
    auto st = m_db.prepare(
        QStringLiteral("SELECT a_kind, a_id, b_kind, b_id, criterion_id, value, adjudicator, note, "
                       "created_at FROM adjudications")
        + (criterionId ? QStringLiteral(" WHERE criterion_id = ?") : QString())
        + QStringLiteral(" ORDER BY created_at"));
    if (!st)
        return fail(st.error());
    if (criterionId)
        st->bind(1, *criterionId);
    return st->all([](const Statement &s) {
        Adjudication a;
        a.a = targetFrom(s, 0);
        if (!s.text(2).isEmpty())
            a.b = targetFrom(s, 2);
        a.criterionId = s.int64(4);
        a.value = s.text(5);
        a.adjudicator = s.text(6);
        a.note = s.optionalText(7);
        a.createdAt = s.text(8);
        return a;
    });
}

Result<QList<LabelStore::SideBias>> LabelStore::positionBias()
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT annotator, "
        "sum((choice = 'a' AND left_is_a = 1) OR (choice = 'b' AND left_is_a = 0)), "
        "sum(choice IN ('a', 'b')) FROM preferences WHERE left_is_a IS NOT NULL "
        "GROUP BY annotator ORDER BY annotator"));
    if (!st)
        return fail(st.error());
    return st->all([](const Statement &s) {
        return SideBias{s.text(0), int(s.int64(1)), int(s.int64(2))};
    });
}

} // namespace ts
