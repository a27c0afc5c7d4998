#include "logs/receiver/recordcompletion.h"

#include "logs/formats/otlpspan.h"
#include "logs/logrowvalues.h"
#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/statement.h"

namespace ts {

namespace {

struct Content
{
    nlohmann::json messages;
    std::optional<QString> output;
    nlohmann::json outputToolCalls;
    std::optional<QString> reasoning;
    std::optional<QString> finishReason;

    static Content of(const LogRecord &r)
    {
        return {messagesToJson(r.messages), r.output, toolCallsToJson(r.outputToolCalls),
                r.reasoning, r.finishReason};
    }
    bool operator==(const Content &) const = default;
};

std::optional<QString> text(const std::optional<QByteArray> &utf8)
{
    return utf8 ? std::optional<QString>(QString::fromUtf8(*utf8)) : std::nullopt;
}

} // namespace

RecordCompletion::RecordCompletion(Database &db)
    : m_db(db)
{
}

bool RecordCompletion::apply(LogRecord &record, const QList<nlohmann::json> &events)
{
    QList<otlp::SpanEvent> genAi;
    for (const nlohmann::json &logRecord : events)
        if (auto event = otlp::genAiEventFromLogRecord(logRecord))
            genAi << std::move(*event);
    if (genAi.isEmpty())
        return false;
    const Content before = Content::of(record);
    nlohmann::json noAttributes = nlohmann::json::object();
    otlp::applyGenAi(noAttributes, genAi, record);
    return !(Content::of(record) == before);
}

Result<RecordCompletion::Outcome> RecordCompletion::complete(const QString &key,
                                                             const QList<nlohmann::json> &earlier,
                                                             const QList<nlohmann::json> &events,
                                                             qint64 &id)
{
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    LogStore store(m_db);
    auto found = store.findBySpan(key.left(colon), key.mid(colon + 1));
    if (!found)
        return fail(found.error());
    if (!*found)
        return Outcome::NoRecord;
    id = **found;
    auto stored = store.record(id);
    if (!stored)
        return fail(stored.error());
    LogRecord record = *stored;
    if (!earlier.isEmpty()) {
        // Take back what the earlier events gave (and only that), to rebuild it from them all.
        LogRecord fromEarlier;
        apply(fromEarlier, earlier);
        if (!fromEarlier.messages.isEmpty()
            && messagesToJson(fromEarlier.messages) == messagesToJson(record.messages))
            record.messages.clear();
        const bool gaveOutput = fromEarlier.output || !fromEarlier.outputToolCalls.isEmpty();
        if (gaveOutput && fromEarlier.output == record.output
            && toolCallsToJson(fromEarlier.outputToolCalls)
                == toolCallsToJson(record.outputToolCalls)) {
            record.output.reset();
            record.outputToolCalls.clear();
            if (fromEarlier.reasoning == record.reasoning)
                record.reasoning.reset();
            if (fromEarlier.finishReason == record.finishReason)
                record.finishReason.reset();
        }
    }
    apply(record, earlier + events);
    if (Content::of(record) == Content::of(*stored))
        return Outcome::Unchanged;

    const LogRowValues before = LogRowValues::from(*stored);
    const LogRowValues after = LogRowValues::from(record);
    auto update = m_db.prepare(QStringLiteral(
        "UPDATE logs SET messages = ?, output = ?, output_tool_calls = ?, reasoning = ?, "
        "finish_reason = ?, has_tool_calls = ?, input_preview = ?, output_preview = ? "
        "WHERE id = ?"));
    if (!update)
        return fail(update.error());
    update->bind(1, QString::fromUtf8(after.messages))
        .bind(2, text(after.output))
        .bind(3, text(after.outputToolCalls))
        .bind(4, text(after.reasoning))
        .bind(5, text(after.finishReason))
        .bind(6, after.hasToolCalls)
        .bind(7, text(after.inputPreview))
        .bind(8, text(after.outputPreview))
        .bind(9, id);
    if (auto ok = update->step(); !ok)
        return fail(ok.error());
    // The full-text index is contentless: a row is removed by giving the text it was indexed
    // with, then indexed again.
    auto removeText = m_db.prepare(QStringLiteral(
        "INSERT INTO logs_fts (logs_fts, rowid, input, output) VALUES ('delete', ?, ?, ?)"));
    auto addText = m_db.prepare(
        QStringLiteral("INSERT INTO logs_fts (rowid, input, output) VALUES (?, ?, ?)"));
    if (!removeText)
        return fail(removeText.error());
    if (!addText)
        return fail(addText.error());
    removeText->bind(1, id)
        .bind(2, QString::fromUtf8(before.ftsInput))
        .bind(3, QString::fromUtf8(before.ftsOutput));
    if (auto ok = removeText->step(); !ok)
        return fail(ok.error());
    addText->bind(1, id)
        .bind(2, QString::fromUtf8(after.ftsInput))
        .bind(3, QString::fromUtf8(after.ftsOutput));
    if (auto ok = addText->step(); !ok)
        return fail(ok.error());
    return Outcome::Completed;
}

} // namespace ts
