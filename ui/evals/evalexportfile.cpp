#include "evals/evalexportfile.h"

#include "evals/evalreport.h"
#include "evals/evalresults.h"
#include "evals/evalstatistics.h"
#include "insights/evalcharts.h"
#include "insights/htmlreport.h"
#include "storage/database.h"

#include <QDir>
#include <QSaveFile>

namespace ts {

namespace {

using Format = EvalsController::ExportFormat;

Error cannotWrite(const QString &path, const QSaveFile &file)
{
    return Error {ErrorCode::Io,
                  QStringLiteral("Could not write %1: %2")
                      .arg(QDir::toNativeSeparators(path), file.errorString())};
}

/// Streamed: the verdicts (no text) give the statistics and the order, the records are read
/// a page at a time as they are written.
Result<void> writeStreamed(Database &db, qint64 evalId, Format format, QSaveFile &file,
                           const std::atomic_bool *cancel)
{
    EvalLoadOptions options;
    options.details = false;
    options.statistics = format != Format::Csv; // the CSV has none
    options.cancel = cancel;
    auto verdicts = EvalResults::load(db, evalId, options);
    if (!verdicts)
        return fail(verdicts.error());
    if (format == Format::Csv)
        return writeEvalResultsCsv(db, *verdicts, file);
    if (format == Format::JUnit)
        return writeEvalJunitXml(db, *verdicts, file);
    // Every variant against the first, as the statistics panel opens.
    QList<VariantComparisonResult> comparisons;
    for (int v = 1; v < verdicts->variants.size(); ++v)
        if (auto c = verdicts->compare(0, v))
            comparisons.append(*c);
    return writeEvalReportJson(db, *verdicts, comparisons, file);
}

Result<void> writeHtml(Database &db, qint64 evalId, QSaveFile &file)
{
    auto results = EvalStatistics::loadWhole(db, evalId);
    if (!results)
        return fail(results.error());
    auto charts = loadEvalCharts(db, *results, {});
    if (!charts)
        return fail(charts.error());
    const QByteArray bytes = renderHtmlReport(*results, *charts).toUtf8();
    if (file.write(bytes) != bytes.size())
        return fail(ErrorCode::Io, file.errorString());
    return {};
}

} // namespace

Result<void> writeEvalExportFile(Database &db, qint64 evalId, Format format, const QString &path,
                                 const std::atomic_bool *cancel)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(cannotWrite(path, file));
    auto written = format == Format::Html ? writeHtml(db, evalId, file)
                                          : writeStreamed(db, evalId, format, file, cancel);
    if (!written)
        return written; // QSaveFile leaves the old file as it was
    if (!file.commit())
        return fail(cannotWrite(path, file));
    return {};
}

} // namespace ts
