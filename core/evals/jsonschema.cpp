#include "evals/jsonschema.h"

#include "evals/jsonschemacheck.h"
#include "evals/jsonschemauri.h"
#include "evals/jsregex.h"

#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <cmath>
#include <deque>

namespace ts {

namespace {

using json = nlohmann::json;
using namespace jsonschema;

constexpr int kMaxDepth = 200;
// The base URI of a root schema without $id; relative references against it find nothing.
const char kDefaultBase[] = "touchstone://schema/root.json";

} // namespace

// ---- the document index -----------------------------------------------------------------

struct JsonSchemaValidator::Impl
{
    std::deque<json> documents; // [0] is the schema itself; addresses stay stable
    bool modern = false; // 2019-09 / 2020-12: $ref siblings apply, $anchor, unevaluated*
    QHash<QString, const json *> resources; // absolute URI without fragment -> schema
    QHash<QString, const json *> anchors; // "uri#name" -> schema
    QHash<const json *, QString> baseOf; // schema object -> its base URI
    QList<std::pair<const json *, QString>> refs; // the schema's own $refs, with where they are
    bool recordRefs = true; // while indexing the schema itself
    mutable QMutex regexLock;
    mutable QHash<QString, std::shared_ptr<JsRegex>> regexCache;

    const json &root() const { return documents.front(); }

    void index(const json &node, const QString &base, const QString &pointer, bool refSiblingsApply)
    {
        if (!node.is_object())
            return;
        QString here = base;
        const bool hasRef = node.contains("$ref") && node["$ref"].is_string();
        // draft-07: "$ref" replaces its siblings, $id included.
        if (auto id = node.find("$id");
            id != node.end() && id->is_string() && (!hasRef || refSiblingsApply)) {
            const QString value = QString::fromStdString(id->get<std::string>());
            if (value.startsWith(QLatin1Char('#'))) {
                if (value.size() > 1 && !value.startsWith(QLatin1String("#/")))
                    anchors.insert(withoutFragment(base) + value, &node);
            } else {
                const QString resolved = resolveUri(base, value);
                here = withoutFragment(resolved);
                resources.insert(here, &node);
                const qsizetype hash = resolved.indexOf(QLatin1Char('#'));
                if (hash > 0 && hash + 1 < resolved.size())
                    anchors.insert(resolved, &node);
            }
        }
        if (auto anchor = node.find("$anchor"); anchor != node.end() && anchor->is_string())
            anchors.insert(withoutFragment(here) + QLatin1Char('#')
                               + QString::fromStdString(anchor->get<std::string>()),
                           &node);
        baseOf.insert(&node, here);
        if (hasRef && recordRefs)
            refs.append({&node, pointer});
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString at = pointer + QLatin1Char('/') + escapePointerToken(it.key());
            const json &v = it.value();
            switch (subschemaShape(it.key())) {
            case SubschemaShape::None:
                break;
            case SubschemaShape::One:
                index(v, here, at, refSiblingsApply);
                break;
            case SubschemaShape::OneOrList:
            case SubschemaShape::List:
                if (v.is_array()) {
                    for (size_t i = 0; i < v.size(); ++i)
                        index(v[i], here, at + QLatin1Char('/') + QString::number(i),
                              refSiblingsApply);
                } else {
                    index(v, here, at, refSiblingsApply);
                }
                break;
            case SubschemaShape::Map:
            case SubschemaShape::MapOrLists:
                if (v.is_object()) {
                    for (auto m = v.begin(); m != v.end(); ++m)
                        index(m.value(), here, at + QLatin1Char('/') + escapePointerToken(m.key()),
                              refSiblingsApply);
                }
                break;
            }
        }
    }

    void addDocument(json document, const QString &uri, bool refSiblingsApply)
    {
        documents.push_back(std::move(document));
        const json &doc = documents.back();
        const QString base = withoutFragment(uri);
        if (!resources.contains(base))
            resources.insert(base, &doc);
        index(doc, base, QString(), refSiblingsApply);
    }

    // The schema an absolute URI names, and the base URI that holds there.
    const json *lookup(const QString &uri, QString *base) const
    {
        const qsizetype hash = uri.indexOf(QLatin1Char('#'));
        const QString resource = hash < 0 ? uri : uri.left(hash);
        const QString fragment = hash < 0 ? QString() : uri.mid(hash + 1);
        const json *node = resources.value(resource, nullptr);
        if (!node)
            return nullptr;
        if (fragment.isEmpty()) {
            *base = baseOf.value(node, resource);
            return node;
        }
        if (!fragment.startsWith(QLatin1Char('/'))) {
            const json *anchored = anchors.value(resource + QLatin1Char('#') + fragment, nullptr);
            if (anchored)
                *base = baseOf.value(anchored, resource);
            return anchored;
        }
        // A JSON pointer: percent-decoded first, then ~1 and ~0.
        const QString pointer = QUrl::fromPercentEncoding(fragment.toUtf8());
        QString currentBase = baseOf.value(node, resource);
        const json *current = node;
        const QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
        for (QString token : tokens) {
            token.replace(QStringLiteral("~1"), QStringLiteral("/"));
            token.replace(QStringLiteral("~0"), QStringLiteral("~"));
            if (current->is_object()) {
                const auto it = current->find(token.toStdString());
                if (it == current->end())
                    return nullptr;
                current = &*it;
            } else if (current->is_array()) {
                bool ok = false;
                const uint i = token.toUInt(&ok);
                if (!ok || i >= current->size() || QString::number(i) != token)
                    return nullptr;
                current = &(*current)[i];
            } else {
                return nullptr;
            }
            currentBase = baseOf.value(current, currentBase);
        }
        *base = currentBase;
        return current;
    }

    const JsRegex &regex(const std::string &pattern) const
    {
        QMutexLocker lock(&regexLock);
        const QString key = qs(pattern);
        auto it = regexCache.find(key);
        if (it == regexCache.end())
            it = regexCache.insert(key, std::make_shared<JsRegex>(key));
        return *it.value();
    }
};

namespace {

bool isModern(const json &schema)
{
    if (!schema.is_object() || !schema.contains("$schema") || !schema["$schema"].is_string())
        return false;
    const std::string s = schema["$schema"].get<std::string>();
    return s.find("2019-09") != std::string::npos || s.find("2020-12") != std::string::npos;
}

// Properties and items a schema looked at, for unevaluatedProperties / unevaluatedItems.
struct Evaluated
{
    QSet<std::string> properties;
    size_t items = 0; // a prefix of items
    bool allItems = false;
    QSet<size_t> itemIndexes; // items `contains` matched

    void merge(const Evaluated &o)
    {
        properties.unite(o.properties);
        items = std::max(items, o.items);
        allItems = allItems || o.allItems;
        itemIndexes.unite(o.itemIndexes);
    }
};

struct Walk
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

class Checker
{
public:
    explicit Checker(const JsonSchemaValidator::Impl &impl)
        : d(impl)
    {
    }

    bool check(const json &schema, const QString &inheritedBase, const json &value,
               const QString &path, Walk &walk, int depth, Evaluated *ev) const;

private:
    const JsonSchemaValidator::Impl &d;

    bool probe(const json &sub, const QString &base, const json &value, const QString &path,
               int depth, Evaluated *ev = nullptr, QList<SchemaError> *errors = nullptr) const
    {
        Walk p;
        p.allErrors = false;
        const bool ok = check(sub, base, value, path, p, depth + 1, ev);
        if (errors)
            *errors = p.errors;
        return ok;
    }
    void checkValueKeywords(const json &schema, const json &value, const QString &path,
                            Walk &walk) const;
    void checkObject(const json &schema, const QString &base, const json &value,
                     const QString &path, Walk &walk, int depth, Evaluated &ev) const;
    void checkArray(const json &schema, const QString &base, const json &value, const QString &path,
                    Walk &walk, int depth, Evaluated &ev) const;
    void checkCombinators(const json &schema, const QString &base, const json &value,
                          const QString &path, Walk &walk, int depth, Evaluated &ev) const;
    void checkUnevaluated(const json &schema, const QString &base, const json &value,
                          const QString &path, Walk &walk, int depth, Evaluated &ev) const;
};

bool Checker::check(const json &schema, const QString &inheritedBase, const json &value,
                    const QString &path, Walk &walk, int depth, Evaluated *ev) const
{
    if (depth > kMaxDepth)
        return walk.fail(path, QStringLiteral("schema nests too deeply (a $ref loop?)"));
    if (schema.is_boolean()) {
        if (schema.get<bool>()) {
            if (ev && d.modern) {
                ev->allItems = true;
                if (value.is_object())
                    for (auto it = value.begin(); it != value.end(); ++it)
                        ev->properties.insert(it.key());
            }
            return true;
        }
        return walk.fail(path, QStringLiteral("no value is allowed here"));
    }
    if (!schema.is_object())
        return true;
    const QString base = d.baseOf.value(&schema, inheritedBase);
    const qsizetype before = walk.errors.size();
    Evaluated local;

    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
        const QString target = resolveUri(base, qs(ref->get<std::string>()));
        QString targetBase;
        const json *resolved = d.lookup(target, &targetBase);
        if (!resolved)
            return walk.fail(path, QStringLiteral("unresolvable $ref \"%1\"").arg(qs(*ref)));
        check(*resolved, targetBase, value, path, walk, depth + 1, &local);
        if (!d.modern) { // draft-07: the reference replaces every sibling keyword
            if (ev)
                ev->merge(local);
            return walk.errors.size() == before;
        }
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
    checkValueKeywords(schema, value, path, walk);
    if (value.is_object() && !walk.done())
        checkObject(schema, base, value, path, walk, depth, local);
    if (value.is_array() && !walk.done())
        checkArray(schema, base, value, path, walk, depth, local);
    if (!walk.done())
        checkCombinators(schema, base, value, path, walk, depth, local);
    if (d.modern && !walk.done())
        checkUnevaluated(schema, base, value, path, walk, depth, local);
    const bool ok = walk.errors.size() == before;
    if (ok && ev)
        ev->merge(local);
    return ok;
}

void Checker::checkValueKeywords(const json &schema, const json &value, const QString &path,
                                 Walk &walk) const
{
    if (auto e = schema.find("enum");
        e != schema.end() && e->is_array() && std::find(e->begin(), e->end(), value) == e->end()) {
        walk.fail(path, QStringLiteral("%1 is not one of %2").arg(shortDump(value), shortDump(*e)));
        if (walk.done())
            return;
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != value) {
        walk.fail(path, QStringLiteral("expected %1, got %2").arg(shortDump(*c), shortDump(value)));
        if (walk.done())
            return;
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
            && schema["minimum"].is_number() && x == schema["minimum"].get<double>()
            && !walk.done())
            walk.fail(path, QStringLiteral("%1 must be greater than %1").arg(number(x)));
        if (schema.value("exclusiveMaximum", json()).is_boolean()
            && schema.value("exclusiveMaximum", false) && schema.contains("maximum")
            && schema["maximum"].is_number() && x == schema["maximum"].get<double>()
            && !walk.done())
            walk.fail(path, QStringLiteral("%1 must be less than %1").arg(number(x)));
        bound(
            "multipleOf",
            [&](double b) {
                if (value.is_number_integer() && schema["multipleOf"].is_number_integer()) {
                    const auto m = schema["multipleOf"].get<std::int64_t>();
                    return m != 0 && value.get<std::int64_t>() % m != 0;
                }
                const double q = x / b;
                if (!std::isfinite(q))
                    return true;
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
            const JsRegex &re = d.regex(p->get<std::string>());
            if (re.isValid() && !re.test(text))
                walk.fail(path,
                          QStringLiteral("%1 does not match the pattern %2")
                              .arg(shortDump(value), qs(p->dump())));
        }
    }
}

void Checker::checkObject(const json &schema, const QString &base, const json &value,
                          const QString &path, Walk &walk, int depth, Evaluated &ev) const
{
    const auto requireAll = [&](const json &names, const QString &because) {
        for (const json &name : names) {
            if (!name.is_string() || value.contains(name.get<std::string>()))
                continue;
            walk.fail(path,
                      QStringLiteral("missing required property \"%1\"%2")
                          .arg(qs(name.get<std::string>()), because));
            if (walk.done())
                return;
        }
    };
    if (auto req = schema.find("required"); req != schema.end() && req->is_array())
        requireAll(*req, QString());
    if (walk.done())
        return;
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
    if (walk.done())
        return;

    // dependencies (draft-07), dependentRequired and dependentSchemas (2019-09+)
    for (const char *keyword : {"dependencies", "dependentRequired", "dependentSchemas"}) {
        auto deps = schema.find(keyword);
        if (deps == schema.end() || !deps->is_object())
            continue;
        for (auto it = deps->begin(); it != deps->end() && !walk.done(); ++it) {
            if (!value.contains(it.key()))
                continue;
            if (it.value().is_array())
                requireAll(it.value(),
                           QStringLiteral(" (required when \"%1\" is present)").arg(qs(it.key())));
            else
                check(it.value(), base, value, path, walk, depth + 1, &ev);
        }
    }

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
            check(*names, base, json(it.key()), childPath, walk, depth + 1, nullptr);
        bool matched = false;
        if (auto p = properties.find(it.key()); p != properties.end()) {
            matched = true;
            check(*p, base, it.value(), childPath, walk, depth + 1, nullptr);
        }
        for (auto p = patterns.begin(); p != patterns.end() && !walk.done(); ++p) {
            const JsRegex &re = d.regex(p.key());
            if (re.isValid() && re.test(qs(it.key()))) {
                matched = true;
                check(p.value(), base, it.value(), childPath, walk, depth + 1, nullptr);
            }
        }
        if (matched)
            ev.properties.insert(it.key());
        if (matched || additional == schema.end() || walk.done())
            continue;
        ev.properties.insert(it.key());
        if (additional->is_boolean() && !additional->get<bool>())
            walk.fail(path, QStringLiteral("property \"%1\" is not allowed").arg(qs(it.key())));
        else
            check(*additional, base, it.value(), childPath, walk, depth + 1, nullptr);
    }
}

void Checker::checkArray(const json &schema, const QString &base, const json &value,
                         const QString &path, Walk &walk, int depth, Evaluated &ev) const
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
    ev.items = std::max(ev.items, std::min(positional, value.size()));
    if (rest)
        ev.allItems = true;
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
            check((*prefix)[i], base, value[i], childPath, walk, depth + 1, nullptr);
        else if (rest)
            check(*rest, base, value[i], childPath, walk, depth + 1, nullptr);
    }

    if (auto c = schema.find("contains"); c != schema.end() && !walk.done()) {
        size_t matches = 0;
        for (size_t i = 0; i < value.size(); ++i) {
            if (probe(*c, base, value[i], path, depth)) {
                ++matches;
                ev.itemIndexes.insert(i);
            }
        }
        const auto minC = schema.find("minContains");
        const auto maxC = schema.find("maxContains");
        const double minimum = minC != schema.end() && minC->is_number() ? minC->get<double>() : 1;
        if (double(matches) < minimum)
            walk.fail(path,
                      minimum <= 1
                          ? QStringLiteral("no item matches the \"contains\" schema")
                          : QStringLiteral("%1 items match the \"contains\" schema, fewer than "
                                           "the minimum %2")
                                .arg(matches)
                                .arg(number(minimum)));
        else if (maxC != schema.end() && maxC->is_number() && double(matches) > maxC->get<double>())
            walk.fail(path,
                      QStringLiteral("%1 items match the \"contains\" schema, more than the "
                                     "maximum %2")
                          .arg(matches)
                          .arg(number(maxC->get<double>())));
    }
}

void Checker::checkCombinators(const json &schema, const QString &base, const json &value,
                               const QString &path, Walk &walk, int depth, Evaluated &ev) const
{
    if (auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
        for (const json &sub : *all) {
            if (walk.done())
                return;
            check(sub, base, value, path, walk, depth + 1, &ev);
        }
    }
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && !walk.done()) {
        QList<SchemaError> firstErrors;
        bool ok = false;
        // With unevaluated* every passing alternative counts, so try them all.
        for (size_t i = 0; i < any->size() && (!ok || d.modern); ++i)
            ok = probe((*any)[i], base, value, path, depth, &ev, i == 0 ? &firstErrors : nullptr)
                || ok;
        if (!ok) {
            const QString detail = firstErrors.isEmpty()
                ? QString()
                : QStringLiteral(" (first alternative: %1)").arg(firstErrors.first().toString());
            walk.fail(path, QStringLiteral("matches none of the anyOf alternatives") + detail);
        }
    }
    if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array() && !walk.done()) {
        int matches = 0;
        Evaluated chosen;
        for (const json &sub : *one) {
            Evaluated e;
            if (probe(sub, base, value, path, depth, &e)) {
                ++matches;
                chosen = e;
            }
        }
        if (matches == 0)
            walk.fail(path, QStringLiteral("matches none of the oneOf alternatives"));
        else if (matches > 1)
            walk.fail(path,
                      QStringLiteral("matches %1 of the oneOf alternatives, expected exactly one")
                          .arg(matches));
        else
            ev.merge(chosen);
    }
    if (auto n = schema.find("not");
        n != schema.end() && !walk.done() && probe(*n, base, value, path, depth))
        walk.fail(path, QStringLiteral("must not match the \"not\" schema"));
    if (auto cond = schema.find("if"); cond != schema.end() && !walk.done()) {
        const char *branch = probe(*cond, base, value, path, depth, &ev) ? "then" : "else";
        if (auto b = schema.find(branch); b != schema.end())
            check(*b, base, value, path, walk, depth + 1, &ev);
    }
}

void Checker::checkUnevaluated(const json &schema, const QString &base, const json &value,
                               const QString &path, Walk &walk, int depth, Evaluated &ev) const
{
    if (auto u = schema.find("unevaluatedProperties"); u != schema.end() && value.is_object()) {
        for (auto it = value.begin(); it != value.end() && !walk.done(); ++it) {
            if (ev.properties.contains(it.key()))
                continue;
            if (u->is_boolean() && !u->get<bool>())
                walk.fail(path,
                          QStringLiteral("property \"%1\" is not allowed (unevaluated)")
                              .arg(qs(it.key())));
            else
                check(*u, base, it.value(), path + QLatin1Char('/') + escapePointerToken(it.key()),
                      walk, depth + 1, nullptr);
            ev.properties.insert(it.key());
        }
    }
    if (auto u = schema.find("unevaluatedItems"); u != schema.end() && value.is_array()) {
        if (!ev.allItems) {
            for (size_t i = ev.items; i < value.size() && !walk.done(); ++i) {
                if (ev.itemIndexes.contains(i))
                    continue;
                if (u->is_boolean() && !u->get<bool>())
                    walk.fail(path, QStringLiteral("item %1 is not allowed (unevaluated)").arg(i));
                else
                    check(*u, base, value[i], path + QLatin1Char('/') + QString::number(i), walk,
                          depth + 1, nullptr);
            }
        }
        ev.allItems = true;
    }
}

} // namespace

// ---- public ----------------------------------------------------------------------------

QString SchemaError::toString() const
{
    return (path.isEmpty() ? QStringLiteral("/") : path) + QStringLiteral(": ") + message;
}

JsonSchemaValidator::JsonSchemaValidator(std::shared_ptr<const Impl> impl)
    : d(std::move(impl))
{
}

const nlohmann::json &JsonSchemaValidator::schema() const
{
    return d->root();
}

Result<JsonSchemaValidator> JsonSchemaValidator::create(nlohmann::json schema)
{
    return create(std::move(schema), {});
}

Result<JsonSchemaValidator>
JsonSchemaValidator::create(nlohmann::json schema, const QHash<QString, nlohmann::json> &documents)
{
    if (auto ok = checkSchema(schema); !ok)
        return fail(ok.error());
    auto impl = std::make_shared<Impl>();
    impl->modern = isModern(schema);
    impl->addDocument(std::move(schema), QLatin1String(kDefaultBase), impl->modern);
    impl->recordRefs = false;
    for (auto it = documents.cbegin(); it != documents.cend(); ++it)
        impl->addDocument(it.value(), it.key(), isModern(it.value()));
    // The meta-schema is indexed only for schemas that refer to it (the index is per validator).
    const auto mentionsMeta = [](const json &doc) {
        return doc.dump().find("json-schema.org/draft-07/schema") != std::string::npos;
    };
    bool needMeta = mentionsMeta(impl->root());
    for (auto it = documents.cbegin(); it != documents.cend() && !needMeta; ++it)
        needMeta = mentionsMeta(it.value());
    if (needMeta) {
        static const json meta = json::parse(draft07MetaSchema(), nullptr, false);
        impl->addDocument(meta, QStringLiteral("http://json-schema.org/draft-07/schema"), false);
    }

    // Every $ref of the schema itself must land somewhere.
    for (const auto &[node, pointer] : std::as_const(impl->refs)) {
        const QString ref = qs((*node)["$ref"].get<std::string>());
        const QString target = resolveUri(impl->baseOf.value(node), ref);
        QString base;
        if (impl->lookup(target, &base))
            continue;
        const QString at = (pointer.isEmpty() ? QString() : pointer) + QStringLiteral("/$ref");
        const bool local = ref.startsWith(QLatin1Char('#'));
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("Invalid JSON schema: %1: \"%2\" %3")
                .arg(at, ref,
                     local ? QStringLiteral("does not point into this schema")
                           : QStringLiteral("names a document that is not available (only "
                                            "references inside this schema, to the "
                                            "draft-07 meta-schema and to documents given "
                                            "to the validator resolve; nothing is fetched)")));
    }
    return JsonSchemaValidator(std::move(impl));
}

Result<void> JsonSchemaValidator::validateSchema(const nlohmann::json &schema)
{
    auto made = create(schema);
    if (!made)
        return fail(made.error());
    return {};
}

QList<SchemaError> JsonSchemaValidator::validate(const nlohmann::json &instance,
                                                 bool allErrors) const
{
    Walk walk;
    walk.allErrors = allErrors;
    Checker(*d).check(d->root(), QLatin1String(kDefaultBase), instance, QString(), walk, 0,
                      nullptr);
    return walk.errors;
}

} // namespace ts
