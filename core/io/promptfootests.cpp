#include "io/promptfootests.h"

#include "io/csvreader.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace ts {

namespace {

using nlohmann::json;

const QSet<QString> &mappedTypes()
{
    static const QSet<QString> types = [] {
        QSet<QString> set;
        for (const char *t : {"equals",
                              "contains",
                              "icontains",
                              "contains-any",
                              "contains-all",
                              "icontains-any",
                              "icontains-all",
                              "starts-with",
                              "ends-with",
                              "regex",
                              "is-json",
                              "contains-json",
                              "is-xml",
                              "contains-xml",
                              "levenshtein",
                              "rouge-n",
                              "bleu",
                              "latency",
                              "cost",
                              "word-count",
                              "finish-reason",
                              "is-refusal",
                              "perplexity",
                              "perplexity-score",
                              "is-valid-openai-tools-call",
                              "javascript",
                              "python",
                              "llm-rubric",
                              "factuality",
                              "model-graded-factuality",
                              "model-graded-closedqa",
                              "answer-relevance",
                              "similar",
                              "select-best",
                              "max-score"})
            set.insert(QLatin1String(t));
        return set;
    }();
    return types;
}

// Types promptfoo knows that we do not evaluate; recognised in CSV shorthand so that
// "javascript: output.length < 10" is an (unmapped) assertion rather than an equals check.
const QSet<QString> &otherPromptfooTypes()
{
    static const QSet<QString> types = {
        QStringLiteral("is-sql"),
        QStringLiteral("contains-sql"),
        QStringLiteral("is-valid-openai-function-call"),
        QStringLiteral("context-faithfulness"),
        QStringLiteral("context-recall"),
        QStringLiteral("context-relevance"),
        QStringLiteral("classifier"),
        QStringLiteral("moderation"),
        QStringLiteral("webhook"),
        QStringLiteral("g-eval"),
        QStringLiteral("meteor"),
        QStringLiteral("gleu"),
        QStringLiteral("trace-span-count"),
        QStringLiteral("assert-set"),
        QStringLiteral("is-html"),
        QStringLiteral("contains-html"),
        QStringLiteral("rouge-l"),
        QStringLiteral("is-valid-function-call"),
        QStringLiteral("tool-call-f1"),
        QStringLiteral("pi"),
    };
    return types;
}

QString baseType(const QString &type)
{
    return type.startsWith(QLatin1String("not-")) ? type.mid(4) : type;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

bool isFileRef(const json &value)
{
    return value.is_string() && value.get<std::string>().rfind("file://", 0) == 0;
}

// "file://checks/a.js:fn" relative to the config -> "file:///abs/checks/a.js:fn".
QString absoluteFileRef(const QString &ref, const QString &baseDir)
{
    QString path = ref.mid(7);
    QString suffix;
    const qsizetype colon = path.lastIndexOf(QLatin1Char(':'));
    if (colon > path.lastIndexOf(QLatin1Char('/')) && colon > 1) {
        suffix = path.mid(colon);
        path = path.left(colon);
    }
    if (baseDir.isEmpty() || QFileInfo(path).isAbsolute())
        return ref;
    return QStringLiteral("file://") + QDir::cleanPath(QDir(baseDir).absoluteFilePath(path))
        + suffix;
}

QString kindName(const json &value)
{
    return QString::fromLatin1(value.type_name());
}

QString scalarText(const json &value)
{
    return value.is_string() ? qs(value.get<std::string>()) : qs(value.dump());
}

// Cartesian product over array-valued vars (in key order, as json objects keep them).
QList<json> expandVars(const json &vars)
{
    QList<json> combos {json::object()};
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        QList<json> next;
        const bool expand = it.value().is_array() && !it.value().empty();
        for (const json &partial : std::as_const(combos)) {
            if (!expand) {
                json copy = partial;
                copy[it.key()] = it.value();
                next.append(std::move(copy));
                continue;
            }
            for (const json &element : it.value()) {
                json copy = partial;
                copy[it.key()] = element;
                next.append(std::move(copy));
            }
        }
        combos = std::move(next);
    }
    return combos;
}

} // namespace

bool isMappedAssertType(const QString &type)
{
    return mappedTypes().contains(baseType(type));
}

bool usesPromptfooProvider(const QString &type)
{
    static const QStringList types = {QStringLiteral("similar"),
                                      QStringLiteral("answer-relevance"),
                                      QStringLiteral("llm-rubric"),
                                      QStringLiteral("factuality"),
                                      QStringLiteral("model-graded-factuality"),
                                      QStringLiteral("model-graded-closedqa"),
                                      QStringLiteral("select-best")};
    return types.contains(baseType(type));
}

Result<json> mapPromptfooAssert(const json &assertion, const QString &where, QStringList &unmapped,
                                const QString &baseDir)
{
    if (!assertion.is_object())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: an assertion must be a mapping with a `type`, got %2")
                        .arg(where, kindName(assertion)));
    const auto typeIt = assertion.find("type");
    if (typeIt == assertion.end() || !typeIt->is_string())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: assertion has no `type`").arg(where));
    const QString type = qs(typeIt->get<std::string>());
    if (!isMappedAssertType(type)) {
        unmapped.append(
            QStringLiteral("%1: assertion type \"%2\" is not supported").arg(where, type));
        return json(nullptr);
    }

    json out = json::object();
    out["type"] = type.toStdString();
    for (auto it = assertion.begin(); it != assertion.end(); ++it) {
        const QString key = qs(it.key());
        if (key == QLatin1String("type"))
            continue;
        if (key == QLatin1String("value")) {
            json value = it.value();
            // promptfoo accepts "a, b" for the -any/-all forms; keep one shape for evaluators.
            // Quoted items ("a, \"b, c\"") stay text: the evaluator splits them as promptfoo does.
            if (value.is_string() && !scalarText(value).contains(QLatin1Char('"'))
                && (type.endsWith(QLatin1String("-any")) || type.endsWith(QLatin1String("-all")))) {
                json items = json::array();
                for (const QString &part : qs(value.get<std::string>()).split(QLatin1Char(','))) {
                    if (!part.trimmed().isEmpty())
                        items.push_back(part.trimmed().toStdString());
                }
                value = std::move(items);
            }
            const bool script = baseType(type) == QLatin1String("javascript")
                || baseType(type) == QLatin1String("python");
            if (isFileRef(value)) {
                if (!script) {
                    unmapped.append(QStringLiteral("%1.value: values read from files (%2) are not "
                                                   "loaded")
                                        .arg(where, scalarText(value)));
                    return json(nullptr);
                }
                value = absoluteFileRef(scalarText(value), baseDir).toStdString();
            }
            out["value"] = std::move(value);
        } else if (key == QLatin1String("transform")) {
            if (!it.value().is_string())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1.transform: expected JavaScript text").arg(where));
            const QString code = scalarText(it.value());
            out["transform"]
                = (code.startsWith(QLatin1String("file://")) ? absoluteFileRef(code, baseDir)
                                                             : code)
                      .toStdString();
        } else if (key == QLatin1String("provider")) {
            // The grading / embedding provider, kept as written: the project import maps it
            // to one of its models (or lists it as unmapped).
            out["provider"] = it.value();
        } else if (key == QLatin1String("weight") || key == QLatin1String("threshold")) {
            if (!it.value().is_number())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1.%2: expected a number, got %3")
                                .arg(where, key, scalarText(it.value())));
            out[it.key()] = it.value().get<double>();
        } else {
            unmapped.append(
                QStringLiteral("%1.%2: assertion option not supported").arg(where, key));
        }
    }
    return out;
}

json assertionFromString(const QString &text)
{
    static const QRegularExpression shorthand(
        QStringLiteral("^(not-)?([a-z][a-z0-9-]*)(?:\\(([0-9]*\\.?[0-9]+)\\))?:(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = shorthand.match(text);
    if (m.hasMatch()) {
        QString type = m.captured(2);
        if (type == QLatin1String("grade"))
            type = QStringLiteral("llm-rubric");
        else if (type == QLatin1String("fn") || type == QLatin1String("eval"))
            type = QStringLiteral("javascript");
        if (mappedTypes().contains(type) || otherPromptfooTypes().contains(type)) {
            json out = json::object();
            out["type"] = QString(m.captured(1) + type).toStdString();
            out["value"] = m.captured(4).trimmed().toStdString();
            if (!m.captured(3).isEmpty())
                out["threshold"] = m.captured(3).toDouble();
            return out;
        }
    }
    return json {{"type", "equals"}, {"value", text.toStdString()}};
}

Result<QList<ImportedTest>> mapPromptfooTest(const json &test, const QString &where,
                                             bool expandVarLists, QStringList &unmapped,
                                             const QString &baseDir)
{
    if (!test.is_object())
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("%1: a test must be a mapping, got %2").arg(where, kindName(test)));
    ImportedTest base;
    json vars = json::object();
    bool disableExpansion = false;
    QString transform;
    json provider; // options.provider: the grading / embedding provider of every assertion
    for (auto it = test.begin(); it != test.end(); ++it) {
        const QString key = qs(it.key());
        const QString at = where + QLatin1Char('.') + key;
        const json &value = it.value();
        if (key == QLatin1String("vars")) {
            if (!value.is_object())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1: expected a mapping of variables, got %2")
                                .arg(at, kindName(value)));
            vars = value;
        } else if (key == QLatin1String("description")) {
            base.data.description = scalarText(value);
        } else if (key == QLatin1String("threshold")) {
            if (!value.is_number())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1: expected a number").arg(at));
            base.threshold = value.get<double>();
        } else if (key == QLatin1String("assert")) {
            if (!value.is_array())
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1: expected a list of assertions").arg(at));
            for (size_t i = 0; i < value.size(); ++i) {
                auto mapped = mapPromptfooAssert(value[i], QStringLiteral("%1[%2]").arg(at).arg(i),
                                                 unmapped, baseDir);
                if (!mapped)
                    return fail(mapped.error());
                if (!mapped->is_null())
                    base.asserts.append(std::move(*mapped));
            }
        } else if (key == QLatin1String("metadata") && value.is_object()) {
            for (auto m = value.begin(); m != value.end(); ++m) {
                const json items = m.value().is_array() ? m.value() : json::array({m.value()});
                for (const json &item : items)
                    base.data.tags.append(qs(m.key()) + QLatin1Char(':') + scalarText(item));
            }
        } else if (key == QLatin1String("options") && value.is_object()) {
            for (auto o = value.begin(); o != value.end(); ++o) {
                if (o.key() == "disableVarExpansion" && o.value().is_boolean())
                    disableExpansion = o.value().get<bool>();
                else if ((o.key() == "transform" || o.key() == "postprocess")
                         && o.value().is_string())
                    transform = scalarText(o.value());
                else if (o.key() == "provider")
                    provider = o.value();
                else
                    unmapped.append(
                        QStringLiteral("%1.%2: test option not supported").arg(at, qs(o.key())));
            }
        } else {
            unmapped.append(QStringLiteral("%1: test key not supported").arg(at));
        }
    }
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        if (it.value().is_string() && it.value().get<std::string>().rfind("file://", 0) == 0)
            unmapped.append(QStringLiteral("%1.vars.%2: file reference kept as text, not loaded")
                                .arg(where, qs(it.key())));
    }

    // options.provider grades / embeds for every assertion of the test that uses one and
    // names none.
    if (!provider.is_null())
        for (json &a : base.asserts)
            if (!a.contains("provider")
                && usesPromptfooProvider(qs(a.value("type", std::string()))))
                a["provider"] = provider;
    // options.transform changes the output before every assertion of the test: each carries it.
    if (!transform.isEmpty() && base.asserts.isEmpty())
        unmapped.append(
            QStringLiteral("%1.options.transform: the test has no assertions of its own "
                           "to apply it to (defaultTest assertions are shared by every "
                           "test and see the untransformed output)")
                .arg(where));
    if (!transform.isEmpty()) {
        if (transform.startsWith(QLatin1String("file://")))
            transform = absoluteFileRef(transform, baseDir);
        for (qsizetype i = 0; i < base.asserts.size(); ++i) {
            json &a = base.asserts[i];
            if (a.contains("transform"))
                unmapped.append(QStringLiteral("%1.options.transform: not applied before assertion "
                                               "%2, which has its own transform")
                                    .arg(where)
                                    .arg(i));
            else
                a["transform"] = transform.toStdString();
        }
    }

    QList<ImportedTest> out;
    const QList<json> combos
        = (expandVarLists && !disableExpansion) ? expandVars(vars) : QList<json> {vars};
    for (const json &combo : combos) {
        ImportedTest t = base;
        t.data.vars = combo;
        out.append(std::move(t));
    }
    return out;
}

Result<QList<ImportedTest>> parsePromptfooCsvTests(QByteArrayView bytes, const QString &fileName,
                                                   QStringList &unmapped, const QString &baseDir)
{
    CsvReader reader(bytes, fileName);
    if (!reader.read(1))
        return fail(ErrorCode::InvalidArgument, reader.errors().constFirst());
    const QList<CsvRecord> &records = reader.records();
    if (records.isEmpty())
        return QList<ImportedTest> {};

    enum class Column { Var, Expected, Description, Threshold, Metadata, Ignored };
    static const QRegularExpression expectedName(QStringLiteral("^__expected[0-9]*$"));
    QList<Column> kinds;
    QStringList names;
    for (const CsvField &field : records.constFirst().fields) {
        const QString name = field.text.trimmed();
        names.append(name);
        if (!name.startsWith(QLatin1String("__"))) {
            kinds.append(Column::Var);
        } else if (expectedName.match(name).hasMatch()) {
            kinds.append(Column::Expected);
        } else if (name == QLatin1String("__description")) {
            kinds.append(Column::Description);
        } else if (name == QLatin1String("__threshold")) {
            kinds.append(Column::Threshold);
        } else if (name.startsWith(QLatin1String("__metadata:"))) {
            kinds.append(Column::Metadata);
        } else {
            kinds.append(Column::Ignored);
            unmapped.append(QStringLiteral("%1: column \"%2\" is not supported")
                                .arg(reader.location(field.offset), name));
        }
    }

    QList<ImportedTest> tests;
    for (qsizetype r = 1; r < records.size(); ++r) {
        const CsvRecord &record = records.at(r);
        const QString line = reader.lineLocation(record.offset);
        if (record.fields.size() != names.size())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1: row has %2 fields, header has %3")
                            .arg(line)
                            .arg(record.fields.size())
                            .arg(names.size()));
        ImportedTest test;
        for (qsizetype i = 0; i < names.size(); ++i) {
            const QString &value = record.fields.at(i).text;
            switch (kinds.at(i)) {
            case Column::Var:
                test.data.vars[names.at(i).toStdString()] = value.toStdString();
                break;
            case Column::Expected: {
                if (value.trimmed().isEmpty())
                    break;
                auto mapped = mapPromptfooAssert(assertionFromString(value),
                                                 QStringLiteral("%1: %2").arg(line, names.at(i)),
                                                 unmapped, baseDir);
                if (!mapped)
                    return fail(mapped.error());
                if (!mapped->is_null())
                    test.asserts.append(std::move(*mapped));
                break;
            }
            case Column::Description:
                test.data.description = value;
                break;
            case Column::Threshold: {
                bool ok = value.trimmed().isEmpty();
                if (!ok)
                    test.threshold = value.trimmed().toDouble(&ok);
                if (!ok)
                    return fail(ErrorCode::InvalidArgument,
                                QStringLiteral("%1: __threshold \"%2\" is not a number")
                                    .arg(reader.location(record.fields.at(i).offset), value));
                break;
            }
            case Column::Metadata:
                if (!value.isEmpty())
                    test.data.tags.append(names.at(i).mid(int(qstrlen("__metadata:")))
                                          + QLatin1Char(':') + value);
                break;
            case Column::Ignored:
                break;
            }
        }
        tests.append(std::move(test));
    }
    return tests;
}

} // namespace ts
