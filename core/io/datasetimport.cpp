#include "io/datasetimport.h"

#include "io/csvreader.h"
#include "io/promptfootests.h"
#include "io/sourcetext.h"

#include <QFile>
#include <QFileInfo>

namespace ts {

namespace {

using nlohmann::json;

const QString kExpected = QStringLiteral("__expected");
const QString kTags = QStringLiteral("__tags");
const QString kDescription = QStringLiteral("__description");

// Collects messages up to a limit; the import fails if any were collected.
class ErrorList
{
public:
    explicit ErrorList(const ImportOptions &options)
        : m_max(options.reportAllErrors ? std::max(1, options.maxErrors) : 1)
    {
    }
    void add(const QString &message)
    {
        if (m_messages.size() < m_max)
            m_messages.append(message);
    }
    void add(const QStringList &messages)
    {
        for (const QString &m : messages)
            add(m);
    }
    bool full() const { return m_messages.size() >= m_max; }
    bool isEmpty() const { return m_messages.isEmpty(); }
    int limit() const { return m_max; }
    Error error() const
    {
        return Error {ErrorCode::InvalidArgument, m_messages.join(QLatin1Char('\n'))};
    }

private:
    int m_max;
    QStringList m_messages;
};

QString knownList(const QSet<QString> &known)
{
    QStringList names(known.cbegin(), known.cend());
    names.sort();
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

QStringList splitTags(const QString &text)
{
    QStringList tags;
    for (const QString &part : text.split(QLatin1Char(','))) {
        if (!part.trimmed().isEmpty())
            tags.append(part.trimmed());
    }
    return tags;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString jsonText(const json &value)
{
    return value.is_string() ? qs(value.get<std::string>()) : qs(value.dump());
}

bool isPromptfooTestLine(const json &object)
{
    static const QSet<QString> keys
        = {QStringLiteral("vars"),      QStringLiteral("assert"),   QStringLiteral("description"),
           QStringLiteral("threshold"), QStringLiteral("metadata"), QStringLiteral("options"),
           QStringLiteral("provider"),  QStringLiteral("providers")};
    const auto vars = object.find("vars");
    if (vars == object.end() || !vars->is_object())
        return false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!keys.contains(qs(it.key())))
            return false;
    }
    return true;
}

// Reads a flat line ({"var": ..., "__expected": ...}) into `out`; returns an error text or "".
QString flatLineToCase(const json &object, TestCaseData &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = qs(it.key());
        const json &value = it.value();
        if (key == kExpected) {
            if (!value.is_null())
                out.expected = jsonText(value);
        } else if (key == kTags) {
            if (value.is_array()) {
                for (const json &tag : value)
                    out.tags.append(jsonText(tag));
            } else if (value.is_string()) {
                out.tags = splitTags(qs(value.get<std::string>()));
            } else if (!value.is_null()) {
                return QStringLiteral("\"__tags\" must be an array or a comma-separated string");
            }
        } else if (key == kDescription) {
            out.description = value.is_null() ? QString() : jsonText(value);
        } else if (key.startsWith(QLatin1String("__"))) {
            return QStringLiteral("unknown special key \"%1\" (known: __expected, __tags, "
                                  "__description)")
                .arg(key);
        } else {
            out.vars[it.key()] = value;
        }
    }
    return QString();
}

QString checkKnown(const json &vars, const ImportOptions &options)
{
    if (!options.knownVariables)
        return QString();
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        if (!options.knownVariables->contains(qs(it.key())))
            return QStringLiteral("\"%1\" is not a variable of the prompt (known: %2)")
                .arg(qs(it.key()), knownList(*options.knownVariables));
    }
    return QString();
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 5: why";
// we report our own position, so keep only the why.
QString parseErrorReason(const char *what)
{
    const QString text = QString::fromUtf8(what);
    const qsizetype column = text.indexOf(QLatin1String("column "));
    const qsizetype colon = column < 0 ? -1 : text.indexOf(QLatin1String(": "), column);
    return colon < 0 ? text : text.mid(colon + 2);
}

enum class JsonlMode { Dataset, Tests };

Result<QList<ImportedTest>> parseJsonlImpl(QByteArrayView bytes, const QString &fileName,
                                           const ImportOptions &options, JsonlMode mode,
                                           QStringList &unmapped)
{
    const SourceText source(bytes);
    ErrorList errors(options);
    QList<ImportedTest> tests;
    auto at = [&](qsizetype offset) {
        const TextPosition p = source.position(offset);
        return QStringLiteral("%1:%2:%3: ").arg(fileName).arg(p.line).arg(p.column);
    };
    auto atLine = [&](qsizetype offset) {
        return QStringLiteral("%1:%2: ").arg(fileName).arg(source.position(offset).line);
    };

    qsizetype start = SourceText::bomLength(bytes);
    while (start < bytes.size() && !errors.full()) {
        qsizetype end = bytes.indexOf('\n', start);
        const qsizetype next = end < 0 ? bytes.size() : end + 1;
        if (end < 0)
            end = bytes.size();
        const qsizetype lineStart = start;
        start = next;
        qsizetype contentEnd = end;
        if (contentEnd > lineStart && bytes[contentEnd - 1] == '\r')
            --contentEnd;
        if (bytes.sliced(lineStart, contentEnd - lineStart).trimmed().isEmpty())
            continue;

        const qsizetype bad = source.firstInvalidUtf8(lineStart, contentEnd);
        if (bad >= 0) {
            errors.add(at(bad)
                       + QStringLiteral("invalid UTF-8 byte 0x%1; save the file as UTF-8")
                             .arg(static_cast<unsigned char>(bytes[bad]), 2, 16, QLatin1Char('0')));
            continue;
        }
        json object;
        try {
            object = json::parse(bytes.data() + lineStart, bytes.data() + contentEnd);
        } catch (const json::parse_error &e) {
            const qsizetype offset
                = std::clamp<qsizetype>(lineStart + qsizetype(e.byte) - 1, lineStart, contentEnd);
            errors.add(at(offset) + QStringLiteral("invalid JSON: ") + parseErrorReason(e.what()));
            continue;
        }
        if (!object.is_object()) {
            errors.add(at(lineStart)
                       + QStringLiteral("expected a JSON object, got %1")
                             .arg(QString::fromLatin1(object.type_name())));
            continue;
        }

        if (isPromptfooTestLine(object)) {
            QStringList lineUnmapped;
            const QString where = mode == JsonlMode::Tests
                ? QStringLiteral("%1:%2: test").arg(fileName).arg(source.position(lineStart).line)
                : QStringLiteral("test");
            auto mapped = mapPromptfooTest(object, where, false, lineUnmapped);
            if (!mapped) {
                errors.add(atLine(lineStart) + mapped.error().message);
                continue;
            }
            ImportedTest test = mapped->constFirst();
            if (const QString problem = checkKnown(test.data.vars, options); !problem.isEmpty()) {
                errors.add(atLine(lineStart) + problem);
                continue;
            }
            if (mode == JsonlMode::Dataset) {
                QStringList leftover;
                for (const json &a : std::as_const(test.asserts)) {
                    const bool equals = a.value("type", std::string()) == "equals";
                    if (equals && !test.data.expected && a.contains("value"))
                        test.data.expected = jsonText(a["value"]);
                    else
                        leftover.append(qs(a.value("type", std::string())));
                }
                leftover += lineUnmapped;
                test.asserts.clear();
                if (!leftover.isEmpty() && !options.dropAssertions) {
                    errors.add(
                        atLine(lineStart)
                        + QStringLiteral("this line carries what a dataset cannot hold (%1); "
                                         "import the promptfoo config to keep it, or allow "
                                         "dropping assertions")
                              .arg(leftover.join(QStringLiteral("; "))));
                    continue;
                }
            } else {
                unmapped += lineUnmapped;
            }
            tests.append(std::move(test));
            continue;
        }

        ImportedTest test;
        if (const QString problem = flatLineToCase(object, test.data); !problem.isEmpty()) {
            errors.add(atLine(lineStart) + problem);
            continue;
        }
        if (const QString problem = checkKnown(test.data.vars, options); !problem.isEmpty()) {
            errors.add(atLine(lineStart) + problem);
            continue;
        }
        tests.append(std::move(test));
    }
    if (!errors.isEmpty())
        return fail(errors.error());
    return tests;
}

} // namespace

Result<QList<TestCaseData>> parseCsv(QByteArrayView bytes, const QString &fileName,
                                     const ImportOptions &options)
{
    ErrorList errors(options);
    CsvReader reader(bytes, fileName);
    reader.read(errors.limit());
    errors.add(reader.errors());
    if (errors.full() || (!errors.isEmpty() && !options.reportAllErrors))
        return fail(errors.error());

    const QList<CsvRecord> &records = reader.records();
    if (records.isEmpty()) {
        errors.add(
            QStringLiteral("%1:1:1: the file is empty; the first row must name the variables")
                .arg(fileName));
        return fail(errors.error());
    }

    const CsvRecord &header = records.constFirst();
    QStringList names;
    for (qsizetype i = 0; i < header.fields.size(); ++i) {
        const CsvField &field = header.fields.at(i);
        const QString name = field.text.trimmed();
        const QString where = reader.location(field.offset) + QStringLiteral(": ");
        if (name.isEmpty()) {
            errors.add(where + QStringLiteral("column %1 has an empty name").arg(i + 1));
        } else if (const qsizetype first = names.indexOf(name); first >= 0) {
            errors.add(where
                       + QStringLiteral("duplicate column \"%1\" (also column %2)")
                             .arg(name)
                             .arg(first + 1));
        } else if (name.startsWith(QLatin1String("__")) && name != kExpected && name != kTags
                   && name != kDescription) {
            errors.add(where
                       + QStringLiteral("unknown special column \"%1\" (known: __expected, "
                                        "__tags, __description)")
                             .arg(name));
        } else if (!name.startsWith(QLatin1String("__")) && options.knownVariables
                   && !options.knownVariables->contains(name)) {
            errors.add(where
                       + QStringLiteral("column \"%1\" is not a variable of the prompt "
                                        "(known: %2)")
                             .arg(name, knownList(*options.knownVariables)));
        }
        names.append(name);
    }

    QList<TestCaseData> cases;
    for (qsizetype r = 1; r < records.size() && !errors.full(); ++r) {
        const CsvRecord &record = records.at(r);
        if (record.fields.size() != names.size()) {
            errors.add(reader.lineLocation(record.offset)
                       + QStringLiteral(": row has %1 fields, header has %2")
                             .arg(record.fields.size())
                             .arg(names.size()));
            continue;
        }
        TestCaseData testCase;
        for (qsizetype i = 0; i < names.size(); ++i) {
            const QString &name = names.at(i);
            const QString &value = record.fields.at(i).text;
            if (name == kExpected) {
                if (!value.isEmpty())
                    testCase.expected = value;
            } else if (name == kTags) {
                testCase.tags = splitTags(value);
            } else if (name == kDescription) {
                testCase.description = value;
            } else {
                testCase.vars[name.toStdString()] = value.toStdString();
            }
        }
        cases.append(std::move(testCase));
    }
    if (!errors.isEmpty())
        return fail(errors.error());
    return cases;
}

Result<QList<ImportedTest>> parseJsonlTests(QByteArrayView bytes, const QString &fileName,
                                            const ImportOptions &options, QStringList &unmapped)
{
    return parseJsonlImpl(bytes, fileName, options, JsonlMode::Tests, unmapped);
}

Result<QList<TestCaseData>> parseJsonl(QByteArrayView bytes, const QString &fileName,
                                       const ImportOptions &options)
{
    QStringList unused;
    auto tests = parseJsonlImpl(bytes, fileName, options, JsonlMode::Dataset, unused);
    if (!tests)
        return fail(tests.error());
    QList<TestCaseData> cases;
    cases.reserve(tests->size());
    for (ImportedTest &t : *tests)
        cases.append(std::move(t.data));
    return cases;
}

Result<QList<TestCaseData>> importDatasetFile(const QString &path, const ImportOptions &options)
{
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    const bool csv = suffix == QLatin1String("csv");
    const bool jsonl = suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson");
    if (!csv && !jsonl)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: unsupported dataset type \".%2\"; use .csv or .jsonl")
                        .arg(info.fileName(), info.suffix()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    return csv ? parseCsv(bytes, info.fileName(), options)
               : parseJsonl(bytes, info.fileName(), options);
}

} // namespace ts
