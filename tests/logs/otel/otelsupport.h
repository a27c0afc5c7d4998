#pragma once

// Shared by the OpenTelemetry-family tests: a sink that keeps what it gets, files written
// into a temporary directory, and small builders for OTLP/JSON attributes.

#include "logs/inputfile.h"
#include "logs/logformat.h"
#include "logs/logrecord.h"
#include "logs/logsink.h"

#include <QFile>
#include <QList>
#include <QPair>
#include <QString>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

namespace ts::test {

using nlohmann::json;

class ListSink final : public LogSink
{
public:
    void record(LogRecord r) override { records << std::move(r); }
    void otherSpan(TraceSpan span) override { others << std::move(span); }
    void malformed(qint64 line, const QString &reason) override { bad << qMakePair(line, reason); }
    bool cancelled() const override { return cancelAfter >= 0 && records.size() >= cancelAfter; }

    QList<LogRecord> records;
    QList<TraceSpan> others;
    QList<QPair<qint64, QString>> bad;
    int cancelAfter = -1;
};

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(bytes);
    return path;
}

/// Reads `path` with the format `formatName` (or the detected one when empty) into the sink,
/// as the importer does: an auxiliary format fills `join`, a main one reads.
inline bool readWith(const QString &path, const QString &formatName, ListSink &sink,
                     LogJoinData &join, QString *error = nullptr)
{
    auto file = InputFile::open(path);
    if (!file) {
        if (error)
            *error = file.error().message;
        return false;
    }
    const LogFormat *format
        = formatName.isEmpty() ? detectLogFormat(file->head()) : findLogFormat(formatName);
    if (!format) {
        if (error)
            *error = QStringLiteral("no format");
        return false;
    }
    auto result
        = format->auxiliary ? format->collect(*file, sink, join) : format->read(*file, sink, join);
    if (!result && error)
        *error = result.error().message;
    return bool(result);
}

inline json str(const std::string &s)
{
    return {{"stringValue", s}};
}
inline json integer(qint64 i)
{
    return {{"intValue", std::to_string(i)}};
}
inline json dbl(double d)
{
    return {{"doubleValue", d}};
}
inline json kv(const std::string &key, json value)
{
    return {{"key", key}, {"value", std::move(value)}};
}
inline json array(std::initializer_list<json> values)
{
    return {{"arrayValue", {{"values", json::array_t(values)}}}};
}
inline json kvlist(std::initializer_list<json> pairs)
{
    return {{"kvlistValue", {{"values", json::array_t(pairs)}}}};
}

/// A span with the given ids and attributes (canonical OTLP/JSON).
inline json span(const std::string &traceId, const std::string &spanId, json attributes,
                 const std::string &name = "chat")
{
    return {{"traceId", traceId},
            {"spanId", spanId},
            {"name", name},
            {"kind", 3},
            {"startTimeUnixNano", "1786550400120000000"},
            {"endTimeUnixNano", "1786550401460000000"},
            {"attributes", std::move(attributes)},
            {"status", json::object()}};
}

/// A TracesData document holding `spans` under one resource and scope.
inline json tracesData(json spans)
{
    return {{"resourceSpans",
             {{{"resource", {{"attributes", {kv("service.name", str("support-bot"))}}}},
               {"scopeSpans",
                {{{"scope", {{"name", "test.instrumentation"}, {"version", "1.0"}}},
                  {"spans", std::move(spans)}}}}}}}};
}

inline QByteArray line(const json &document)
{
    return QByteArray::fromStdString(document.dump()) + '\n';
}

inline QStringList roles(const LogRecord &r)
{
    QStringList out;
    for (const LogMessage &m : r.messages)
        out << m.role;
    return out;
}

} // namespace ts::test
