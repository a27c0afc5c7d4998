#pragma once

// A LogSink that keeps what a reader hands it, and helpers to run one format over a file the
// test writes, for the vendor-format tests.

#include "logs/inputfile.h"
#include "logs/logformat.h"
#include "logs/logsink.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <utility>

namespace ts::test {

class CollectingSink final : public LogSink
{
public:
    void record(LogRecord record) override { records.append(std::move(record)); }
    void otherSpan(TraceSpan span) override { spans.append(std::move(span)); }
    void malformed(qint64 line, const QString &reason) override
    {
        malformedLines.append(line);
        reasons.append(reason);
    }
    bool cancelled() const override { return stopAfter >= 0 && records.size() >= stopAfter; }

    QList<LogRecord> records;
    QList<TraceSpan> spans;
    QList<qint64> malformedLines;
    QStringList reasons;
    qsizetype stopAfter = -1;
};

/// The metadata value at a path of keys, null when absent.
inline nlohmann::json meta(const LogRecord &record, std::initializer_list<const char *> path)
{
    const nlohmann::json *v = &record.metadata;
    for (const char *key : path) {
        if (!v->is_object() || !v->contains(key))
            return nullptr;
        v = &v->at(key);
    }
    return *v;
}

/// Epoch milliseconds of an ISO 8601 UTC time written in the test.
inline qint64 utcMs(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

/// Writes `content` to `name` in `dir` and returns its path.
inline QString writeFile(const QTemporaryDir &dir, const char *name, const QByteArray &content)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

/// The name of the format detection picks for the file at `path` ("" for none).
inline QString detectedFormat(const QString &path)
{
    Result<InputFile> file = InputFile::open(path);
    if (!file)
        return QStringLiteral("<cannot open>");
    const LogFormat *format = detectLogFormat(file->head());
    return format ? format->name : QString();
}

/// Reads the file at `path` as `formatName` into `sink` (collecting auxiliary files first into
/// `join`). Returns the reader's result.
inline Result<void> readAs(const QString &formatName, const QString &path, CollectingSink &sink,
                           LogJoinData join = {})
{
    const LogFormat *format = findLogFormat(formatName);
    if (!format || !format->read)
        return fail(ErrorCode::NotFound, QStringLiteral("no readable format ") + formatName);
    Result<InputFile> file = InputFile::open(path);
    if (!file)
        return fail(file.error());
    return format->read(*file, sink, join);
}

inline Result<void> collectAs(const QString &formatName, const QString &path, CollectingSink &sink,
                              LogJoinData &join)
{
    const LogFormat *format = findLogFormat(formatName);
    if (!format || !format->collect)
        return fail(ErrorCode::NotFound, QStringLiteral("no auxiliary format ") + formatName);
    Result<InputFile> file = InputFile::open(path);
    if (!file)
        return fail(file.error());
    return format->collect(*file, sink, join);
}

} // namespace ts::test
