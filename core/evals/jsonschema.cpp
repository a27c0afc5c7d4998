#include "evals/jsonschema.h"

#include "evals/jsonschemacheck.h"

#include <QStringList>

#include <cmath>

namespace ts {

namespace {

using json = nlohmann::json;
using namespace jsonschema;

constexpr int kMaxDepth = 100;

} // namespace

// ---- public ----------------------------------------------------------------------------

QString SchemaError::toString() const
{
    return (path.isEmpty() ? QStringLiteral("/") : path) + QStringLiteral(": ") + message;
}

struct JsonSchemaValidator::Walk
{
    bool allErrors = true;
    QList<SchemaError> errors;

    bool fail(const QString &path, const QString &message)
    {
        errors.append(SchemaError {path, message});
        return false;
    }
    bool done() const { return !allErrors && !errors.isEmpty(); }
};

JsonSchemaValidator::JsonSchemaValidator(nlohmann::json schema)
    : m_schema(std::move(schema))
{
}

Result<JsonSchemaValidator> JsonSchemaValidator::create(nlohmann::json schema)
{
    if (auto ok = validateSchema(schema); !ok)
        return fail(ok.error());
    return JsonSchemaValidator(std::move(schema));
}

Result<void> JsonSchemaValidator::validateSchema(const nlohmann::json &schema)
{
    return checkSchema(schema);
}

QList<SchemaError> JsonSchemaValidator::validate(const nlohmann::json &instance,
                                                 bool allErrors) const
{
    Walk walk;
    walk.allErrors = allErrors;
    check(m_schema, instance, QString(), walk, 0);
    return walk.errors;
}

const nlohmann::json *JsonSchemaValidator::resolve(const std::string &ref) const
{
    if (ref == "#")
        return &m_schema;
    try {
        const json::json_pointer pointer(ref.substr(1));
        return m_schema.contains(pointer) ? &m_schema.at(pointer) : nullptr;
    } catch (const json::exception &) {
        return nullptr;
    }
}

const QRegularExpression &JsonSchemaValidator::regex(const std::string &pattern) const
{
    const QString key = qs(pattern);
    auto it = m_regexCache.find(key);
    if (it == m_regexCache.end())
        it = m_regexCache.insert(key, QRegularExpression(key));
    return it.value();
}

bool JsonSchemaValidator::check(const json &schema, const json &value, const QString &path,
                                Walk &walk, int depth) const
{
    if (depth > kMaxDepth)
        return walk.fail(path, QStringLiteral("schema nests too deeply (a $ref loop?)"));
    if (schema.is_boolean())
        return schema.get<bool>() ? true
                                  : walk.fail(path, QStringLiteral("no value is allowed here"));
    if (!schema.is_object())
        return true;

    const qsizetype before = walk.errors.size();
    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
        const json *target = resolve(ref->get<std::string>());
        if (!target)
            return walk.fail(path, QStringLiteral("unresolvable $ref \"%1\"").arg(qs(*ref)));
        check(*target, value, path, walk, depth + 1);
        if (walk.done())
            return false;
    }

    if (auto type = schema.find("type"); type != schema.end()) {
        QStringList names;
        bool ok = false;
        for (const json &t : type->is_array() ? *type : json::array({*type})) {
            if (!t.is_string())
                continue;
            names.append(qs(t.get<std::string>()));
            ok = ok || hasType(value, t.get<std::string>());
        }
        if (!ok) // other keywords would only repeat the same complaint
            return walk.fail(path,
                             QStringLiteral("expected %1, got %2")
                                 .arg(names.join(QStringLiteral(" or ")), typeOf(value)));
    }
    if (auto e = schema.find("enum");
        e != schema.end() && e->is_array() && std::find(e->begin(), e->end(), value) == e->end()) {
        walk.fail(path, QStringLiteral("%1 is not one of %2").arg(shortDump(value), shortDump(*e)));
        if (walk.done())
            return false;
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != value) {
        walk.fail(path, QStringLiteral("expected %1, got %2").arg(shortDump(*c), shortDump(value)));
        if (walk.done())
            return false;
    }

    if (value.is_number()) {
        const double x = value.get<double>();
        const auto bound = [&](const char *key, auto violates, const QString &text) {
            auto it = schema.find(key);
            if (it == schema.end() || !it->is_number() || walk.done())
                return;
            const double b = it->get<double>();
            if (violates(b))
                walk.fail(path, text.arg(number(x), number(b)));
        };
        bound(
            "minimum", [&](double b) { return x < b; },
            QStringLiteral("%1 is less than the minimum %2"));
        bound(
            "maximum", [&](double b) { return x > b; },
            QStringLiteral("%1 is greater than the maximum %2"));
        bound(
            "exclusiveMinimum", [&](double b) { return x <= b; },
            QStringLiteral("%1 must be greater than %2"));
        bound(
            "exclusiveMaximum", [&](double b) { return x >= b; },
            QStringLiteral("%1 must be less than %2"));
        // draft-04 style: a boolean exclusive flag turns minimum/maximum strict
        if (schema.value("exclusiveMinimum", json()).is_boolean()
            && schema.value("exclusiveMinimum", false) && schema.contains("minimum")
            && x == schema["minimum"].get<double>() && !walk.done())
            walk.fail(path, QStringLiteral("%1 must be greater than %1").arg(number(x)));
        if (schema.value("exclusiveMaximum", json()).is_boolean()
            && schema.value("exclusiveMaximum", false) && schema.contains("maximum")
            && x == schema["maximum"].get<double>() && !walk.done())
            walk.fail(path, QStringLiteral("%1 must be less than %1").arg(number(x)));
        bound(
            "multipleOf",
            [&](double b) {
                const double q = x / b;
                return std::abs(q - std::round(q)) > 1e-9 * std::max(1.0, std::abs(q));
            },
            QStringLiteral("%1 is not a multiple of %2"));
    }

    if (value.is_string() && !walk.done()) {
        const QString text = qs(value.get<std::string>());
        const qsizetype length = text.toUcs4().size();
        if (auto m = schema.find("minLength");
            m != schema.end() && m->is_number() && length < m->get<double>())
            walk.fail(path,
                      QStringLiteral("text is %1 characters long, shorter than the minimum %2")
                          .arg(length)
                          .arg(number(m->get<double>())));
        if (auto m = schema.find("maxLength");
            m != schema.end() && m->is_number() && length > m->get<double>() && !walk.done())
            walk.fail(path,
                      QStringLiteral("text is %1 characters long, longer than the maximum %2")
                          .arg(length)
                          .arg(number(m->get<double>())));
        if (auto p = schema.find("pattern"); p != schema.end() && p->is_string() && !walk.done()) {
            const QRegularExpression &re = regex(p->get<std::string>());
            if (re.isValid() && !re.match(text).hasMatch())
                walk.fail(path,
                          QStringLiteral("%1 does not match the pattern %2")
                              .arg(shortDump(value), qs(p->dump())));
        }
    }

    if (value.is_object() && !walk.done())
        checkObject(schema, value, path, walk, depth);
    if (value.is_array() && !walk.done())
        checkArray(schema, value, path, walk, depth);
    if (!walk.done())
        checkCombinators(schema, value, path, walk, depth);
    return walk.errors.size() == before;
}

bool JsonSchemaValidator::checkObject(const json &schema, const json &value, const QString &path,
                                      Walk &walk, int depth) const
{
    if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
        for (const json &name : *req) {
            if (!name.is_string() || value.contains(name.get<std::string>()))
                continue;
            walk.fail(path,
                      QStringLiteral("missing required property \"%1\"")
                          .arg(qs(name.get<std::string>())));
            if (walk.done())
                return false;
        }
    }
    const auto count = qsizetype(value.size());
    if (auto m = schema.find("minProperties");
        m != schema.end() && m->is_number() && count < m->get<double>())
        walk.fail(path,
                  QStringLiteral("has %1 properties, fewer than the minimum %2")
                      .arg(count)
                      .arg(number(m->get<double>())));
    if (auto m = schema.find("maxProperties");
        m != schema.end() && m->is_number() && count > m->get<double>())
        walk.fail(path,
                  QStringLiteral("has %1 properties, more than the maximum %2")
                      .arg(count)
                      .arg(number(m->get<double>())));

    const json empty = json::object();
    const json &properties = schema.contains("properties") && schema["properties"].is_object()
        ? schema["properties"]
        : empty;
    const json &patterns
        = schema.contains("patternProperties") && schema["patternProperties"].is_object()
        ? schema["patternProperties"]
        : empty;
    const auto additional = schema.find("additionalProperties");
    const auto names = schema.find("propertyNames");
    for (auto it = value.begin(); it != value.end() && !walk.done(); ++it) {
        const QString childPath = path + QLatin1Char('/') + escapePointerToken(it.key());
        if (names != schema.end())
            check(*names, json(it.key()), childPath, walk, depth + 1);
        bool matched = false;
        if (auto p = properties.find(it.key()); p != properties.end()) {
            matched = true;
            check(*p, it.value(), childPath, walk, depth + 1);
        }
        for (auto p = patterns.begin(); p != patterns.end() && !walk.done(); ++p) {
            if (regex(p.key()).match(qs(it.key())).hasMatch()) {
                matched = true;
                check(p.value(), it.value(), childPath, walk, depth + 1);
            }
        }
        if (matched || additional == schema.end() || walk.done())
            continue;
        if (additional->is_boolean() && !additional->get<bool>())
            walk.fail(path, QStringLiteral("property \"%1\" is not allowed").arg(qs(it.key())));
        else
            check(*additional, it.value(), childPath, walk, depth + 1);
    }
    return !walk.done();
}

bool JsonSchemaValidator::checkArray(const json &schema, const json &value, const QString &path,
                                     Walk &walk, int depth) const
{
    const auto count = qsizetype(value.size());
    if (auto m = schema.find("minItems");
        m != schema.end() && m->is_number() && count < m->get<double>())
        walk.fail(path,
                  QStringLiteral("has %1 items, fewer than the minimum %2")
                      .arg(count)
                      .arg(number(m->get<double>())));
    if (auto m = schema.find("maxItems");
        m != schema.end() && m->is_number() && count > m->get<double>() && !walk.done())
        walk.fail(path,
                  QStringLiteral("has %1 items, more than the maximum %2")
                      .arg(count)
                      .arg(number(m->get<double>())));
    if (schema.value("uniqueItems", json(false)) == json(true) && !walk.done()) {
        for (size_t i = 0; i < value.size(); ++i) {
            for (size_t j = i + 1; j < value.size(); ++j) {
                if (value[i] == value[j]) {
                    walk.fail(path,
                              QStringLiteral("items %1 and %2 are equal; items must be unique")
                                  .arg(i)
                                  .arg(j));
                    i = j = value.size();
                }
            }
        }
    }

    // Positional schemas first (2020-12 prefixItems, or the draft-07 array form of items),
    // then one schema for the rest (2020-12 items, or draft-07 additionalItems).
    const json *prefix = nullptr;
    const json *rest = nullptr;
    const auto items = schema.find("items");
    if (auto p = schema.find("prefixItems"); p != schema.end() && p->is_array()) {
        prefix = &*p;
        if (items != schema.end())
            rest = &*items;
    } else if (items != schema.end() && items->is_array()) {
        prefix = &*items;
        if (auto a = schema.find("additionalItems"); a != schema.end())
            rest = &*a;
    } else if (items != schema.end()) {
        rest = &*items;
    }
    const size_t positional = prefix ? prefix->size() : 0;
    const bool restForbidden = rest && rest->is_boolean() && !rest->get<bool>();
    if (restForbidden && value.size() > positional) {
        walk.fail(
            path,
            QStringLiteral("has %1 items, at most %2 are allowed").arg(count).arg(positional));
        rest = nullptr;
    }
    for (size_t i = 0; i < value.size() && !walk.done(); ++i) {
        const QString childPath = path + QLatin1Char('/') + QString::number(i);
        if (i < positional)
            check((*prefix)[i], value[i], childPath, walk, depth + 1);
        else if (rest)
            check(*rest, value[i], childPath, walk, depth + 1);
    }

    if (auto c = schema.find("contains"); c != schema.end() && !walk.done()) {
        const bool any = std::any_of(value.begin(), value.end(), [&](const json &item) {
            Walk probe;
            probe.allErrors = false;
            return check(*c, item, path, probe, depth + 1);
        });
        if (!any)
            walk.fail(path, QStringLiteral("no item matches the \"contains\" schema"));
    }
    return !walk.done();
}

bool JsonSchemaValidator::checkCombinators(const json &schema, const json &value,
                                           const QString &path, Walk &walk, int depth) const
{
    const auto probe = [&](const json &sub, QList<SchemaError> *errors = nullptr) {
        Walk p;
        p.allErrors = false;
        const bool ok = check(sub, value, path, p, depth + 1);
        if (errors)
            *errors = p.errors;
        return ok;
    };
    if (auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
        for (const json &sub : *all) {
            if (walk.done())
                return false;
            check(sub, value, path, walk, depth + 1);
        }
    }
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && !walk.done()) {
        QList<SchemaError> firstErrors;
        bool ok = false;
        for (size_t i = 0; i < any->size() && !ok; ++i)
            ok = probe((*any)[i], i == 0 ? &firstErrors : nullptr);
        if (!ok) {
            const QString detail = firstErrors.isEmpty()
                ? QString()
                : QStringLiteral(" (first alternative: %1)").arg(firstErrors.first().toString());
            walk.fail(path, QStringLiteral("matches none of the anyOf alternatives") + detail);
        }
    }
    if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array() && !walk.done()) {
        int matches = 0;
        for (const json &sub : *one)
            matches += probe(sub) ? 1 : 0;
        if (matches == 0)
            walk.fail(path, QStringLiteral("matches none of the oneOf alternatives"));
        else if (matches > 1)
            walk.fail(path,
                      QStringLiteral("matches %1 of the oneOf alternatives, expected exactly one")
                          .arg(matches));
    }
    if (auto n = schema.find("not"); n != schema.end() && !walk.done() && probe(*n))
        walk.fail(path, QStringLiteral("must not match the \"not\" schema"));
    if (auto cond = schema.find("if"); cond != schema.end() && !walk.done()) {
        const char *branch = probe(*cond) ? "then" : "else";
        if (auto b = schema.find(branch); b != schema.end())
            check(*b, value, path, walk, depth + 1);
    }
    return !walk.done();
}

} // namespace ts
