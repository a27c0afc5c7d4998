#include "cli.h"

#include "common/json.h"
#include "logs/logimporter.h"
#include "logs/logstore.h"
#include "logs/todataset/logstodataset.h"
#include "monitorhook.h"
#include "storage/project.h"

#include <QElapsedTimer>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace ts::cli {

namespace {

std::atomic_bool importCancelled {false};

void onImportInterrupt(int)
{
    importCancelled.store(true);
}

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

nlohmann::json optionalJson(const std::optional<QString> &v)
{
    return v ? nlohmann::json(sstr(*v)) : nlohmann::json();
}

template<typename T> nlohmann::json optionalJson(const std::optional<T> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

/// One record as `logs list --json` prints it: exactly the keys of app/cli/LOGS_JSON.md.
nlohmann::json recordJson(const LogRecord &r)
{
    nlohmann::json prompt;
    if (r.promptName)
        prompt = {{"name", sstr(*r.promptName)}, {"version", optionalJson(r.promptVersion)}};
    return {
        {"id", r.id},
        {"time", r.startMs ? nlohmann::json(sstr(isoFromEpochMs(*r.startMs))) : nlohmann::json()},
        {"end_time", r.endMs ? nlohmann::json(sstr(isoFromEpochMs(*r.endMs))) : nlohmann::json()},
        {"source_format", sstr(r.sourceFormat)},
        {"trace_id", optionalJson(r.traceId)},
        {"span_id", optionalJson(r.spanId)},
        {"model", optionalJson(r.model)},
        {"provider", optionalJson(r.provider)},
        {"messages", messagesToJson(r.messages)},
        {"output", optionalJson(r.output)},
        {"output_tool_calls", toolCallsToJson(r.outputToolCalls)},
        {"input_tokens", optionalJson(r.inputTokens)},
        {"output_tokens", optionalJson(r.outputTokens)},
        {"latency_ms", optionalJson(r.latencyMs)},
        {"ttft_ms", optionalJson(r.ttftMs)},
        {"status", r.ok ? "ok" : "error"},
        {"error", optionalJson(r.error)},
        {"finish_reason", optionalJson(r.finishReason)},
        {"prompt", prompt},
        {"metadata", r.metadata.is_object() ? r.metadata : nlohmann::json::object()},
    };
}

/// The filter options `logs list` and `logs to-dataset` share.
void addFilterOptions(QCommandLineParser &p, bool promptFilter)
{
    p.addOptions({
        {QStringLiteral("since"),
         QStringLiteral("Calls that started at or after T (ISO 8601, a date, or epoch seconds)."),
         QStringLiteral("T")},
        {QStringLiteral("until"), QStringLiteral("Calls that started before T."),
         QStringLiteral("T")},
        {QStringLiteral("model"), QStringLiteral("Calls to this model."), QStringLiteral("M")},
        {QStringLiteral("status"), QStringLiteral("ok or error."), QStringLiteral("STATUS")},
        {QStringLiteral("search"),
         QStringLiteral("Full-text search in inputs and outputs (every word must occur)."),
         QStringLiteral("TEXT")},
    });
    if (promptFilter)
        p.addOption({QStringLiteral("prompt"),
                     QStringLiteral("Calls that recorded this prompt (NAME or NAME@VERSION)."),
                     QStringLiteral("NAME[@V]")});
}

Result<LogFilter> filterFrom(const QCommandLineParser &p, bool promptFilter)
{
    LogFilter f;
    for (const char *key : {"since", "until"}) {
        const QString name = QString::fromLatin1(key);
        if (!p.isSet(name))
            continue;
        const auto ms = epochMsFromText(p.value(name));
        if (!ms)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--%1 \"%2\" is not a time (use ISO 8601 such as "
                                       "2026-05-01T12:00:00Z, a date, or epoch seconds)")
                            .arg(name, p.value(name)));
        (name == QLatin1String("since") ? f.sinceMs : f.untilMs) = *ms;
    }
    if (p.isSet(QStringLiteral("model")))
        f.model = p.value(QStringLiteral("model"));
    if (p.isSet(QStringLiteral("status"))) {
        const QString s = p.value(QStringLiteral("status")).toLower();
        if (s != QLatin1String("ok") && s != QLatin1String("error"))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--status must be ok or error, not \"%1\"")
                            .arg(p.value(QStringLiteral("status"))));
        f.ok = s == QLatin1String("ok");
    }
    f.search = p.value(QStringLiteral("search")).trimmed();
    if (promptFilter && p.isSet(QStringLiteral("prompt"))) {
        const QString ref = p.value(QStringLiteral("prompt"));
        const qsizetype at = ref.lastIndexOf(QLatin1Char('@'));
        f.promptName = at < 0 ? ref : ref.left(at);
        if (at >= 0)
            f.promptVersion = ref.mid(at + 1);
    }
    return f;
}

Result<qint64> nonNegative(const QCommandLineParser &p, const QString &name, qint64 fallback)
{
    if (!p.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 n = p.value(name).toLongLong(&ok);
    if (!ok || n < 0)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("--%1 must be a whole number >= 0, not \"%2\"")
                        .arg(name, p.value(name)));
    return n;
}

// ---- import ----------------------------------------------------------------------------

int import(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import production logs: OTLP/JSON traces (and OTLP logs with the events of older GenAI "
        "conventions), OpenInference/Phoenix spans, Langfuse exports, OpenAI Batch output (with "
        "its input file) and request/response pairs, LangSmith runs and promptfoo results. Each "
        "file's format is detected from its content; gzip files work. Re-importing adds nothing. "
        "A malformed record is listed on stderr as FILE:LINE: reason and skipped (exit 0) "
        "unless --strict, where it imports nothing (exit 2). Ctrl+C stops and keeps what was "
        "committed; the same command continues without duplicates."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("SOURCE"),
                            QStringLiteral("Log files, imported together."),
                            QStringLiteral("SOURCE..."));
    p.addOptions({
        {QStringLiteral("format"),
         QStringLiteral("Read every source as this format instead of detecting it."),
         QStringLiteral("NAME")},
        {QStringLiteral("strict"), QStringLiteral("One malformed record imports nothing.")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("logs import"), 2, -1); code >= 0)
        return code;
    const QStringList positional = p.positionalArguments();
    const QStringList sources = positional.mid(1);
    const bool json = p.isSet(QStringLiteral("json"));

    auto project = Project::open(positional.at(0));
    if (!project)
        return report(project.error());

    LogImportOptions options;
    options.format = p.value(QStringLiteral("format"));
    options.strict = p.isSet(QStringLiteral("strict"));
    options.cancel = &importCancelled;
    const bool tty = ::isatty(2) && !json;
    QElapsedTimer sinceLine;
    sinceLine.start();
    if (tty)
        options.progress = [&](qint64 done, qint64 total) {
            if (sinceLine.elapsed() < 250 || total <= 0)
                return;
            sinceLine.restart();
            err(QStringLiteral("\rImporting... %1%")
                    .arg(qRound(100.0 * double(done) / double(total))));
        };
    // Ctrl+C: the importer stops between batches; what it committed stays.
    std::signal(SIGINT, onImportInterrupt);
    std::signal(SIGTERM, onImportInterrupt);
    auto summary = LogImporter(project->db()).run(sources, options);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (tty)
        err(QStringLiteral("\r                 \r"));
    if (!summary)
        return report(summary.error());
    // The planner's statistics for the rows just added (sampled: milliseconds).
    (void)project->optimize();

    for (const QString &problem : std::as_const(summary->problems))
        err(problem + QLatin1Char('\n'));
    if (summary->malformed > summary->problems.size())
        err(QStringLiteral("... and %1 more malformed records\n")
                .arg(summary->malformed - summary->problems.size()));

    const bool strictFailure = options.strict && summary->malformed > 0;
    // Monitors check what just arrived (a failure here does not undo the import).
    nlohmann::json monitors = nlohmann::json::array();
    QStringList monitorLines;
    if (!strictFailure && summary->imported > 0)
        monitorAfterImport(project->db(), monitors, monitorLines);
    if (json) {
        nlohmann::json formats = nlohmann::json::array();
        for (const QString &f : std::as_const(summary->formats))
            formats.push_back(sstr(f));
        nlohmann::json problems = nlohmann::json::array();
        for (const QString &problem : std::as_const(summary->problems))
            problems.push_back(sstr(problem));
        outJson({{"imported", strictFailure ? 0 : summary->imported},
                 {"duplicates", summary->duplicates},
                 {"malformed", summary->malformed},
                 {"not_llm_calls", summary->notLlmCalls},
                 {"formats", formats},
                 {"problems", problems},
                 {"cancelled", summary->cancelled},
                 {"monitors", monitors}});
    }
    if (strictFailure) {
        err(QStringLiteral("touchstone-cli: %1 with --strict: nothing was imported\n")
                .arg(plural(summary->malformed, QStringLiteral("malformed record"),
                            QStringLiteral("malformed records"))));
        return BadUsage;
    }
    if (!json)
        out(QStringLiteral("Imported %1 (%2 skipped, %3, %4)%5.\n")
                .arg(plural(summary->imported, QStringLiteral("record"), QStringLiteral("records")),
                     plural(summary->duplicates, QStringLiteral("duplicate"),
                            QStringLiteral("duplicates")),
                     plural(summary->malformed, QStringLiteral("malformed"),
                            QStringLiteral("malformed")),
                     plural(summary->notLlmCalls, QStringLiteral("not an LLM call"),
                            QStringLiteral("not LLM calls")),
                     summary->formats.isEmpty() ? QString()
                                                : QStringLiteral(" [%1]").arg(
                                                    summary->formats.join(QStringLiteral(", ")))));
    if (!json)
        for (const QString &line : std::as_const(monitorLines))
            out(line);
    if (summary->cancelled) {
        err(QStringLiteral("touchstone-cli: import cancelled; what was committed is kept, and "
                           "running the same command again continues without duplicates\n"));
        return Failure;
    }
    return Ok;
}

// ---- list ------------------------------------------------------------------------------

QString cell(const std::optional<QString> &v)
{
    return v && !v->isEmpty() ? *v : QStringLiteral("-");
}

QString firstWords(const std::optional<QString> &text, int width)
{
    if (!text)
        return QStringLiteral("-");
    QString flat = text->simplified();
    if (flat.size() > width)
        flat = flat.left(width - 1).trimmed() + QChar(0x2026);
    return flat;
}

QString tokens(const std::optional<qint64> &in, const std::optional<qint64> &outTokens)
{
    if (!in && !outTokens)
        return QStringLiteral("-");
    return (in ? QString::number(*in) : QStringLiteral("?")) + QStringLiteral("/")
        + (outTokens ? QString::number(*outTokens) : QStringLiteral("?"));
}

QString latency(const std::optional<double> &ms)
{
    if (!ms)
        return QStringLiteral("-");
    if (*ms < 10000)
        return QStringLiteral("%1 ms").arg(qRound64(*ms));
    return QStringLiteral("%1 s").arg(*ms / 1000.0, 0, 'f', 1);
}

/// Columns padded to their widest cell (the last one is not padded).
QString table(const QList<QStringList> &rows, const QList<bool> &rightAligned)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows)
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths.append(0);
            widths[c] = std::max(widths[c], row[c].size());
        }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (c > 0)
                line += QStringLiteral("  ");
            if (c == row.size() - 1)
                line += row[c];
            else if (rightAligned.value(c))
                line += row[c].rightJustified(widths[c]);
            else
                line += row[c].leftJustified(widths[c]);
        }
        text += line + QLatin1Char('\n');
    }
    return text;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "List production log records, oldest first: time, model, status, tokens (in/out), "
        "latency and the first words of the input. --json prints whole records "
        "(see LOGS_JSON.md)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addFilterOptions(p, true);
    p.addOptions({
        {QStringLiteral("limit"), QStringLiteral("At most N records (default 100; 0: all)."),
         QStringLiteral("N")},
        {QStringLiteral("offset"), QStringLiteral("Skip the first N records."),
         QStringLiteral("N")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("logs list"), 1, 1); code >= 0)
        return code;
    auto filter = filterFrom(p, true);
    if (!filter)
        return usageError(filter.error().message, QStringLiteral("logs list"));
    auto limit = nonNegative(p, QStringLiteral("limit"), 100);
    if (!limit)
        return usageError(limit.error().message, QStringLiteral("logs list"));
    auto offset = nonNegative(p, QStringLiteral("offset"), 0);
    if (!offset)
        return usageError(offset.error().message, QStringLiteral("logs list"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    LogStore store(project->db());
    const int pageLimit = *limit == 0 ? -1 : int(std::min<qint64>(*limit, 1000000000));

    if (p.isSet(QStringLiteral("json"))) {
        auto records = store.records(*filter, LogSort::TimeAscending, pageLimit, *offset);
        if (!records)
            return report(records.error());
        nlohmann::json array = nlohmann::json::array();
        for (const LogRecord &r : std::as_const(*records))
            array.push_back(recordJson(r));
        outJson(array);
        return Ok;
    }

    // One row more than asked tells whether there are more, without counting them all.
    auto rows
        = store.rows(*filter, LogSort::TimeAscending, pageLimit < 0 ? -1 : pageLimit + 1, *offset);
    if (!rows)
        return report(rows.error());
    const bool more = pageLimit >= 0 && rows->size() > pageLimit;
    if (more)
        rows->removeLast();
    if (rows->isEmpty()) {
        out(filter->isEmpty() && *offset == 0 ? QStringLiteral("No log records.\n")
                                              : QStringLiteral("No log records match.\n"));
        return Ok;
    }
    QList<QStringList> lines {{QStringLiteral("ID"), QStringLiteral("TIME"),
                               QStringLiteral("MODEL"), QStringLiteral("STATUS"),
                               QStringLiteral("TOKENS"), QStringLiteral("LATENCY"),
                               QStringLiteral("INPUT")}};
    for (const LogRow &r : std::as_const(*rows))
        lines.append({QString::number(r.id), cell(r.startTime), firstWords(r.model, 32),
                      r.ok ? QStringLiteral("ok") : QStringLiteral("error"),
                      tokens(r.inputTokens, r.outputTokens), latency(r.latencyMs),
                      firstWords(r.inputPreview, 60)});
    out(table(lines, {true, false, false, false, true, true, false}));
    if (more)
        err(QStringLiteral("More records follow: --offset %1 shows the next page.\n")
                .arg(*offset + pageLimit));
    return Ok;
}

// ---- show ------------------------------------------------------------------------------

QString prettyJson(const nlohmann::json &value)
{
    if (value.is_string())
        return qstr(value.get<std::string>());
    return qstr(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString indented(const QString &text)
{
    QString result;
    for (const QString &line : text.split(QLatin1Char('\n')))
        result += QStringLiteral("  ") + line + QLatin1Char('\n');
    return result;
}

/// Message text as a person reads it: JSON pretty-printed, anything else as written.
QString readable(const QString &text)
{
    const QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('{')) || t.startsWith(QLatin1Char('['))) {
        auto parsed = parseJson(t);
        if (parsed && (parsed->is_object() || parsed->is_array()))
            return prettyJson(*parsed);
    }
    return text;
}

QString toolCallsText(const QList<LogToolCall> &calls)
{
    QString text;
    for (const LogToolCall &c : calls) {
        text += QStringLiteral("  -> tool call %1%2\n")
                    .arg(c.name, c.id ? QStringLiteral(" (%1)").arg(*c.id) : QString());
        if (!c.arguments.is_null())
            text += indented(
                QStringLiteral("  ")
                + prettyJson(c.arguments).replace(QLatin1Char('\n'), QStringLiteral("\n  ")));
    }
    return text;
}

QString heading(const QString &title)
{
    return QStringLiteral("\n--- %1 ---\n").arg(title);
}

int show(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show one log record: the conversation (roles, tool calls and results), the output, "
        "timings, tokens, metadata and the other spans of its trace."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Record id (from logs list)."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("logs show"), 2, 2); code >= 0)
        return code;
    bool numeric = false;
    const qint64 id = p.positionalArguments().at(1).toLongLong(&numeric);
    if (!numeric)
        return usageError(
            QStringLiteral("\"%1\" is not a record id").arg(p.positionalArguments().at(1)),
            QStringLiteral("logs show"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    LogStore store(project->db());
    auto record = store.record(id);
    if (!record)
        return report(record.error());
    QList<TraceSpan> spans;
    if (record->traceId) {
        auto trace = store.traceSpans(*record->traceId);
        if (!trace)
            return report(trace.error());
        spans = *trace;
    }

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json j = recordJson(*record);
        j["reasoning"] = optionalJson(record->reasoning);
        j["cost"] = optionalJson(record->cost);
        j["parent_span_id"] = optionalJson(record->parentSpanId);
        j["session_id"] = optionalJson(record->sessionId);
        j["source_file"] = optionalJson(record->sourceFile);
        j["imported_at"] = sstr(record->importedAt);
        nlohmann::json trace = nlohmann::json::array();
        for (const TraceSpan &s : std::as_const(spans))
            trace.push_back(
                {{"span_id", sstr(s.spanId)},
                 {"parent_span_id", optionalJson(s.parentSpanId)},
                 {"name", sstr(s.name)},
                 {"time",
                  s.startMs ? nlohmann::json(sstr(isoFromEpochMs(*s.startMs))) : nlohmann::json()},
                 {"end_time",
                  s.endMs ? nlohmann::json(sstr(isoFromEpochMs(*s.endMs))) : nlohmann::json()},
                 {"status", optionalJson(s.status)}});
        j["trace"] = trace;
        outJson(j);
        return Ok;
    }

    const LogRecord &r = *record;
    QString text = QStringLiteral("Log record %1: %2, %3%4\n")
                       .arg(r.id)
                       .arg(r.startMs ? isoFromEpochMs(*r.startMs) : QStringLiteral("time unknown"),
                            r.model ? *r.model : QStringLiteral("model unknown"),
                            r.provider ? QStringLiteral(" (%1)").arg(*r.provider) : QString());
    text += QStringLiteral("Status: %1\n")
                .arg(r.ok ? QStringLiteral("ok")
                          : QStringLiteral("error")
                             + (r.error ? QStringLiteral(": ") + *r.error : QString()));
    QStringList facts;
    if (r.inputTokens || r.outputTokens)
        facts << QStringLiteral("tokens %1 in, %2 out")
                     .arg(r.inputTokens ? QString::number(*r.inputTokens) : QStringLiteral("?"),
                          r.outputTokens ? QString::number(*r.outputTokens) : QStringLiteral("?"));
    if (r.latencyMs)
        facts << QStringLiteral("latency %1").arg(latency(r.latencyMs));
    if (r.ttftMs)
        facts << QStringLiteral("first token %1").arg(latency(r.ttftMs));
    if (r.cost)
        facts << QStringLiteral("cost $%1").arg(*r.cost, 0, 'g', 6);
    if (r.finishReason)
        facts << QStringLiteral("finish %1").arg(*r.finishReason);
    if (!facts.isEmpty())
        text += facts.join(QStringLiteral(", ")) + QLatin1Char('\n');
    if (r.promptName)
        text += QStringLiteral("Prompt: %1%2\n")
                    .arg(*r.promptName,
                         r.promptVersion ? QStringLiteral("@") + *r.promptVersion : QString());
    if (r.traceId)
        text += QStringLiteral("Trace %1, span %2%3\n")
                    .arg(*r.traceId, cell(r.spanId),
                         r.parentSpanId ? QStringLiteral(" (parent %1)").arg(*r.parentSpanId)
                                        : QString());
    if (r.sessionId)
        text += QStringLiteral("Session: %1\n").arg(*r.sessionId);
    text += QStringLiteral("Source: %1%2\n")
                .arg(r.sourceFormat,
                     r.sourceFile ? QStringLiteral(" (%1)").arg(*r.sourceFile) : QString());

    for (const LogMessage &m : r.messages) {
        text += heading(
            m.toolCallId ? QStringLiteral("%1 (result of %2)").arg(m.role, *m.toolCallId) : m.role);
        if (m.content)
            text += readable(*m.content) + QLatin1Char('\n');
        else if (m.toolCalls.isEmpty())
            text += QStringLiteral("(content unknown or redacted)\n");
        text += toolCallsText(m.toolCalls);
    }
    if (r.reasoning)
        text += heading(QStringLiteral("reasoning")) + *r.reasoning + QLatin1Char('\n');
    text += heading(QStringLiteral("output"));
    if (r.output)
        text += readable(*r.output) + QLatin1Char('\n');
    else if (r.outputToolCalls.isEmpty())
        text += QStringLiteral("(no output recorded)\n");
    text += toolCallsText(r.outputToolCalls);
    if (!r.metadata.is_null() && !r.metadata.empty())
        text += heading(QStringLiteral("metadata")) + prettyJson(r.metadata) + QLatin1Char('\n');
    if (spans.size() > 1) {
        text += heading(QStringLiteral("trace"));
        for (const TraceSpan &s : std::as_const(spans))
            text += QStringLiteral("%1 %2  %3%4\n")
                        .arg(s.spanId == r.spanId ? QStringLiteral("*") : QStringLiteral(" "),
                             s.startMs ? isoFromEpochMs(*s.startMs) : QStringLiteral("-"), s.name,
                             s.status == QStringLiteral("error") ? QStringLiteral(" (error)")
                                                                 : QString());
    }
    out(text);
    return Ok;
}

// ---- to-dataset ------------------------------------------------------------------------

int toDataset(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Turn log records into test cases of a dataset: the records a filter selects (all of "
        "them, or a seeded random --sample), or --ids. With --prompt, the case variables are "
        "recovered by matching each record's messages against that version's template (the "
        "variables it could not recover are listed); without it, the last user message becomes "
        "the variable 'input'. The logged output is kept as the case's production output and "
        "each case links to its record; cases already in the dataset are skipped."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("dataset"), QStringLiteral("Dataset to add the cases to."),
         QStringLiteral("NAME")},
        {QStringLiteral("create"), QStringLiteral("Create the dataset when it does not exist.")},
        {QStringLiteral("prompt"),
         QStringLiteral("Recover the variables of this prompt version (NAME@VERSION or "
                        "NAME@LABEL). It selects the template, not the records."),
         QStringLiteral("NAME@V")},
        {QStringLiteral("ids"),
         QStringLiteral("These records (comma-separated ids) instead of "
                        "a filter."),
         QStringLiteral("ID,...")},
        {QStringLiteral("sample"), QStringLiteral("A random sample of N of the selected records."),
         QStringLiteral("N")},
        {QStringLiteral("seed"),
         QStringLiteral("Seed of the sample (default 0): the same seed "
                        "picks the same records."),
         QStringLiteral("S")},
        {QStringLiteral("expected-from-output"),
         QStringLiteral("Make the logged output the expected answer too.")},
    });
    addFilterOptions(p, false);
    addJsonOption(p);
    const QString help = QStringLiteral("logs to-dataset");
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("dataset")))
        return usageError(QStringLiteral("--dataset is required"), help);
    LogSelection selection;
    auto filter = filterFrom(p, false);
    if (!filter)
        return usageError(filter.error().message, help);
    selection.filter = *filter;
    if (p.isSet(QStringLiteral("ids"))) {
        if (!filter->isEmpty() || p.isSet(QStringLiteral("sample")))
            return usageError(QStringLiteral("--ids cannot be combined with filters or --sample"),
                              help);
        QList<qint64> ids;
        for (const QString &part :
             p.value(QStringLiteral("ids")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const qint64 id = part.trimmed().toLongLong(&ok);
            if (!ok)
                return usageError(QStringLiteral("\"%1\" in --ids is not a record id").arg(part),
                                  help);
            ids.append(id);
        }
        selection.ids = ids;
    }
    if (p.isSet(QStringLiteral("sample"))) {
        auto n = nonNegative(p, QStringLiteral("sample"), 0);
        if (!n)
            return usageError(n.error().message, help);
        selection.sampleSize = int(std::min<qint64>(*n, 1000000000));
    } else if (p.isSet(QStringLiteral("seed"))) {
        return usageError(QStringLiteral("--seed goes with --sample"), help);
    }
    if (p.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        selection.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed must be a whole number >= 0"), help);
    }

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto ids = selectLogIds(project->db(), selection);
    if (!ids)
        return report(ids.error());
    LogsToDatasetOptions options;
    options.dataset = p.value(QStringLiteral("dataset"));
    options.create = p.isSet(QStringLiteral("create"));
    options.prompt = p.value(QStringLiteral("prompt"));
    options.expectedFromOutput = p.isSet(QStringLiteral("expected-from-output"));
    auto summary = addLogsToDataset(project->db(), *ids, options);
    if (!summary)
        return report(summary.error());

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json unrecovered = nlohmann::json::object();
        for (auto it = summary->unrecovered.cbegin(); it != summary->unrecovered.cend(); ++it)
            unrecovered[sstr(it.key())]
                = {{"records", it.value()}, {"reason", sstr(summary->reasons.value(it.key()))}};
        nlohmann::json whole = nlohmann::json::object();
        for (auto it = summary->wholeMessage.cbegin(); it != summary->wholeMessage.cend(); ++it)
            whole[sstr(it.key())]
                = {{"records", it.value()}, {"reason", sstr(summary->reasons.value(it.key()))}};
        nlohmann::json caseIds = nlohmann::json::array();
        for (qint64 id : std::as_const(summary->caseIds))
            caseIds.push_back(id);
        outJson({{"dataset", sstr(summary->dataset)},
                 {"created_dataset", summary->createdDataset},
                 {"prompt",
                  summary->promptVersion.isEmpty() ? nlohmann::json()
                                                   : nlohmann::json(sstr(summary->promptVersion))},
                 {"records", summary->records},
                 {"added", summary->added},
                 {"duplicates", summary->duplicates},
                 {"without_input", summary->withoutInput},
                 {"case_ids", caseIds},
                 {"unrecovered", unrecovered},
                 {"whole_message", whole}});
        return Ok;
    }
    QString text = QStringLiteral("Added %1 to \"%2\"%3 from %4 (%5 skipped).\n")
                       .arg(plural(summary->added, QStringLiteral("case"), QStringLiteral("cases")),
                            summary->dataset,
                            summary->createdDataset ? QStringLiteral(" (new dataset)") : QString(),
                            plural(summary->records, QStringLiteral("log record"),
                                   QStringLiteral("log records")),
                            plural(summary->duplicates, QStringLiteral("duplicate"),
                                   QStringLiteral("duplicates")));
    if (summary->withoutInput > 0)
        text += QStringLiteral("%1 had no user message to take 'input' from and %2 left out.\n")
                    .arg(plural(summary->withoutInput, QStringLiteral("record"),
                                QStringLiteral("records")),
                         summary->withoutInput == 1 ? QStringLiteral("was")
                                                    : QStringLiteral("were"));
    if (!summary->promptVersion.isEmpty()) {
        if (summary->unrecovered.isEmpty() && summary->wholeMessage.isEmpty())
            text += QStringLiteral("Every variable of %1 was recovered.\n")
                        .arg(summary->promptVersion);
        for (auto it = summary->wholeMessage.cbegin(); it != summary->wholeMessage.cend(); ++it)
            text
                += QStringLiteral("'%1' took a whole message in %2: %3.\n")
                       .arg(it.key(),
                            plural(it.value(), QStringLiteral("record"), QStringLiteral("records")),
                            summary->reasons.value(it.key()));
        for (auto it = summary->unrecovered.cbegin(); it != summary->unrecovered.cend(); ++it)
            text
                += QStringLiteral("Could not recover '%1' in %2: %3.\n")
                       .arg(it.key(),
                            plural(it.value(), QStringLiteral("record"), QStringLiteral("records")),
                            summary->reasons.value(it.key()));
    }
    out(text);
    return Ok;
}

} // namespace

int runLogs(const QStringList &args)
{
    const QString sub = args.value(1);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("import"))
        return import(rest);
    if (sub == QLatin1String("list"))
        return list(rest);
    if (sub == QLatin1String("show"))
        return show(rest);
    if (sub == QLatin1String("to-dataset"))
        return toDataset(rest);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(QStringLiteral(
            "Usage: touchstone-cli logs SUBCOMMAND ...\n\n"
            "Production logs in a project:\n"
            "  import FILE SOURCE... [--format NAME] [--strict]\n"
            "  list FILE [--since T] [--until T] [--model M] [--status ok|error] [--search TEXT]\n"
            "       [--prompt NAME[@V]] [--limit N] [--offset N] [--json]\n"
            "  show FILE ID [--json]\n"
            "  to-dataset FILE --dataset NAME [--create] [--prompt NAME@V] [filters as in list]\n"
            "       [--ids ID,...] [--sample N --seed S] [--expected-from-output]\n"
            "\nRun 'touchstone-cli logs SUBCOMMAND --help' for details.\n"));
        return sub.isEmpty() ? BadUsage : Ok;
    }
    return usageError(QStringLiteral("unknown logs subcommand \"%1\"").arg(sub),
                      QStringLiteral("logs"));
}

} // namespace ts::cli
