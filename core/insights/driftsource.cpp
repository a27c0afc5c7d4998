#include "insights/driftsource.h"

#include "datasets/datasetstore.h"
#include "evals/jsonschema.h"
#include "logs/logstore.h"
#include "prompts/promptstore.h"
#include "runs/promptrenderer.h"

#include <QHash>
#include <QRegularExpression>

namespace ts {

namespace {

std::shared_ptr<const JsonSchemaValidator> validatorOf(const PromptVersion &version)
{
    if (!version.content.responseSchema)
        return nullptr;
    auto v = JsonSchemaValidator::create(*version.content.responseSchema);
    return v ? std::make_shared<const JsonSchemaValidator>(std::move(*v)) : nullptr;
}

Result<std::optional<qint64>> timeBound(const QString &raw, bool end, const QString &spec)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return std::optional<qint64>();
    const std::optional<qint64> ms = epochMsFromText(text);
    if (!ms)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("\"%1\" in \"%2\" is not an ISO 8601 date or time "
                                   "(e.g. 2026-11-30 or 2026-11-30T12:00:00Z)")
                        .arg(text, spec));
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    // A date alone as the end includes that whole day (UTC).
    if (end && dateOnly.match(text).hasMatch())
        return std::optional<qint64>(*ms + 86400000);
    return std::optional<qint64>(*ms);
}

Result<DriftSourceData> loadDataset(Database &db, const DriftSourceSpec &spec)
{
    DatasetStore datasets(db);
    PromptStore prompts(db);
    const QString &text = spec.datasetAndPrompt;
    // Dataset names may contain '@', prompt names may not: try each '@' from the left.
    std::optional<Error> firstError;
    for (qsizetype at = text.indexOf(QLatin1Char('@')); at > 0;
         at = text.indexOf(QLatin1Char('@'), at + 1)) {
        auto dataset = datasets.dataset(text.left(at));
        if (!dataset) {
            if (!firstError)
                firstError = dataset.error();
            continue;
        }
        auto version = prompts.resolve(text.mid(at + 1));
        if (!version) {
            if (!firstError)
                firstError = version.error();
            continue;
        }
        auto cases = datasets.cases(dataset->id);
        if (!cases)
            return fail(cases.error());
        DriftSourceData data;
        data.schema = validatorOf(*version);
        data.description = QStringLiteral("dataset \"%1\" rendered with %2@%3")
                               .arg(dataset->name, version->promptName)
                               .arg(version->number);
        for (const TestCase &c : *cases) {
            auto messages = renderPrompt(version->content, c.data.vars);
            if (!messages)
                return fail(ErrorCode::Template,
                            QStringLiteral("Case %1 of \"%2\" does not render with %3@%4: %5")
                                .arg(c.position + 1)
                                .arg(dataset->name, version->promptName)
                                .arg(version->number)
                                .arg(messages.error().message));
            QStringList parts;
            for (const ChatMessage &m : *messages)
                parts.append(m.content);
            DriftRecord r;
            r.id = c.id;
            r.input = parts.join(QLatin1Char('\n'));
            r.output = c.data.expected;
            r.schema = data.schema;
            data.records.append(std::move(r));
        }
        return data;
    }
    if (firstError)
        return fail(*firstError);
    return fail(ErrorCode::InvalidArgument,
                QStringLiteral("\"%1\" names no prompt: use dataset:NAME@PROMPT[@VERSION|@LABEL]")
                    .arg(spec.text));
}

Result<DriftSourceData> loadLogs(Database &db, const DriftSourceSpec &spec,
                                 const std::shared_ptr<const JsonSchemaValidator> &fallback)
{
    LogStore logs(db);
    PromptStore prompts(db);
    LogFilter filter;
    filter.sinceMs = spec.sinceMs;
    filter.untilMs = spec.untilMs;
    QHash<QString, std::shared_ptr<const JsonSchemaValidator>> schemas;
    DriftSourceData data;
    data.description = QStringLiteral("logs %1").arg(spec.text.mid(5));
    const int page = 5000;
    for (qint64 offset = 0;; offset += page) {
        auto records = logs.records(filter, LogSort::TimeAscending, page, offset);
        if (!records)
            return fail(records.error());
        for (const LogRecord &l : *records) {
            DriftRecord r;
            r.id = l.id;
            r.timeMs = l.startMs;
            r.input = l.inputText();
            r.output = l.output;
            r.schema = fallback;
            if (l.promptName) {
                const QString ref = l.promptVersion
                    ? *l.promptName + QLatin1Char('@') + *l.promptVersion
                    : *l.promptName;
                auto it = schemas.find(ref);
                if (it == schemas.end()) {
                    auto version = prompts.resolve(ref);
                    it = schemas.insert(ref, version ? validatorOf(*version) : nullptr);
                }
                if (it.value())
                    r.schema = it.value();
            }
            data.records.append(std::move(r));
        }
        if (records->size() < page)
            break;
    }
    return data;
}

} // namespace

Result<DriftSourceSpec> parseDriftSource(const QString &text)
{
    DriftSourceSpec spec;
    spec.text = text;
    if (text.startsWith(QLatin1String("dataset:"))) {
        spec.kind = DriftSourceSpec::Kind::Dataset;
        spec.datasetAndPrompt = text.mid(8);
        if (!spec.datasetAndPrompt.contains(QLatin1Char('@'))
            || spec.datasetAndPrompt.startsWith(QLatin1Char('@')))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("\"%1\": use dataset:NAME@PROMPT[@VERSION|@LABEL], e.g. "
                                       "dataset:tickets@support@production")
                            .arg(text));
        return spec;
    }
    if (text.startsWith(QLatin1String("logs:"))) {
        const QString range = text.mid(5);
        const qsizetype dots = range.indexOf(QLatin1String(".."));
        if (dots < 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("\"%1\": use logs:FROM..TO (ISO dates or times; either may "
                                       "be empty, e.g. logs:2026-11-01..)")
                            .arg(text));
        auto since = timeBound(range.left(dots), false, text);
        if (!since)
            return fail(since.error());
        auto until = timeBound(range.mid(dots + 2), true, text);
        if (!until)
            return fail(until.error());
        spec.sinceMs = *since;
        spec.untilMs = *until;
        if (spec.sinceMs && spec.untilMs && *spec.untilMs <= *spec.sinceMs)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("\"%1\": the range ends before it starts").arg(text));
        return spec;
    }
    return fail(
        ErrorCode::InvalidArgument,
        QStringLiteral("\"%1\" is neither dataset:NAME@PROMPTREF nor logs:FROM..TO").arg(text));
}

Result<DriftSourceData> loadDriftSource(Database &db, const DriftSourceSpec &spec,
                                        const std::shared_ptr<const JsonSchemaValidator> &fallback)
{
    return spec.kind == DriftSourceSpec::Kind::Dataset ? loadDataset(db, spec)
                                                       : loadLogs(db, spec, fallback);
}

} // namespace ts
