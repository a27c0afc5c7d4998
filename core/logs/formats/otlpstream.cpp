#include "logs/formats/otlpstream.h"

#include "logs/formats/fastjson.h"
#include "logs/formats/otlpjson.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

#include <QList>

#include <istream>
#include <vector>

namespace ts::otlp {

using nlohmann::json;

namespace {

struct Keys
{
    std::string_view resources, resourcesSnake;
    std::string_view scopes, scopesSnake, legacyScopes, legacyScopesSnake;
    std::string_view items, itemsSnake;
};

const Keys &keysOf(Signal signal)
{
    static const Keys traces {"resourceSpans",
                              "resource_spans",
                              "scopeSpans",
                              "scope_spans",
                              "instrumentationLibrarySpans",
                              "instrumentation_library_spans",
                              "spans",
                              "spans"};
    static const Keys logs {"resourceLogs",
                            "resource_logs",
                            "scopeLogs",
                            "scope_logs",
                            "instrumentationLibraryLogs",
                            "instrumentation_library_logs",
                            "logRecords",
                            "log_records"};
    return signal == Signal::Traces ? traces : logs;
}

bool isScopeList(const Keys &k, std::string_view key)
{
    return key == k.scopes || key == k.scopesSnake || key == k.legacyScopes
        || key == k.legacyScopesSnake;
}

bool isScopeObject(std::string_view key)
{
    return key == "scope" || key == "instrumentationLibrary" || key == "instrumentation_library";
}

// A SAX handler that follows the path root.resourceX[].scopeX[].items[] and builds only the
// items (and the resource and scope objects) as DOM values, one at a time.
class Walker final : public nlohmann::json_sax<json>
{
public:
    Walker(Signal signal, const ItemHandler &handle, qint64 &index)
        : m_keys(keysOf(signal))
        , m_handle(handle)
        , m_index(index)
    {
    }

    bool stopped() const { return m_stopped; }
    bool notADocument() const { return m_notADocument; }
    bool sawDocument() const { return m_sawDocument; }
    const std::string &error() const { return m_error; }

    bool null() override { return value(nullptr); }
    bool boolean(bool v) override { return value(v); }
    bool number_integer(number_integer_t v) override { return value(v); }
    bool number_unsigned(number_unsigned_t v) override { return value(v); }
    bool number_float(number_float_t v, const string_t &) override { return value(v); }
    bool string(string_t &v) override { return value(std::move(v)); }
    bool binary(binary_t &) override { return value(nullptr); }

    bool key(string_t &k) override
    {
        if (!m_dom.empty())
            m_domKey = std::move(k);
        else
            m_key = std::move(k);
        return true;
    }

    bool start_object(std::size_t) override
    {
        if (!m_dom.empty())
            return domOpen(json::object());
        const Role role = childRole(/*isObject=*/true);
        if (role == Role::Invalid) {
            m_error = "\"" + m_key + "\" is not an array";
            m_notADocument = true;
            return false;
        }
        if (role == Role::Capture || role == Role::CaptureResource || role == Role::CaptureScope) {
            m_captureRole = role;
            m_captured = json::object();
            m_dom.push_back(&m_captured);
            return true;
        }
        if (role == Role::Resource) {
            m_resource = json::object();
            m_scope = json::object();
        } else if (role == Role::Scope) {
            m_scope = json::object();
        } else if (role == Role::Root) {
            m_sawDocument = true;
        }
        m_frames.push_back(role);
        return true;
    }

    bool end_object() override
    {
        if (!m_dom.empty()) {
            m_dom.pop_back();
            return m_dom.empty() ? finishCapture() : true;
        }
        m_frames.pop_back();
        return true;
    }

    bool start_array(std::size_t) override
    {
        if (!m_dom.empty())
            return domOpen(json::array());
        if (m_frames.empty()) {
            m_error = "the document is a JSON array, not an object";
            m_notADocument = true;
            return false;
        }
        const Role role = childRole(/*isObject=*/false);
        m_frames.push_back(role);
        return true;
    }

    bool end_array() override
    {
        if (!m_dom.empty()) {
            m_dom.pop_back();
            return true;
        }
        m_frames.pop_back();
        return true;
    }

    bool parse_error(std::size_t, const std::string &,
                     const nlohmann::detail::exception &ex) override
    {
        m_error = ex.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> the message
        if (auto bracket = m_error.find("] "); bracket != std::string::npos)
            m_error = m_error.substr(bracket + 2);
        return false;
    }

private:
    enum class Role {
        Root,
        ResourceList,
        Resource,
        ScopeList,
        Scope,
        ItemList,
        Capture,
        CaptureResource,
        CaptureScope,
        Ignore,
        Invalid
    };

    Role childRole(bool isObject) const
    {
        if (m_frames.empty())
            return isObject ? Role::Root : Role::Ignore;
        const Role parent = m_frames.back();
        switch (parent) {
        case Role::Root:
            if (m_key == m_keys.resources || m_key == m_keys.resourcesSnake)
                return isObject ? Role::Invalid : Role::ResourceList;
            return Role::Ignore;
        case Role::ResourceList:
            return isObject ? Role::Resource : Role::Ignore;
        case Role::Resource:
            if (isObject && m_key == "resource")
                return Role::CaptureResource;
            if (!isObject && isScopeList(m_keys, m_key))
                return Role::ScopeList;
            return Role::Ignore;
        case Role::ScopeList:
            return isObject ? Role::Scope : Role::Ignore;
        case Role::Scope:
            if (isObject && isScopeObject(m_key))
                return Role::CaptureScope;
            if (!isObject && (m_key == m_keys.items || m_key == m_keys.itemsSnake))
                return Role::ItemList;
            return Role::Ignore;
        case Role::ItemList:
            return isObject ? Role::Capture : Role::Ignore;
        default:
            return Role::Ignore;
        }
    }

    bool domOpen(json container)
    {
        json *parent = m_dom.back();
        json *slot = nullptr;
        if (parent->is_array()) {
            parent->push_back(std::move(container));
            slot = &parent->back();
        } else {
            slot = &((*parent)[m_domKey] = std::move(container));
        }
        m_dom.push_back(slot);
        return true;
    }

    bool value(json v)
    {
        if (!m_dom.empty()) {
            json *parent = m_dom.back();
            if (parent->is_array())
                parent->push_back(std::move(v));
            else
                (*parent)[m_domKey] = std::move(v);
            return true;
        }
        if (m_frames.empty()) {
            m_notADocument = true; // a bare scalar is no OTLP document
            return true;
        }
        if (m_frames.back() == Role::ItemList) {
            // An item that is not an object: the handler reports it as malformed.
            m_captureRole = Role::Capture;
            m_captured = std::move(v);
            return finishCapture();
        }
        if (m_frames.back() == Role::Root
            && (m_key == m_keys.resources || m_key == m_keys.resourcesSnake) && !v.is_null()) {
            m_error = "\"" + m_key + "\" is not an array";
            m_notADocument = true;
            return false;
        }
        return true;
    }

    bool finishCapture()
    {
        switch (m_captureRole) {
        case Role::CaptureResource:
            m_resource = resourceInfo(m_captured);
            break;
        case Role::CaptureScope:
            m_scope = scopeInfo(m_captured);
            break;
        default:
            if (!m_handle(m_captured, m_resource, m_scope, ++m_index)) {
                m_stopped = true;
                return false;
            }
            break;
        }
        m_captured = nullptr;
        return true;
    }

    const Keys &m_keys;
    const ItemHandler &m_handle;
    qint64 &m_index;
    std::vector<Role> m_frames;
    std::string m_key;
    std::vector<json *> m_dom;
    std::string m_domKey;
    json m_captured;
    Role m_captureRole = Role::Capture;
    json m_resource = json::object();
    json m_scope = json::object();
    bool m_stopped = false;
    bool m_notADocument = false;
    bool m_sawDocument = false;
    std::string m_error;
};

// JSON Lines when one of the first complete lines is a whole document on its own; one
// (pretty-printed or huge) document otherwise.
bool isJsonLines(const QByteArray &head, Signal signal)
{
    const Keys &k = keysOf(signal);
    auto isDocument = [&](const char *begin, const char *end) {
        const json doc = json::parse(begin, end, nullptr, false);
        return doc.is_object() && member(doc, k.resources, k.resourcesSnake) != nullptr;
    };
    qsizetype from = 0;
    int lines = 0;
    while (lines < 3 && from < head.size()) {
        const qsizetype end = head.indexOf('\n', from);
        if (end < 0) {
            // One line without a newline: the whole file when it is shorter than the head.
            return lines == 0 && head.size() < 60 * 1024
                && isDocument(head.constData() + from, head.constData() + head.size());
        }
        const QByteArray line = head.mid(from, end - from).trimmed();
        from = end + 1;
        if (line.isEmpty())
            continue;
        ++lines;
        if (isDocument(line.constData(), line.constData() + line.size()))
            return true;
    }
    return false;
}

Result<void> readLines(InputFile &file, Signal signal, LogSink &sink, const ItemHandler &handle,
                       const LineReader &fastLine)
{
    const Keys &k = keysOf(signal);
    bool anyDocument = false;
    bool anyBad = false;
    while (auto line = file.readLineView()) {
        if (sink.cancelled())
            return {};
        const qint64 number = file.lineNumber();
        const QByteArrayView trimmed = line->trimmed();
        if (trimmed.isEmpty())
            continue;
        if (fastLine) {
            const LineOutcome outcome
                = fastLine(std::string_view(trimmed.constData(), size_t(trimmed.size())), number);
            if (outcome == LineOutcome::Stopped)
                return {};
            if (outcome == LineOutcome::Read) {
                anyDocument = true;
                continue;
            }
        }
        const json doc
            = parseJsonFast(std::string_view(trimmed.constData(), size_t(trimmed.size())));
        if (doc.is_discarded()) {
            anyBad = true;
            sink.malformed(number, QStringLiteral("not valid JSON"));
            continue;
        }
        if (!doc.is_object() || !member(doc, k.resources, k.resourcesSnake)) {
            anyBad = true;
            sink.malformed(
                number,
                QStringLiteral("not an OTLP/JSON %1 object (no \"%2\")")
                    .arg(signal == Signal::Traces ? QStringLiteral("TracesData")
                                                  : QStringLiteral("LogsData"),
                         QString::fromLatin1(k.resources.data(), qsizetype(k.resources.size()))));
            continue;
        }
        anyDocument = true;
        bool stop = false;
        auto result = walkDocument(
            doc, signal, [&](const json &item, const json &resource, const json &scope, qint64) {
                if (!handle(item, resource, scope, number)) {
                    stop = true;
                    return false;
                }
                return true;
            });
        if (!result)
            sink.malformed(number, result.error().message);
        if (stop)
            return {};
    }
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    if (anyBad && !anyDocument)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: not OTLP/JSON: no line holds a %2 document")
                        .arg(file.path(),
                             signal == Signal::Traces ? QStringLiteral("TracesData")
                                                      : QStringLiteral("LogsData")));
    return {};
}

Result<void> readStream(InputFile &file, Signal signal, LogSink &sink, const ItemHandler &handle)
{
    std::istream &in = file.stream();
    qint64 index = 0;
    bool any = false;
    const ItemHandler guarded
        = [&](const json &item, const json &resource, const json &scope, qint64 i) {
              if (sink.cancelled())
                  return false;
              return handle(item, resource, scope, i);
          };
    // Several documents one after another (JSON Lines whose first line is too long to tell)
    // are read one by one.
    while (true) {
        in >> std::ws;
        if (in.peek() == std::char_traits<char>::eof())
            break;
        Walker walker(signal, guarded, index);
        const bool ok = json::sax_parse(in, &walker, json::input_format_t::json, /*strict=*/false);
        if (walker.stopped())
            return {};
        if (!ok || walker.notADocument() || !walker.sawDocument()) {
            const QString reason = QString::fromStdString(
                walker.error().empty() ? std::string("not an OTLP/JSON document") : walker.error());
            if (!any && index == 0)
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1: not OTLP/JSON: %2").arg(file.path(), reason));
            // Nothing after a syntax error can be trusted to line up: report and stop.
            sink.malformed(index + 1, reason);
            break;
        }
        any = true;
        if (file.failed())
            break;
    }
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    return {};
}

} // namespace

json scopeInfo(const json &scope)
{
    json out = json::object();
    if (!scope.is_object())
        return out;
    for (const char *key : {"name", "version"})
        if (auto it = scope.find(key);
            it != scope.end() && it->is_string() && !it->get_ref<const std::string &>().empty())
            out[key] = *it;
    json attrs = plainAttributes(member(scope, "attributes", "attributes"));
    if (!attrs.empty())
        out["attributes"] = std::move(attrs);
    return out;
}

json resourceInfo(const json &resource)
{
    return plainAttributes(member(resource, "attributes", "attributes"));
}

Result<void> walkDocument(const json &document, Signal signal, const ItemHandler &handle)
{
    const Keys &k = keysOf(signal);
    if (!document.is_object())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("not a JSON object"));
    const json *resources = member(document, k.resources, k.resourcesSnake);
    if (!resources || resources->is_null())
        return {};
    if (!resources->is_array())
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not an array")
                .arg(QString::fromLatin1(k.resources.data(), qsizetype(k.resources.size()))));
    qint64 index = 0;
    for (const json &rs : *resources) {
        if (!rs.is_object())
            continue;
        json resource = json::object();
        if (const json *r = member(rs, "resource", "resource"))
            resource = resourceInfo(*r);
        const json *scopes = member(rs, k.scopes, k.scopesSnake);
        if (!scopes)
            scopes = member(rs, k.legacyScopes, k.legacyScopesSnake);
        if (!scopes || !scopes->is_array())
            continue;
        for (const json &ss : *scopes) {
            if (!ss.is_object())
                continue;
            const json *scopeObject = member(ss, "scope", "scope");
            if (!scopeObject)
                scopeObject = member(ss, "instrumentationLibrary", "instrumentation_library");
            const json scope = scopeObject ? scopeInfo(*scopeObject) : json::object();
            const json *items = member(ss, k.items, k.itemsSnake);
            if (!items || !items->is_array())
                continue;
            for (const json &item : *items)
                if (!handle(item, resource, scope, ++index))
                    return {};
        }
    }
    return {};
}

Result<void> readOtlpFile(InputFile &file, Signal signal, LogSink &sink, const ItemHandler &handle,
                          const LineReader &fastLine)
{
    if (isJsonLines(file.head(), signal))
        return readLines(file, signal, sink, handle, fastLine);
    return readStream(file, signal, sink, handle);
}

bool looksLikeOtlp(const QByteArray &head, Signal signal)
{
    const QByteArray trimmed = head.trimmed();
    if (!trimmed.startsWith('{'))
        return false;
    return signal == Signal::Traces
        ? head.contains("\"resourceSpans\"") || head.contains("\"resource_spans\"")
        : head.contains("\"resourceLogs\"") || head.contains("\"resource_logs\"");
}

} // namespace ts::otlp
