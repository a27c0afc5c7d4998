#include "annotation/targetcontent.h"

#include "annotation/queuebuilder.h"
#include "common/json.h"
#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/statement.h"

namespace ts {

nlohmann::json TargetContent::messages() const
{
    if (input.is_object() && input.contains("messages") && input["messages"].is_array())
        return input["messages"];
    return nlohmann::json::array();
}

Result<TargetContent> loadTargetContent(Database &db, const Target &target)
{
    // A snapshot first: the item shows exactly what the annotator judged.
    auto snapshot = db.prepare(QStringLiteral(
        "SELECT input, CASE WHEN a_kind = ?1 AND a_id = ?2 THEN output_a ELSE output_b END "
        "FROM queue_items WHERE (a_kind = ?1 AND a_id = ?2) OR (b_kind = ?1 AND b_id = ?2) "
        "ORDER BY id LIMIT 1"));
    if (!snapshot)
        return fail(snapshot.error());
    snapshot->bind(1, target.kindName()).bind(2, target.id);
    auto row = snapshot->step();
    if (!row)
        return fail(row.error());
    if (*row) {
        TargetContent c;
        c.input = parseJson(snapshot->text(0)).value_or(nlohmann::json::object());
        c.output = snapshot->optionalText(1);
        return c;
    }

    TargetContent c;
    auto input = queuesource::targetInput(db, target);
    if (!input)
        return fail(input.error());
    c.input = *input;
    switch (target.kind) {
    case Target::Kind::Generation: {
        auto st = db.prepare(QStringLiteral("SELECT output, status FROM generations WHERE id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, target.id);
        auto out = st->one(
            [](const Statement &s) {
                return s.text(1) == QLatin1String("ok") ? std::optional<QString>(s.text(0))
                                                        : std::nullopt;
            },
            QStringLiteral("No generation %1.").arg(target.id));
        if (!out)
            return fail(out.error());
        c.output = *out;
        break;
    }
    case Target::Kind::Log: {
        auto record = LogStore(db).record(target.id);
        if (!record)
            return fail(record.error());
        c.output = record->output;
        if (!c.output && !record->outputToolCalls.isEmpty())
            c.output = QString::fromStdString(toolCallsToJson(record->outputToolCalls).dump(2));
        break;
    }
    case Target::Kind::Case: {
        auto st
            = db.prepare(QStringLiteral("SELECT production_output FROM test_cases WHERE id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, target.id);
        auto out = st->one([](const Statement &s) { return s.optionalText(0); },
                           QStringLiteral("No test case %1.").arg(target.id));
        if (!out)
            return fail(out.error());
        c.output = *out;
        break;
    }
    }
    return c;
}

} // namespace ts
