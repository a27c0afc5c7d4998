#include "evals/jsonschemacheck.h"

#include "evals/jsregex.h"

#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace ts::jsonschema {

namespace {

using json = nlohmann::json;

const QSet<QString> &knownTypes()
{
    static const QSet<QString> types {QStringLiteral("null"),   QStringLiteral("boolean"),
                                      QStringLiteral("object"), QStringLiteral("array"),
                                      QStringLiteral("number"), QStringLiteral("integer"),
                                      QStringLiteral("string")};
    return types;
}
// ---- schema checking -------------------------------------------------------------------

struct SchemaCheck
{
    QString error;

    bool fail(const QString &pointer, const QString &message)
    {
        error
            = (pointer.isEmpty() ? QStringLiteral("/") : pointer) + QStringLiteral(": ") + message;
        return false;
    }

    bool schema(const json &s, const QString &at)
    {
        if (s.is_boolean())
            return true;
        if (!s.is_object())
            return fail(
                at,
                QStringLiteral("a schema must be an object or a boolean, not %1").arg(typeOf(s)));
        for (auto it = s.begin(); it != s.end(); ++it) {
            if (!keyword(it.key(), it.value(),
                         at + QLatin1Char('/') + escapePointerToken(it.key())))
                return false;
        }
        return true;
    }

    bool schemaMap(const json &v, const QString &at, bool keysArePatterns)
    {
        if (!v.is_object())
            return fail(at, QStringLiteral("must be an object of schemas"));
        for (auto it = v.begin(); it != v.end(); ++it) {
            const QString sub = at + QLatin1Char('/') + escapePointerToken(it.key());
            if (keysArePatterns) {
                const JsRegex re(qs(it.key()));
                if (!re.isValid())
                    return fail(sub, QStringLiteral("invalid pattern: %1").arg(re.errorString()));
            }
            if (!schema(it.value(), sub))
                return false;
        }
        return true;
    }

    bool schemaList(const json &v, const QString &at, bool allowEmpty)
    {
        if (!v.is_array() || (!allowEmpty && v.empty()))
            return fail(at,
                        allowEmpty ? QStringLiteral("must be an array of schemas")
                                   : QStringLiteral("must be a non-empty array of schemas"));
        for (size_t i = 0; i < v.size(); ++i) {
            if (!schema(v[i], at + QLatin1Char('/') + QString::number(i)))
                return false;
        }
        return true;
    }

    bool keyword(const std::string &key, const json &v, const QString &at)
    {
        if (key == "type") {
            const auto known = [&](const json &t) {
                if (!t.is_string())
                    return fail(at, QStringLiteral("type names must be strings"));
                if (!knownTypes().contains(qs(t.get<std::string>())))
                    return fail(at,
                                QStringLiteral("unknown type \"%1\" (use one of null, boolean, "
                                               "object, array, number, integer, string)")
                                    .arg(qs(t.get<std::string>())));
                return true;
            };
            if (v.is_array()) {
                if (v.empty())
                    return fail(at, QStringLiteral("must name at least one type"));
                for (const json &t : v) {
                    if (!known(t))
                        return false;
                }
                return true;
            }
            return known(v);
        }
        if (key == "properties" || key == "definitions" || key == "$defs"
            || key == "dependentSchemas")
            return schemaMap(v, at, false);
        if (key == "dependencies") {
            if (!v.is_object())
                return fail(at, QStringLiteral("must be an object of schemas or name lists"));
            for (auto it = v.begin(); it != v.end(); ++it) {
                const QString sub = at + QLatin1Char('/') + escapePointerToken(it.key());
                if (it.value().is_array()) {
                    if (!std::all_of(it.value().begin(), it.value().end(),
                                     [](const json &e) { return e.is_string(); }))
                        return fail(sub, QStringLiteral("must be a list of property names"));
                } else if (!schema(it.value(), sub)) {
                    return false;
                }
            }
            return true;
        }
        if (key == "dependentRequired") {
            if (!v.is_object() || !std::all_of(v.begin(), v.end(), [](const json &list) {
                    return list.is_array()
                        && std::all_of(list.begin(), list.end(),
                                       [](const json &e) { return e.is_string(); });
                }))
                return fail(at, QStringLiteral("must map property names to lists of names"));
            return true;
        }
        if (key == "patternProperties")
            return schemaMap(v, at, true);
        if (key == "additionalProperties" || key == "additionalItems" || key == "contains"
            || key == "not" || key == "if" || key == "then" || key == "else"
            || key == "propertyNames" || key == "unevaluatedProperties"
            || key == "unevaluatedItems")
            return schema(v, at);
        if (key == "items")
            return v.is_array() ? schemaList(v, at, true) : schema(v, at);
        if (key == "prefixItems")
            return schemaList(v, at, true);
        if (key == "anyOf" || key == "oneOf" || key == "allOf")
            return schemaList(v, at, false);
        if (key == "required") {
            if (!v.is_array()
                || !std::all_of(v.begin(), v.end(), [](const json &e) { return e.is_string(); }))
                return fail(at, QStringLiteral("must be an array of property names"));
            return true;
        }
        if (key == "enum")
            return v.is_array() ? true : fail(at, QStringLiteral("must be an array of values"));
        if (key == "minLength" || key == "maxLength" || key == "minItems" || key == "maxItems"
            || key == "minProperties" || key == "maxProperties" || key == "minContains"
            || key == "maxContains") {
            if (!isIntegral(v) || v.get<double>() < 0)
                return fail(at, QStringLiteral("must be a non-negative integer"));
            return true;
        }
        if (key == "minimum" || key == "maximum")
            return v.is_number() ? true : fail(at, QStringLiteral("must be a number"));
        if (key == "exclusiveMinimum" || key == "exclusiveMaximum")
            return v.is_number() || v.is_boolean() ? true
                                                   : fail(at, QStringLiteral("must be a number"));
        if (key == "multipleOf")
            return v.is_number() && v.get<double>() > 0
                ? true
                : fail(at, QStringLiteral("must be a number greater than 0"));
        if (key == "uniqueItems")
            return v.is_boolean() ? true : fail(at, QStringLiteral("must be true or false"));
        if (key == "pattern") {
            if (!v.is_string())
                return fail(at, QStringLiteral("must be a string"));
            const JsRegex re(qs(v.get<std::string>()));
            if (!re.isValid())
                return fail(at, QStringLiteral("invalid pattern: %1").arg(re.errorString()));
            return true;
        }
        if (key == "$ref" || key == "$id" || key == "$anchor" || key == "$schema")
            return v.is_string() ? true : fail(at, QStringLiteral("must be a string"));
        return true; // annotations and keywords we do not enforce
    }
};

} // namespace

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString escapePointerToken(const std::string &token)
{
    QString t = qs(token);
    t.replace(QLatin1Char('~'), QStringLiteral("~0"));
    t.replace(QLatin1Char('/'), QStringLiteral("~1"));
    return t;
}

QString shortDump(const nlohmann::json &value)
{
    QString text = qs(value.dump());
    if (text.size() > 80)
        text = text.left(77) + QStringLiteral("...");
    return text;
}

QString number(double d)
{
    return QString::number(d, 'g', 15);
}

QString typeOf(const nlohmann::json &value)
{
    switch (value.type()) {
    case json::value_t::null:
        return QStringLiteral("null");
    case json::value_t::boolean:
        return QStringLiteral("boolean");
    case json::value_t::string:
        return QStringLiteral("string");
    case json::value_t::array:
        return QStringLiteral("array");
    case json::value_t::object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("number");
    }
}

bool isIntegral(const nlohmann::json &value)
{
    if (value.is_number_integer())
        return true;
    if (!value.is_number_float())
        return false;
    const double d = value.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
}

bool hasType(const json &value, const std::string &type)
{
    if (type == "integer")
        return isIntegral(value);
    if (type == "number")
        return value.is_number();
    return typeOf(value) == qs(type);
}

Result<void> checkSchema(const nlohmann::json &schema)
{
    SchemaCheck check;
    if (!check.schema(schema, QString()))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Invalid JSON schema: ") + check.error);
    return {};
}

SubschemaShape subschemaShape(const std::string &key)
{
    if (key == "properties" || key == "patternProperties" || key == "definitions" || key == "$defs"
        || key == "dependentSchemas")
        return SubschemaShape::Map;
    if (key == "dependencies")
        return SubschemaShape::MapOrLists;
    if (key == "additionalProperties" || key == "additionalItems" || key == "contains"
        || key == "not" || key == "if" || key == "then" || key == "else" || key == "propertyNames"
        || key == "unevaluatedProperties" || key == "unevaluatedItems")
        return SubschemaShape::One;
    if (key == "items")
        return SubschemaShape::OneOrList;
    if (key == "prefixItems" || key == "anyOf" || key == "oneOf" || key == "allOf")
        return SubschemaShape::List;
    return SubschemaShape::None;
}

void forEachSubschema(const nlohmann::json &schema, const QString &pointer,
                      const std::function<void(const nlohmann::json &, const QString &)> &visit)
{
    if (!schema.is_object())
        return;
    visit(schema, pointer);
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const QString at = pointer + QLatin1Char('/') + escapePointerToken(it.key());
        const json &v = it.value();
        switch (subschemaShape(it.key())) {
        case SubschemaShape::None:
            break;
        case SubschemaShape::One:
            forEachSubschema(v, at, visit);
            break;
        case SubschemaShape::OneOrList:
        case SubschemaShape::List:
            if (v.is_array()) {
                for (size_t i = 0; i < v.size(); ++i)
                    forEachSubschema(v[i], at + QLatin1Char('/') + QString::number(i), visit);
            } else {
                forEachSubschema(v, at, visit);
            }
            break;
        case SubschemaShape::Map:
        case SubschemaShape::MapOrLists:
            if (v.is_object()) {
                for (auto m = v.begin(); m != v.end(); ++m)
                    forEachSubschema(m.value(), at + QLatin1Char('/') + escapePointerToken(m.key()),
                                     visit);
            }
            break;
        }
    }
}

} // namespace ts::jsonschema
