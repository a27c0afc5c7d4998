#include "logs/formats/vendorreaders.h"

#include "logs/inputfile.h"
#include "logs/logrecord.h"
#include "logs/logsink.h"

#include <QRegularExpression>

#include <cmath>
#include <vector>

namespace ts::vendor {

namespace {

const QByteArray kBom = QByteArrayLiteral("\xEF\xBB\xBF");

// The first non-blank byte of `bytes` after a UTF-8 byte order mark, or 0.
char firstByte(const QByteArray &bytes)
{
    qsizetype i = bytes.startsWith(kBom) ? kBom.size() : 0;
    for (; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c;
    }
    return 0;
}

std::string childPath(const std::string &parent, const std::string &key)
{
    return parent.empty() ? key : parent + '.' + key;
}

// A SAX handler that builds only the elements of one array (found by its path) and hands each
// to a callback, so a document of any size is read in memory bounded by its largest element.
class ArrayStreamer
{
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    ArrayStreamer(std::string target, std::map<std::string, json> *scalars,
                  const ObjectHandler &handle, LogSink &sink)
        : m_target(std::move(target))
        , m_scalars(scalars)
        , m_handle(handle)
        , m_sink(sink)
    {
    }

    bool null() { return scalar(json(nullptr)); }
    bool boolean(bool v) { return scalar(json(v)); }
    bool number_integer(number_integer_t v) { return scalar(json(v)); }
    bool number_unsigned(number_unsigned_t v) { return scalar(json(v)); }
    bool number_float(number_float_t v, const string_t &) { return scalar(json(v)); }
    bool string(string_t &v) { return scalar(json(std::move(v))); }
    bool binary(binary_t &) { return scalar(json(nullptr)); }

    bool key(string_t &k)
    {
        if (m_building)
            m_buildKey = k;
        else
            m_key = k;
        return true;
    }

    bool start_object(std::size_t) { return startContainer(json::object()); }
    bool start_array(std::size_t) { return startContainer(json::array()); }
    bool end_object() { return endContainer(); }
    bool end_array() { return endContainer(); }

    bool parse_error(std::size_t position, const std::string &, const json::exception &ex)
    {
        m_errorPosition = qint64(position);
        m_error = QString::fromStdString(ex.what());
        return false;
    }

    bool foundTarget() const { return m_foundTarget; }
    bool building() const { return m_building; }
    qint64 index() const { return m_index; }
    bool sawValue() const { return m_sawValue; }
    const QString &error() const { return m_error; }
    qint64 errorPosition() const { return m_errorPosition; }
    bool stopped() const { return m_stopped; }

private:
    struct Frame
    {
        bool array;
        std::string path;
    };

    bool atTarget() const
    {
        return !m_frames.empty() && m_frames.back().array && m_frames.back().path == m_target;
    }

    // The path a value opened now gets, relative to the document root.
    std::string valuePath() const
    {
        if (m_frames.empty())
            return {};
        const Frame &f = m_frames.back();
        return f.array ? f.path + "[]" : childPath(f.path, m_key);
    }

    bool scalar(json &&v)
    {
        m_sawValue = true;
        if (m_building)
            return addBuilt(std::move(v));
        if (atTarget()) {
            ++m_index;
            m_element = std::move(v);
            return finishElement();
        }
        if (m_scalars && m_frames.size() <= 2 && !m_frames.empty() && !m_frames.back().array)
            (*m_scalars)[valuePath()] = std::move(v);
        return true;
    }

    bool startContainer(json &&c)
    {
        m_sawValue = true;
        if (m_building) {
            json &parent = *m_build.back();
            json *child = nullptr;
            if (parent.is_array()) {
                parent.push_back(std::move(c));
                child = &parent.back();
            } else {
                child = &(parent[m_buildKey] = std::move(c));
            }
            m_build.push_back(child);
            return true;
        }
        if (atTarget()) {
            ++m_index;
            m_building = true;
            m_element = std::move(c);
            m_build.push_back(&m_element);
            return true;
        }
        const bool array = c.is_array();
        m_frames.push_back({array, valuePath()});
        if (array && m_frames.back().path == m_target)
            m_foundTarget = true;
        return true;
    }

    bool endContainer()
    {
        if (m_building) {
            m_build.pop_back();
            if (m_build.empty())
                return finishElement();
            return true;
        }
        if (!m_frames.empty())
            m_frames.pop_back();
        return true;
    }

    bool addBuilt(json &&v)
    {
        json &parent = *m_build.back();
        if (parent.is_array())
            parent.push_back(std::move(v));
        else
            parent[m_buildKey] = std::move(v);
        return true;
    }

    bool finishElement()
    {
        m_building = false;
        m_handle(std::move(m_element), m_index);
        m_element = json();
        if (m_sink.cancelled()) {
            m_stopped = true;
            return false;
        }
        return true;
    }

    std::string m_target;
    std::map<std::string, json> *m_scalars;
    const ObjectHandler &m_handle;
    LogSink &m_sink;
    std::vector<Frame> m_frames;
    std::string m_key;
    bool m_building = false;
    json m_element;
    std::vector<json *> m_build;
    std::string m_buildKey;
    qint64 m_index = 0;
    bool m_foundTarget = false;
    bool m_sawValue = false;
    bool m_stopped = false;
    QString m_error;
    qint64 m_errorPosition = 0;
};

// Collects the key paths of the first record in a file's first bytes; tolerant of the bytes
// ending in the middle of a value.
class HeadScanner
{
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    explicit HeadScanner(std::map<std::string, json> &paths)
        : m_paths(paths)
    {
    }

    bool null() { return scalar(json(nullptr)); }
    bool boolean(bool v) { return scalar(json(v)); }
    bool number_integer(number_integer_t v) { return scalar(json(v)); }
    bool number_unsigned(number_unsigned_t v) { return scalar(json(v)); }
    bool number_float(number_float_t v, const string_t &) { return scalar(json(v)); }
    bool string(string_t &v)
    {
        if (v.size() > 256)
            v.resize(256);
        return scalar(json(std::move(v)));
    }
    bool binary(binary_t &) { return scalar(json(nullptr)); }
    bool key(string_t &k)
    {
        m_key = k;
        return true;
    }
    bool start_object(std::size_t) { return open(false); }
    bool start_array(std::size_t) { return open(true); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string &, const json::exception &) { return false; }

private:
    struct Frame
    {
        bool array;
        std::string path;
    };

    std::string valuePath() const
    {
        if (m_frames.empty())
            return {};
        const Frame &f = m_frames.back();
        return f.array ? f.path + "[]" : childPath(f.path, m_key);
    }

    void put(const std::string &path, json &&v)
    {
        // A root array's elements are the records: drop the leading "[]".
        std::string p = path;
        if (m_rootArray) {
            if (p.rfind("[]", 0) != 0)
                return;
            p.erase(0, p.size() > 2 && p[2] == '.' ? 3 : 2);
        }
        if (!p.empty() && m_paths.size() < 4000 && !m_paths.count(p))
            m_paths.emplace(std::move(p), std::move(v));
    }

    bool scalar(json &&v)
    {
        if (m_frames.size() > 8)
            return true;
        put(valuePath(), std::move(v));
        return true;
    }

    bool open(bool array)
    {
        if (m_frames.empty())
            m_rootArray = array;
        const std::string path = valuePath();
        if (!m_frames.empty() && m_frames.size() <= 8)
            put(path, json(nullptr));
        m_frames.push_back({array, path});
        return true;
    }

    bool close()
    {
        m_frames.pop_back();
        // The first element of a root array is enough.
        return !(m_rootArray && m_frames.size() == 1);
    }

    std::map<std::string, json> &m_paths;
    std::vector<Frame> m_frames;
    std::string m_key;
    bool m_rootArray = false;
};

bool isBlank(const QByteArray &line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

QString locationOf(const InputFile &file)
{
    return file.path();
}

} // namespace

QString HeadInfo::text(const char *path) const
{
    const auto it = paths.find(path);
    if (it == paths.end() || !it->second.is_string())
        return {};
    return QString::fromStdString(it->second.get<std::string>());
}

HeadInfo inspectHead(const QByteArray &head)
{
    HeadInfo info;
    info.first = firstByte(head);
    QByteArray bytes = head.startsWith(kBom) ? head.mid(kBom.size()) : head;
    if (info.first == '{' || info.first == '[') {
        HeadScanner scanner(info.paths);
        std::string text(bytes.constData(), size_t(bytes.size()));
        json::sax_parse(text, &scanner, json::input_format_t::json, false);
    } else if (info.first != 0) {
        const qsizetype end = bytes.indexOf('\n');
        QByteArray line = end < 0 ? bytes : bytes.left(end);
        if (line.endsWith('\r'))
            line.chop(1);
        info.csvHeader = splitCsvRecord(line);
    }
    return info;
}

Result<void> readDocumentArray(InputFile &file, LogSink &sink, const std::string &arrayPath,
                               std::map<std::string, json> *scalars, const ObjectHandler &handle)
{
    ArrayStreamer streamer(arrayPath, scalars, handle, sink);
    std::istream &in = file.stream();
    // A UTF-8 byte order mark is not JSON; skip it.
    if (in.peek() == 0xEF) {
        char bom[3];
        in.read(bom, 3);
        if (!(bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF'))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1: not a JSON document").arg(locationOf(file)));
    }
    json::sax_parse(in, &streamer, json::input_format_t::json, true);
    if (streamer.stopped())
        return {};
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    if (!streamer.error().isEmpty()) {
        if (!streamer.foundTarget() || streamer.index() == 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1: not a JSON document of this format (%2)")
                            .arg(locationOf(file), streamer.error()));
        const qint64 at = streamer.building() ? streamer.index() : streamer.index() + 1;
        sink.malformed(at,
                       QStringLiteral("JSON syntax error at byte %1, the rest of the file "
                                      "was not read: %2")
                           .arg(streamer.errorPosition())
                           .arg(streamer.error()));
        return {};
    }
    if (!streamer.foundTarget()) {
        const QString where = arrayPath.empty()
            ? QStringLiteral("a top-level array")
            : QStringLiteral("an array at \"%1\"").arg(QString::fromStdString(arrayPath));
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: the JSON document has no %2").arg(locationOf(file), where));
    }
    return {};
}

Result<void> readObjects(InputFile &file, LogSink &sink, const ObjectHandler &handle)
{
    if (firstByte(file.head()) == '[') {
        const ObjectHandler onlyObjects = [&](json &&value, qint64 index) {
            if (!value.is_object())
                sink.malformed(index, QStringLiteral("element is not a JSON object"));
            else
                handle(std::move(value), index);
        };
        return readDocumentArray(file, sink, std::string(), nullptr, onlyObjects);
    }
    while (std::optional<QByteArray> line = file.readLine()) {
        if (sink.cancelled())
            return {};
        QByteArray &bytes = *line;
        if (file.lineNumber() == 1 && bytes.startsWith(kBom))
            bytes.remove(0, kBom.size());
        if (isBlank(bytes))
            continue;
        json value = json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
        if (value.is_discarded())
            sink.malformed(file.lineNumber(), QStringLiteral("not valid JSON"));
        else if (!value.is_object())
            sink.malformed(file.lineNumber(), QStringLiteral("not a JSON object"));
        else
            handle(std::move(value), file.lineNumber());
    }
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    return {};
}

QStringList splitCsvRecord(const QByteArray &record)
{
    QStringList cells;
    QByteArray cell;
    bool quoted = false;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const char c = record.at(i);
        if (quoted) {
            if (c == '"') {
                if (i + 1 < record.size() && record.at(i + 1) == '"') {
                    cell.append('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell.append(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.append(QString::fromUtf8(cell));
            cell.clear();
        } else if (c != '\r' || i + 1 < record.size()) {
            cell.append(c);
        }
    }
    cells.append(QString::fromUtf8(cell));
    return cells;
}

Result<void> readCsvObjects(InputFile &file, LogSink &sink, const ObjectHandler &handle)
{
    // A record may span lines while a quoted cell is open: an odd number of quotes so far.
    constexpr qsizetype kMaxRecord = 256 * 1024 * 1024;
    QStringList header;
    QByteArray record;
    qint64 recordLine = 0;
    qsizetype quotes = 0;
    auto finish = [&]() {
        if (header.isEmpty()) {
            header = splitCsvRecord(record);
            return;
        }
        const QStringList cells = splitCsvRecord(record);
        if (cells.size() != header.size()) {
            sink.malformed(recordLine,
                           QStringLiteral("the row has %1 cells, the header %2")
                               .arg(cells.size())
                               .arg(header.size()));
            return;
        }
        json object = json::object();
        for (qsizetype i = 0; i < cells.size(); ++i)
            if (!cells.at(i).isEmpty())
                object[header.at(i).toStdString()] = cells.at(i).toStdString();
        handle(std::move(object), recordLine);
    };
    while (std::optional<QByteArray> line = file.readLine()) {
        if (sink.cancelled())
            return {};
        QByteArray &bytes = *line;
        if (file.lineNumber() == 1 && bytes.startsWith(kBom))
            bytes.remove(0, kBom.size());
        if (record.isEmpty() && quotes == 0) {
            if (isBlank(bytes))
                continue;
            recordLine = file.lineNumber();
        } else {
            record.append('\n');
        }
        record.append(bytes);
        quotes += bytes.count('"');
        if (quotes % 2 == 0) {
            finish();
            record.clear();
            quotes = 0;
        } else if (record.size() > kMaxRecord) {
            sink.malformed(recordLine, QStringLiteral("a quoted cell never ends"));
            return {};
        }
    }
    if (!record.isEmpty())
        sink.malformed(recordLine, QStringLiteral("a quoted cell never ends"));
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    if (header.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: the CSV file has no header row").arg(file.path()));
    return {};
}

// ---- accessors ---------------------------------------------------------------------------

const json *member(const json &value, const char *key)
{
    if (!value.is_object())
        return nullptr;
    const auto it = value.find(key);
    if (it == value.end() || it->is_null())
        return nullptr;
    return &*it;
}

std::optional<QString> text(const json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_string()) {
        const std::string &s = value->get_ref<const std::string &>();
        if (s.empty())
            return std::nullopt;
        return QString::fromStdString(s);
    }
    if (value->is_number() || value->is_boolean())
        return QString::fromStdString(dumpJson(*value));
    return std::nullopt;
}

std::optional<QString> text(const json &value, const char *key)
{
    return text(member(value, key));
}

std::optional<double> number(const json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number())
        return value->get<double>();
    if (value->is_string()) {
        bool ok = false;
        const double d = QString::fromStdString(value->get<std::string>()).trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

std::optional<double> number(const json &value, const char *key)
{
    return number(member(value, key));
}

std::optional<qint64> integer(const json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number_integer())
        return value->get<qint64>();
    const std::optional<double> d = number(value);
    if (!d || std::fabs(*d) > 9e18)
        return std::nullopt;
    return qint64(std::llround(*d));
}

std::optional<qint64> integer(const json &value, const char *key)
{
    return integer(member(value, key));
}

namespace {

std::optional<qint64> epochNumberMs(double v)
{
    if (!std::isfinite(v) || v <= 0)
        return std::nullopt;
    const double a = std::fabs(v);
    if (a < 1e11)
        return qint64(std::llround(v * 1000.0)); // seconds
    if (a < 1e14)
        return qint64(std::llround(v)); // milliseconds
    if (a < 1e17)
        return qint64(std::llround(v / 1000.0)); // microseconds
    return qint64(std::llround(v / 1e6)); // nanoseconds
}

} // namespace

std::optional<qint64> timeMs(const json *value)
{
    if (!value)
        return std::nullopt;
    if (value->is_number())
        return epochNumberMs(value->get<double>());
    if (!value->is_string())
        return std::nullopt;
    QString s = QString::fromStdString(value->get<std::string>()).trimmed();
    if (s.isEmpty())
        return std::nullopt;
    bool numeric = false;
    const double d = s.toDouble(&numeric);
    if (numeric)
        return epochNumberMs(d);
    // "2024-05-29 13:46:19.963000" (Langfuse exports) and microsecond fractions (LangSmith).
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC)?$)"));
    const QRegularExpressionMatch m = re.match(s);
    if (m.hasMatch()) {
        QString fraction = m.captured(3);
        fraction = fraction.isEmpty() ? QString() : QStringLiteral(".") + fraction.left(3);
        QString zone = m.captured(4);
        if (zone.isEmpty() || zone == QLatin1String("UTC") || zone == QLatin1String("z"))
            zone = QStringLiteral("Z");
        s = m.captured(1) + QLatin1Char('T') + m.captured(2) + fraction + zone;
    }
    return epochMsFromText(s);
}

json unwrapJsonText(const json &value)
{
    if (!value.is_string())
        return value;
    const std::string &s = value.get_ref<const std::string &>();
    const size_t start = s.find_first_not_of(" \t\r\n");
    if (start == std::string::npos || (s[start] != '{' && s[start] != '['))
        return value;
    json parsed = json::parse(s, nullptr, false);
    if (parsed.is_discarded())
        return value;
    return parsed;
}

std::string dumpJson(const json &value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void putMeta(json &metadata, const std::string &key, const json &value)
{
    if (value.is_null() || (value.is_string() && value.get_ref<const std::string &>().empty())
        || (value.is_structured() && value.empty()))
        return;
    metadata[key] = value;
}

void mergeMeta(json &metadata, const json &object)
{
    if (!object.is_object())
        return;
    for (auto it = object.begin(); it != object.end(); ++it)
        putMeta(metadata, it.key(), it.value());
}

} // namespace ts::vendor
