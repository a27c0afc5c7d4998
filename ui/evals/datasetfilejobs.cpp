#include "evals/datasetfilejobs.h"

#include "storage/project.h"
#include "storage/transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSaveFile>

namespace ts::datasetfiles {

namespace {

constexpr int importChunk = 500; ///< rows written between progress reports and cancel checks
constexpr int progressEveryMs = 50; ///< at most ~20 progress updates a second

} // namespace

Result<ImportSummary> import(WorkContext &ctx, qint64 datasetId, const QString &path,
                             const Progress &progress)
{
    if (!ctx.project)
        return fail(WorkContext::noProject());
    const auto cancelled = [] {
        return fail(ErrorCode::Cancelled,
                    QCoreApplication::translate("ts::DatasetsController",
                                                "cancelled; nothing was imported."));
    };
    auto parsed = importDatasetFile(path);
    if (!parsed)
        return fail(parsed.error());
    const int total = int(parsed->size());
    progress(0, total);
    // One transaction, written in chunks of importChunk rows: all or nothing, with progress and
    // a chance to cancel between them.
    Database &db = ctx.project->db();
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore store(db);
    ImportSummary summary;
    QElapsedTimer sinceReport;
    sinceReport.start();
    for (int from = 0; from < total; from += importChunk) {
        if (ctx.isCancelled())
            return cancelled();
        auto part
            = store.importCases(datasetId, parsed->mid(from, importChunk), CaseSource::Import);
        if (!part)
            return fail(part.error());
        summary.added += part->added;
        summary.skippedDuplicates += part->skippedDuplicates;
        summary.addedIds += part->addedIds;
        summary.idForInput += part->idForInput;
        const int done = std::min(total, from + importChunk);
        if (sinceReport.elapsed() >= progressEveryMs || done == total) {
            progress(done, total);
            sinceReport.restart();
        }
    }
    if (ctx.isCancelled())
        return cancelled();
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return summary;
}

Result<int> exportTo(WorkContext &ctx, qint64 datasetId, const QString &path, ExportFormat format)
{
    if (!ctx.project)
        return fail(WorkContext::noProject());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io, file.errorString());
    auto written = DatasetStore(ctx.project->db()).exportCases(datasetId, format, file, [&] {
        return ctx.isCancelled();
    });
    if (!written)
        return written; // the file is left as it was
    if (!file.commit())
        return fail(ErrorCode::Io, file.errorString());
    return written;
}

} // namespace ts::datasetfiles
