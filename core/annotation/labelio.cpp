#include "annotation/labelio.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "common/json.h"
#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QHash>
#include <QSet>

namespace ts::labelio {

namespace {

/// One checked line, ready to store.
struct Line
{
    int number = 0;
    bool pairwise = false;
    Target a;
    Target b;
    QString criterion; ///< empty: the overall preference (pairwise only)
    QString annotator;
    LabelValue value = LabelValue::Skip;
    Choice choice = Choice::Tie;
    std::optional<QString> note;
};

/// Whether a generation, log record or test case with this id is stored.
Result<bool> exists(Database &db, const Target &t)
{
    const QString table = t.kind == Target::Kind::Generation ? QStringLiteral("generations")
        : t.kind == Target::Kind::Log                        ? QStringLiteral("logs")
                                                             : QStringLiteral("test_cases");
    auto st = db.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE id = ?").arg(table));
    if (!st)
        return fail(st.error());
    st->bind(1, t.id);
    return st->step();
}

/// A target object: {"generation": ID}, {"log": ID}, {"case": ID} or {"span": "TRACE:SPAN"}.
/// Returns the reason when it is not one (an empty reason with a runtime error in `error`).
std::optional<Target> parseTarget(Database &db, const nlohmann::json &j, const QString &key,
                                  QString &reason, std::optional<Error> &error)
{
    if (!j.is_object() || j.size() != 1) {
        reason = QStringLiteral("\"%1\" must be an object with one of generation, log or span "
                                "(e.g. {\"log\": 12})")
                     .arg(key);
        return std::nullopt;
    }
    const auto &[name, value] = *j.items().begin();
    if (name == "span") {
        const QString text = value.is_string() ? qstr(value.get<std::string>()) : QString();
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        if (colon <= 0 || colon == text.size() - 1) {
            reason = QStringLiteral("\"%1\": span must be \"TRACEID:SPANID\"").arg(key);
            return std::nullopt;
        }
        auto id = LogStore(db).findBySpan(text.left(colon), text.mid(colon + 1));
        if (!id) {
            error = id.error();
            return std::nullopt;
        }
        if (!*id) {
            reason = QStringLiteral("\"%1\": no log record has trace %2 span %3")
                         .arg(key, text.left(colon), text.mid(colon + 1));
            return std::nullopt;
        }
        return Target {Target::Kind::Log, **id};
    }
    const auto kind = Target::parseKind(qstr(name));
    if (!kind) {
        reason = QStringLiteral("\"%1\": unknown target kind \"%2\" (use generation, log or span)")
                     .arg(key, qstr(name));
        return std::nullopt;
    }
    if (!value.is_number_integer() || value.get<qint64>() <= 0) {
        reason = QStringLiteral("\"%1\": %2 must be a positive integer id").arg(key, qstr(name));
        return std::nullopt;
    }
    const Target t {*kind, value.get<qint64>()};
    auto found = exists(db, t);
    if (!found) {
        error = found.error();
        return std::nullopt;
    }
    if (!*found) {
        reason = QStringLiteral("\"%1\": no %2 %3 in this project").arg(key, qstr(name)).arg(t.id);
        return std::nullopt;
    }
    return t;
}

QString optionalString(const nlohmann::json &j, const char *key, bool &bad)
{
    if (!j.contains(key) || j[key].is_null())
        return {};
    if (!j[key].is_string()) {
        bad = true;
        return {};
    }
    return qstr(j[key].get<std::string>());
}

/// Parses and checks one line; the reason when it is bad.
std::optional<Line> parseLine(Database &db, const QByteArray &text, int number, QString &reason,
                              std::optional<Error> &error)
{
    const auto j
        = nlohmann::json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (j.is_discarded()) {
        reason = QStringLiteral("not valid JSON");
        return std::nullopt;
    }
    if (!j.is_object()) {
        reason = QStringLiteral("a label must be a JSON object");
        return std::nullopt;
    }
    Line line;
    line.number = number;
    bool bad = false;
    line.annotator = optionalString(j, "annotator", bad).trimmed();
    if (bad || line.annotator.isEmpty()) {
        reason = QStringLiteral("\"annotator\" must be a non-empty string");
        return std::nullopt;
    }
    line.criterion = optionalString(j, "criterion", bad).trimmed();
    if (bad) {
        reason = QStringLiteral("\"criterion\" must be a string");
        return std::nullopt;
    }
    const bool binary = j.contains("target");
    const bool pairwise = j.contains("a") || j.contains("b");
    if (binary == pairwise) {
        reason = binary ? QStringLiteral("a label has either \"target\" (binary) or \"a\" and "
                                         "\"b\" (pairwise), not both")
                        : QStringLiteral("missing \"target\" (binary) or \"a\" and \"b\" "
                                         "(pairwise)");
        return std::nullopt;
    }
    if (binary) {
        auto t = parseTarget(db, j["target"], QStringLiteral("target"), reason, error);
        if (!t)
            return std::nullopt;
        line.a = *t;
        if (line.criterion.isEmpty()) {
            reason = QStringLiteral("a binary label needs \"criterion\"");
            return std::nullopt;
        }
        const QString value = optionalString(j, "label", bad);
        const auto parsed = parseLabelValue(value);
        if (bad || !parsed) {
            reason = QStringLiteral("\"label\" must be \"yes\", \"no\" or \"skip\"");
            return std::nullopt;
        }
        line.value = *parsed;
        const QString note = optionalString(j, "note", bad);
        if (bad) {
            reason = QStringLiteral("\"note\" must be a string");
            return std::nullopt;
        }
        if (!note.isEmpty())
            line.note = note;
        return line;
    }
    if (!j.contains("a") || !j.contains("b")) {
        reason = QStringLiteral("a pairwise label needs both \"a\" and \"b\"");
        return std::nullopt;
    }
    line.pairwise = true;
    auto a = parseTarget(db, j["a"], QStringLiteral("a"), reason, error);
    if (!a)
        return std::nullopt;
    auto b = parseTarget(db, j["b"], QStringLiteral("b"), reason, error);
    if (!b)
        return std::nullopt;
    if (*a == *b) {
        reason = QStringLiteral("\"a\" and \"b\" are the same target");
        return std::nullopt;
    }
    line.a = *a;
    line.b = *b;
    const auto choice = parseChoice(optionalString(j, "choice", bad));
    if (bad || !choice) {
        reason = QStringLiteral("\"choice\" must be \"a\", \"b\" or \"tie\" (or \"both_bad\")");
        return std::nullopt;
    }
    line.choice = *choice;
    return line;
}

QString lineKey(const Line &l)
{
    return (l.pairwise ? l.a.key() + QLatin1Char('|') + l.b.key() : l.a.key()) + QLatin1Char('/')
        + l.criterion + QLatin1Char('/') + l.annotator;
}

QString lineValue(const Line &l)
{
    return l.pairwise ? choiceName(l.choice) : labelValueName(l.value);
}

nlohmann::json targetJson(const Target &t)
{
    return {{sstr(t.kindName()), t.id}};
}

template<typename T> nlohmann::json orNull(const std::optional<T> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json orNull(const std::optional<QString> &v)
{
    return v ? nlohmann::json(sstr(*v)) : nlohmann::json();
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvValue(const nlohmann::json &v)
{
    if (v.is_null())
        return {};
    if (v.is_string())
        return qstr(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return qstr(v.dump());
}

} // namespace

Result<LabelImportSummary> importLabels(Database &db, const QByteArray &content,
                                        const QString &displayName)
{
    LabelImportSummary summary;
    QList<Line> lines;
    QHash<QString, std::pair<QString, int>> seen; // key -> value, line
    int number = 0;
    for (const QByteArray &raw : content.split('\n')) {
        ++number;
        const QByteArray text = raw.trimmed();
        if (text.isEmpty())
            continue;
        ++summary.lines;
        QString reason;
        std::optional<Error> error;
        auto line = parseLine(db, text, number, reason, error);
        if (error)
            return fail(*error);
        if (line) {
            const QString key = lineKey(*line);
            const auto earlier = seen.constFind(key);
            if (earlier != seen.constEnd() && earlier->first != lineValue(*line))
                reason = QStringLiteral("the same annotator, target and criterion as line %1 with "
                                        "a different label")
                             .arg(earlier->second);
            else
                seen.insert(key, {lineValue(*line), number});
        }
        if (!reason.isEmpty())
            summary.problems.append(
                QStringLiteral("%1:%2: %3").arg(displayName).arg(number).arg(reason));
        else
            lines.append(*line);
    }
    if (!summary.problems.isEmpty())
        return summary;

    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    CriterionStore criteria(db);
    LabelStore store(db);
    QHash<QString, qint64> versionIds;
    for (const Line &l : std::as_const(lines)) {
        qint64 versionId = 0;
        if (!l.criterion.isEmpty()) {
            if (!versionIds.contains(l.criterion)) {
                const bool existed = bool(criteria.latest(l.criterion));
                auto v = criteria.ensure(l.criterion);
                if (!v)
                    return fail(v.error());
                if (!existed)
                    summary.createdCriteria.append(v->name);
                versionIds.insert(l.criterion, v->id);
            }
            versionId = versionIds.value(l.criterion);
        }
        Result<bool> added = false;
        if (l.pairwise) {
            Preference p;
            p.a = l.a;
            p.b = l.b;
            p.criterionVersionId = versionId;
            p.annotator = l.annotator;
            p.choice = l.choice;
            added = store.addPreferenceIfAbsent(p);
            if (added && *added)
                ++summary.preferencesAdded;
        } else {
            Label label;
            label.target = l.a;
            label.criterionVersionId = versionId;
            label.annotator = l.annotator;
            label.value = l.value;
            label.note = l.note;
            added = store.addLabelIfAbsent(label);
            if (added && *added)
                ++summary.labelsAdded;
        }
        if (!added)
            return fail(added.error());
        if (!*added)
            ++summary.alreadyPresent;
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return summary;
}

Result<QByteArray> exportLabels(Database &db, LabelExportFormat format,
                                const LabelExportScope &scope)
{
    // Queue names and the targets a queue scope keeps.
    QHash<qint64, QString> queueOfItem;
    {
        auto st = db.prepare(QStringLiteral(
            "SELECT qi.id, q.name FROM queue_items qi JOIN queues q ON q.id = qi.queue_id"));
        if (!st)
            return fail(st.error());
        for (;;) {
            auto row = st->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            queueOfItem.insert(st->int64(0), st->text(1));
        }
    }
    std::optional<QSet<QString>> keep; // target keys (binary) and pair keys (pairwise)
    std::optional<QSet<QString>> criteria; // criterion names of the queue
    if (scope.queue) {
        QueueStore queues(db);
        auto q = queues.queue(*scope.queue);
        if (!q)
            return fail(q.error());
        auto items = queues.items(q->id);
        if (!items)
            return fail(items.error());
        keep.emplace();
        for (const QueueItem &item : std::as_const(*items))
            keep->insert(item.key());
        criteria.emplace();
        for (const CriterionVersion &c : q->criteria)
            criteria->insert(c.name);
    }

    QList<nlohmann::json> rows;
    LabelStore store(db);
    auto labels = store.labels();
    if (!labels)
        return fail(labels.error());
    auto notes = db.prepare(QStringLiteral(
        "SELECT target_kind || ':' || target_id || '/' || annotator, note FROM annotation_notes"));
    if (!notes)
        return fail(notes.error());
    QHash<QString, QString> noteOf;
    for (;;) {
        auto row = notes->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        noteOf.insert(notes->text(0), notes->text(1));
    }
    for (const Label &l : std::as_const(*labels)) {
        if (keep && (!keep->contains(l.target.key()) || !criteria->contains(l.criterion)))
            continue;
        std::optional<QString> note = l.note;
        if (!note) {
            const QString key = l.target.key() + QLatin1Char('/') + l.annotator;
            if (noteOf.contains(key))
                note = noteOf.value(key);
        }
        rows.append(nlohmann::json {{"kind", "binary"},
                                    {"annotator", sstr(l.annotator)},
                                    {"time", sstr(l.createdAt)},
                                    {"criterion", sstr(l.criterion)},
                                    {"criterion_version", l.criterionVersion},
                                    {"target", targetJson(l.target)},
                                    {"queue",
                                     l.queueItemId && queueOfItem.contains(*l.queueItemId)
                                         ? nlohmann::json(sstr(queueOfItem.value(*l.queueItemId)))
                                         : nlohmann::json()},
                                    {"queue_item", orNull(l.queueItemId)},
                                    {"label", sstr(labelValueName(l.value))},
                                    {"note", orNull(note)},
                                    {"seconds", orNull(l.seconds)},
                                    {"shown_left", nullptr}});
    }
    auto preferences = store.preferences();
    if (!preferences)
        return fail(preferences.error());
    CriterionStore criterionStore(db);
    for (const Preference &p : std::as_const(*preferences)) {
        if (keep && !keep->contains(p.a.key() + QLatin1Char('|') + p.b.key()))
            continue;
        nlohmann::json version;
        if (p.criterionVersionId != 0) {
            auto v = criterionStore.version(p.criterionVersionId);
            if (!v)
                return fail(v.error());
            version = v->version;
        }
        rows.append(nlohmann::json {
            {"kind", "pairwise"},
            {"annotator", sstr(p.annotator)},
            {"time", sstr(p.createdAt)},
            {"criterion",
             p.criterion.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(p.criterion))},
            {"criterion_version", version},
            {"a", targetJson(p.a)},
            {"b", targetJson(p.b)},
            {"queue",
             p.queueItemId && queueOfItem.contains(*p.queueItemId)
                 ? nlohmann::json(sstr(queueOfItem.value(*p.queueItemId)))
                 : nlohmann::json()},
            {"queue_item", orNull(p.queueItemId)},
            {"choice", sstr(choiceName(p.choice))},
            {"seconds", orNull(p.seconds)},
            {"shown_left", p.leftIsA ? nlohmann::json(*p.leftIsA ? "a" : "b") : nlohmann::json()}});
    }

    QByteArray out;
    if (format == LabelExportFormat::Jsonl) {
        for (const nlohmann::json &row : std::as_const(rows))
            out += QByteArray::fromStdString(
                       row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                + '\n';
        return out;
    }
    const QStringList header = {QStringLiteral("kind"),
                                QStringLiteral("annotator"),
                                QStringLiteral("time"),
                                QStringLiteral("criterion"),
                                QStringLiteral("criterion_version"),
                                QStringLiteral("target_kind"),
                                QStringLiteral("target_id"),
                                QStringLiteral("b_kind"),
                                QStringLiteral("b_id"),
                                QStringLiteral("queue"),
                                QStringLiteral("queue_item"),
                                QStringLiteral("value"),
                                QStringLiteral("note"),
                                QStringLiteral("seconds"),
                                QStringLiteral("shown_left")};
    out += header.join(QLatin1Char(',')).toUtf8() + "\r\n";
    for (const nlohmann::json &row : std::as_const(rows)) {
        const bool pairwise = row["kind"] == "pairwise";
        const nlohmann::json &a = pairwise ? row["a"] : row["target"];
        const auto &[aKind, aId] = *a.items().begin();
        QString bKind, bId;
        if (pairwise) {
            const auto &[k, id] = *row["b"].items().begin();
            bKind = qstr(k);
            bId = QString::number(id.get<qint64>());
        }
        const QStringList fields = {csvValue(row["kind"]),
                                    csvValue(row["annotator"]),
                                    csvValue(row["time"]),
                                    csvValue(row["criterion"]),
                                    csvValue(row["criterion_version"]),
                                    qstr(aKind),
                                    QString::number(aId.get<qint64>()),
                                    bKind,
                                    bId,
                                    csvValue(row["queue"]),
                                    csvValue(row["queue_item"]),
                                    csvValue(pairwise ? row["choice"] : row["label"]),
                                    csvValue(pairwise ? nlohmann::json() : row["note"]),
                                    csvValue(row["seconds"]),
                                    csvValue(row["shown_left"])};
        QStringList quoted;
        for (const QString &f : fields)
            quoted.append(csvField(f));
        out += quoted.join(QLatin1Char(',')).toUtf8() + "\r\n";
    }
    return out;
}

} // namespace ts::labelio
