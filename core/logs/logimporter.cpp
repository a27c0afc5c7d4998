#include "logs/logimporter.h"

#include "logs/inputfile.h"
#include "logs/logbatchwriter.h"
#include "logs/logformat.h"
#include "logs/logrowvalues.h"
#include "logs/logsink.h"
#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/transaction.h"

#include <algorithm>
#include <optional>

namespace ts {

namespace {

constexpr int maxProblems = 1000;

/// Batches what the readers hand over into store transactions and keeps the counts.
class StoreSink final : public LogSink
{
public:
    StoreSink(LogBatchWriter &writer, const LogImportOptions &options, LogImportSummary &summary)
        : m_writer(writer)
        , m_options(options)
        , m_summary(summary)
    {
    }

    void setFile(const QString &path, const QString &format, qint64 doneBefore, InputFile *file)
    {
        m_path = path;
        m_format = format;
        m_doneBefore = doneBefore;
        m_file = file;
    }

    void record(LogRecord record) override
    {
        if (m_writer.failed())
            return;
        if (record.sourceFormat.isEmpty())
            record.sourceFormat = m_format;
        if (!record.sourceFile)
            record.sourceFile = m_path;
        // Serialized here, on the reading thread, so the writer thread only stores.
        m_records.append(LogRowValues::from(record));
        if (m_records.size() >= m_options.batchSize)
            flush();
    }

    void otherSpan(TraceSpan span) override
    {
        if (m_writer.failed())
            return;
        ++m_summary.notLlmCalls;
        m_spans.append(std::move(span));
        if (m_spans.size() >= m_options.batchSize)
            flush();
    }

    void malformed(qint64 line, const QString &reason) override
    {
        ++m_summary.malformed;
        if (m_summary.problems.size() < maxProblems)
            m_summary.problems.append(
                QStringLiteral("%1:%2: %3").arg(m_path).arg(line).arg(reason));
    }

    bool cancelled() const override
    {
        return m_writer.failed() || (m_options.cancel && m_options.cancel->load());
    }

    /// Hands the batch to the writer thread (storing overlaps with parsing the next one).
    void flush()
    {
        m_writer.submit(std::move(m_records), std::move(m_spans));
        m_records.clear();
        m_spans.clear();
        reportProgress();
    }

    void reportProgress()
    {
        if (m_options.progress && m_file)
            m_options.progress(m_doneBefore + m_file->position(), m_total);
    }

    void setTotal(qint64 total) { m_total = total; }

private:
    LogBatchWriter &m_writer;
    const LogImportOptions &m_options;
    LogImportSummary &m_summary;
    QList<LogRowValues> m_records;
    QList<TraceSpan> m_spans;
    QString m_path;
    QString m_format;
    qint64 m_doneBefore = 0;
    qint64 m_total = 0;
    InputFile *m_file = nullptr;
};

QString formatNames()
{
    QStringList names;
    for (const LogFormat &f : logFormats())
        names.append(f.name);
    return names.join(QStringLiteral(", "));
}

} // namespace

LogImporter::LogImporter(Database &db)
    : m_db(db)
{
}

Result<LogImportSummary> LogImporter::run(const QStringList &files, const LogImportOptions &options)
{
    if (files.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No log files to import."));
    const LogFormat *forced = nullptr;
    if (!options.format.isEmpty()) {
        forced = findLogFormat(options.format);
        if (!forced)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Unknown log format \"%1\". Known formats: %2.")
                            .arg(options.format, formatNames()));
    }

    // Open and identify every file before importing anything: a file in no known format
    // refuses the whole import.
    struct Input
    {
        InputFile file;
        const LogFormat *format;
    };
    std::vector<Input> inputs;
    qint64 total = 0;
    for (const QString &path : files) {
        auto file = InputFile::open(path);
        if (!file)
            return fail(file.error());
        const LogFormat *detected = detectLogFormat(file->head());
        const LogFormat *format = detected;
        if (forced && !(detected && detected->auxiliary && !forced->auxiliary))
            format = forced;
        if (!format) {
            const QString why = file->head().trimmed().isEmpty()
                ? QStringLiteral("the file is empty")
                : QStringLiteral("its content matches none of them");
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1: not a log format Touchstone knows (tried %2; %3). "
                                       "Use --format to force one.")
                            .arg(path, formatNames(), why));
        }
        total += file->size();
        inputs.push_back(Input {std::move(*file), format});
    }

    // Eight indexes and the FTS index over a few hundred thousand rows thrash SQLite's default
    // 2 MB page cache; 64 MB keeps their hot pages in memory for the import.
    (void)m_db.exec(QStringLiteral("PRAGMA cache_size = -65536"));

    // An auxiliary file alone (OTLP logs, a Batch input) holds no calls of its own: say so
    // rather than import nothing.
    if (std::all_of(inputs.begin(), inputs.end(),
                    [](const Input &in) { return in.format->auxiliary; }))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 is an %2: it only completes another file. Import it "
                                   "together with that file in one command.")
                        .arg(inputs.front().file.path(), inputs.front().format->description));

    LogImportSummary summary;
    for (const Input &in : inputs)
        summary.formats.append(in.format->name);
    LogStore store(m_db);
    auto importId = store.beginImport(files.join(QStringLiteral(", ")),
                                      summary.formats.join(QStringLiteral(", ")));
    if (!importId)
        return fail(importId.error());
    summary.importId = *importId;

    // --strict: one transaction for everything, rolled back at the first malformed record.
    std::optional<Transaction> strictTx;
    if (options.strict) {
        auto tx = Transaction::begin(m_db);
        if (!tx)
            return fail(tx.error());
        strictTx.emplace(std::move(*tx));
    }

    LogBatchWriter writer(store);
    StoreSink sink(writer, options, summary);
    sink.setTotal(total);
    LogJoinData join;
    qint64 doneBefore = 0;
    std::optional<Error> fatal;
    // Auxiliary files first, so that the main files can join against them.
    for (int pass = 0; pass < 2 && !fatal; ++pass) {
        for (Input &in : inputs) {
            const bool auxiliary = in.format->auxiliary;
            if ((pass == 0) != auxiliary)
                continue;
            sink.setFile(in.file.path(), in.format->name, doneBefore, &in.file);
            Result<void> ok = auxiliary ? in.format->collect(in.file, sink, join)
                                        : in.format->read(in.file, sink, join);
            if (ok && in.file.failed())
                ok = fail(ErrorCode::InvalidArgument,
                          QStringLiteral("%1: the file is damaged after line %2 (%3)")
                              .arg(in.file.path())
                              .arg(in.file.lineNumber())
                              .arg(in.file.errorString()));
            if (!ok) {
                fatal = ok.error();
                break;
            }
            sink.flush();
            doneBefore += in.file.size();
            if (sink.cancelled())
                break;
        }
    }
    sink.flush();
    writer.finish();
    summary.imported = writer.added();
    summary.duplicates = writer.duplicates();
    if (auto failure = writer.error(); failure && !fatal)
        fatal = *failure;
    summary.cancelled = !fatal && options.cancel && options.cancel->load();

    if (strictTx) {
        if (fatal || summary.malformed > 0 || summary.cancelled) {
            strictTx.reset(); // rolls back
            summary.rolledBack = summary.malformed > 0;
            summary.imported = 0;
            summary.duplicates = 0;
        } else if (auto ok = strictTx->commit(); !ok) {
            return fail(ok.error());
        }
    }

    const QString status = fatal ? QStringLiteral("failed")
        : summary.cancelled      ? QStringLiteral("cancelled")
        : summary.rolledBack     ? QStringLiteral("failed")
                                 : QStringLiteral("completed");
    LogStore::ImportCounts counts {summary.imported, summary.duplicates, summary.malformed,
                                   summary.notLlmCalls};
    (void)store.updateImport(summary.importId, counts, status);
    if (fatal)
        return fail(*fatal);
    return summary;
}

} // namespace ts
