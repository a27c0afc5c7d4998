#include "logs/todataset/logstodataset.h"

#include "datasets/datasetstore.h"
#include "logs/logstore.h"
#include "logs/todataset/templateinversion.h"
#include "prompts/promptstore.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace ts {

Result<QList<qint64>> selectLogIds(Database &db, const LogSelection &selection)
{
    LogStore store(db);
    if (selection.ids) {
        for (qint64 id : *selection.ids)
            if (auto r = store.record(id); !r)
                return fail(r.error().code, QStringLiteral("No log record with id %1.").arg(id));
        return *selection.ids;
    }
    if (selection.sampleSize) {
        if (*selection.sampleSize < 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("A sample size cannot be negative."));
        return store.sample(selection.filter, *selection.sampleSize, selection.seed);
    }
    return store.ids(selection.filter, LogSort::TimeAscending);
}

Result<LogsToDatasetSummary> addLogsToDataset(Database &db, const QList<qint64> &logIds,
                                              const LogsToDatasetOptions &options)
{
    LogsToDatasetSummary summary;
    summary.records = int(logIds.size());

    std::optional<PromptVersion> version;
    if (!options.prompt.isEmpty()) {
        auto resolved = PromptStore(db).resolve(options.prompt);
        if (!resolved)
            return fail(resolved.error());
        version = *resolved;
        summary.promptVersion
            = QStringLiteral("%1@%2").arg(resolved->promptName).arg(resolved->number);
    }

    LogStore logs(db);
    QList<TestCaseData> cases;
    QList<CaseOrigin> origins;
    cases.reserve(logIds.size());
    origins.reserve(logIds.size());
    for (qint64 id : logIds) {
        auto record = logs.record(id);
        if (!record)
            return fail(record.error().code,
                        QStringLiteral("Log record %1: %2").arg(id).arg(record.error().message));
        const TemplateInversion inv = version ? invertTemplate(version->content, record->messages)
                                              : inputFromLastUserMessage(record->messages);
        if (!version && !inv.unrecovered().isEmpty()) {
            ++summary.withoutInput;
            continue;
        }
        for (const RecoveredVariable &v : inv.variables) {
            if (v.status == RecoveredVariable::Status::Captured)
                continue;
            QMap<QString, int> &counts = v.status == RecoveredVariable::Status::Unrecovered
                ? summary.unrecovered
                : summary.wholeMessage;
            ++counts[v.name];
            if (!summary.reasons.contains(v.name))
                summary.reasons.insert(v.name, v.reason);
        }
        TestCaseData data;
        data.vars = inv.vars;
        if (options.expectedFromOutput)
            data.expected = record->output;
        cases.append(data);
        origins.append({record->output, record->id});
    }

    // Creating the dataset and adding its cases is one transaction: a failure leaves no
    // empty dataset behind.
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore datasets(db);
    auto dataset = datasets.dataset(options.dataset);
    if (!dataset && dataset.error().code == ErrorCode::NotFound && options.create) {
        dataset = datasets.createDataset(options.dataset);
        summary.createdDataset = bool(dataset);
    } else if (!dataset && dataset.error().code == ErrorCode::NotFound) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("No dataset named \"%1\" (create it, or add --create).")
                        .arg(options.dataset));
    }
    if (!dataset)
        return fail(dataset.error());
    summary.dataset = dataset->name;
    summary.datasetId = dataset->id;
    auto imported = datasets.importCases(dataset->id, cases, CaseSource::Log, origins);
    if (!imported)
        return fail(imported.error());
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    summary.added = imported->added;
    summary.duplicates = imported->skippedDuplicates;
    summary.caseIds = imported->addedIds;
    return summary;
}

} // namespace ts
