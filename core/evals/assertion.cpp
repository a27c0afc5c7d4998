#include "evals/assertion.h"

#include "evals/jsonschema.h"
#include "evals/textmetrics.h"

#include <QRegularExpression>

#include <cmath>
#include <functional>

namespace ts {

namespace {

using json = nlohmann::json;
namespace tm = textmetrics;

QString qs(const json &value)
{
    return tm::jsString(value);
}

QString fmt(double d)
{
    return QString::number(d, 'g', 10);
}

struct Params
{
    QString type; ///< as written, for messages
    QString base;
    bool inverse = false;
    json value;   ///< after {{var}} substitution
    const AssertionSpec &spec;
    const AssertionContext &ctx;

    QString notWord() const { return inverse ? QStringLiteral("not ") : QString(); }
};

using Outcome = Result<AssertionOutcome>;

tl::unexpected<Error> bad(const QString &message)
{
    return fail(ErrorCode::InvalidArgument, message);
}

AssertionOutcome binary(bool pass, const QString &failReason)
{
    return {pass, pass ? 1.0 : 0.0, pass ? QStringLiteral("Assertion passed") : failReason};
}

bool isNonEmptyString(const json &v)
{
    return v.is_string() && !v.get<std::string>().empty();
}

// The value of the comparison types, falling back to the test case's expected output.
Result<json> reference(const Params &p)
{
    if (!p.value.is_null())
        return p.value;
    if (p.ctx.expected)
        return json(p.ctx.expected->toStdString());
    return bad(QStringLiteral("needs a value or a test case with an expected output"));
}

Result<QStringList> stringList(const json &value)
{
    if (value.is_string())
        return tm::parseCommaSeparated(QString::fromStdString(value.get<std::string>()));
    QStringList items;
    if (value.is_array()) {
        for (const json &item : value) {
            if (item.is_object() || item.is_array() || item.is_null())
                return bad(QStringLiteral("list items must be strings or numbers"));
            items.append(qs(item));
        }
    }
    return items;
}

Result<std::optional<JsonSchemaValidator>> schemaOf(const json &value)
{
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty()))
        return std::optional<JsonSchemaValidator>();
    json schema = value;
    if (value.is_string()) {
        auto parsed = tm::parseJson(QString::fromStdString(value.get<std::string>()));
        if (!parsed)
            return bad(QStringLiteral("Invalid JSON schema: the value is not JSON text"));
        schema = *parsed;
    }
    auto validator = JsonSchemaValidator::create(schema);
    if (!validator)
        return fail(validator.error());
    return std::optional<JsonSchemaValidator>(std::move(*validator));
}

QString schemaErrors(const QList<SchemaError> &errors)
{
    QStringList lines;
    for (const SchemaError &e : errors)
        lines.append(e.toString());
    return lines.join(QStringLiteral("; "));
}

// ---- value checks shared by validation (at save) and evaluation -----------------------

Result<void> checkCountValue(const json &v)
{
    const auto nonNegative = [](const json &n) { return n.is_number() && n.get<double>() >= 0; };
    if (v.is_object()) {
        const bool hasMin = v.contains("min"), hasMax = v.contains("max");
        if (!hasMin && !hasMax)
            return bad(QStringLiteral("needs \"min\" and/or \"max\""));
        if ((hasMin && !nonNegative(v["min"])) || (hasMax && !nonNegative(v["max"])))
            return bad(QStringLiteral("min and max must be non-negative numbers"));
        if (hasMin && hasMax && v["min"].get<double>() > v["max"].get<double>())
            return bad(QStringLiteral("min (%1) must not exceed max (%2)").arg(qs(v["min"]), qs(v["max"])));
        return {};
    }
    if (nonNegative(v))
        return {};
    if (v.is_string()) {
        bool ok = false;
        const double n = QString::fromStdString(v.get<std::string>()).trimmed().toDouble(&ok);
        if (ok && n >= 0)
            return {};
    }
    return bad(QStringLiteral("needs a count or {\"min\": …, \"max\": …}"));
}

Result<void> checkValue(const QString &base, const AssertionSpec &spec, const json &v, bool atSave)
{
    const bool none = v.is_null();
    if (base == QLatin1String("equals"))
        return {};
    if (base == QLatin1String("contains") || base == QLatin1String("icontains")) {
        if (isNonEmptyString(v) || v.is_number())
            return {};
        return bad(QStringLiteral("needs a non-empty text value"));
    }
    if (base.contains(QLatin1String("contains-a"))) { // the -any / -all family
        auto items = stringList(v);
        if (!items)
            return fail(items.error());
        if (items->isEmpty())
            return bad(QStringLiteral("needs a list of values (or \"a, b, c\")"));
        return {};
    }
    if (base == QLatin1String("starts-with"))
        return isNonEmptyString(v) ? Result<void>() : bad(QStringLiteral("needs a non-empty text value"));
    if (base == QLatin1String("regex")) {
        if (!isNonEmptyString(v))
            return bad(QStringLiteral("needs a pattern"));
        const QString pattern = QString::fromStdString(v.get<std::string>());
        if (atSave && pattern.contains(QLatin1String("{{")))
            return {}; // variables are filled in per test case; check the result then
        const QRegularExpression re(pattern);
        if (!re.isValid())
            return bad(QStringLiteral("invalid pattern: %1 at offset %2")
                           .arg(re.errorString())
                           .arg(re.patternErrorOffset()));
        return {};
    }
    if (base == QLatin1String("is-json") || base == QLatin1String("contains-json")) {
        auto schema = schemaOf(v);
        return schema ? Result<void>() : fail(schema.error());
    }
    const auto thresholdIn = [&](double lo, double hi) -> Result<void> {
        if (spec.threshold && (*spec.threshold < lo || *spec.threshold > hi))
            return bad(QStringLiteral("threshold must be between %1 and %2").arg(fmt(lo), fmt(hi)));
        return {};
    };
    if (base == QLatin1String("levenshtein")) {
        if (!none && !v.is_string())
            return bad(QStringLiteral("needs a reference text"));
        return thresholdIn(0, 1e9);
    }
    if (base == QLatin1String("rouge-n") || base == QLatin1String("bleu")) {
        const bool listOk = base == QLatin1String("bleu") && v.is_array() && !v.empty()
                            && std::all_of(v.begin(), v.end(), [](const json &e) { return e.is_string(); });
        if (!none && !v.is_string() && !listOk)
            return bad(QStringLiteral("needs a reference text"));
        return thresholdIn(0, 1);
    }
    if (base == QLatin1String("latency") || base == QLatin1String("cost")) {
        if (!spec.threshold)
            return bad(QStringLiteral("needs a threshold (the most %1 allowed)")
                           .arg(base == QLatin1String("latency") ? QStringLiteral("milliseconds")
                                                                 : QStringLiteral("cost")));
        return thresholdIn(0, 1e18);
    }
    if (base == QLatin1String("word-count") || base == QLatin1String("character-count")
        || base == QLatin1String("sentence-count"))
        return checkCountValue(v);
    return bad(QStringLiteral("unknown assertion type"));
}

QString canonicalBase(const QString &type, bool *inverse)
{
    QString base = type.trimmed();
    *inverse = base.startsWith(QLatin1String("not-"));
    if (*inverse)
        base = base.mid(4);
    if (base == QLatin1String("char-count"))
        base = QStringLiteral("character-count");
    return base;
}

// ---- handlers -------------------------------------------------------------------------

Outcome handleEquals(const Params &p)
{
    auto ref = reference(p);
    if (!ref)
        return fail(ref.error());
    bool pass = false;
    QString shown;
    if (ref->is_object() || ref->is_array()) {
        const auto parsed = tm::parseJson(p.ctx.output);
        pass = parsed ? ((*parsed == *ref) != p.inverse) : p.inverse;
        shown = QString::fromStdString(ref->dump());
    } else {
        shown = qs(*ref);
        pass = (shown == p.ctx.output) != p.inverse;
    }
    return binary(pass, QStringLiteral("Expected output \"%1\" to %2equal \"%3\"")
                            .arg(p.ctx.output, p.notWord(), shown));
}

Outcome handleContains(const Params &p)
{
    const QString needle = qs(p.value);
    const Qt::CaseSensitivity cs = p.base.startsWith(QLatin1Char('i')) ? Qt::CaseInsensitive
                                                                        : Qt::CaseSensitive;
    const bool pass = p.ctx.output.contains(needle, cs) != p.inverse;
    return binary(pass, QStringLiteral("Expected output to %1contain \"%2\"").arg(p.notWord(), needle));
}

Outcome handleContainsList(const Params &p)
{
    auto items = stringList(p.value);
    if (!items)
        return fail(items.error());
    const Qt::CaseSensitivity cs = p.base.startsWith(QLatin1Char('i')) ? Qt::CaseInsensitive
                                                                        : Qt::CaseSensitive;
    QStringList missing;
    for (const QString &item : *items) {
        if (!p.ctx.output.contains(item, cs))
            missing.append(item);
    }
    const QString joined = items->join(QStringLiteral(", "));
    if (p.base.endsWith(QLatin1String("-any"))) {
        const bool pass = (missing.size() < items->size()) != p.inverse;
        return binary(pass, QStringLiteral("Expected output to %1contain one of \"%2\"")
                                .arg(p.notWord(), joined));
    }
    const bool pass = missing.isEmpty() != p.inverse;
    return binary(pass, QStringLiteral("Expected output to %1contain all of [%2]. Missing: [%3]")
                            .arg(p.notWord(), joined, missing.join(QStringLiteral(", "))));
}

Outcome handleStartsWith(const Params &p)
{
    const QString prefix = qs(p.value);
    const bool pass = p.ctx.output.startsWith(prefix) != p.inverse;
    return binary(pass, QStringLiteral("Expected output to %1start with \"%2\"").arg(p.notWord(), prefix));
}

Outcome handleRegex(const Params &p)
{
    const QString pattern = qs(p.value);
    const QRegularExpression re(pattern);
    const bool pass = re.match(p.ctx.output).hasMatch() != p.inverse;
    return binary(pass, QStringLiteral("Expected output to %1match regex \"%2\"").arg(p.notWord(), pattern));
}

Outcome handleIsJson(const Params &p)
{
    auto schema = schemaOf(p.value);
    if (!schema)
        return fail(schema.error());
    const auto parsed = tm::parseJson(p.ctx.output);
    bool pass = parsed ? !p.inverse : p.inverse;
    if (parsed && *schema) {
        const QList<SchemaError> errors = (*schema)->validate(*parsed);
        pass = errors.isEmpty() != p.inverse;
        if (!pass)
            return AssertionOutcome{false, 0.0,
                                    p.inverse ? QStringLiteral("Output is JSON that conforms to the provided schema")
                                              : QStringLiteral("JSON does not conform to the provided schema. Errors: ")
                                                    + schemaErrors(errors)};
    }
    return binary(pass, p.inverse ? QStringLiteral("Expected output to not be valid JSON")
                                  : QStringLiteral("Expected output to be valid JSON"));
}

Outcome handleContainsJson(const Params &p)
{
    auto schema = schemaOf(p.value);
    if (!schema)
        return fail(schema.error());
    const QList<json> found = tm::extractJsonValues(p.ctx.output);
    bool pass = p.inverse ? found.isEmpty() : !found.isEmpty();
    QString reason = p.inverse ? QStringLiteral("Expected output to not contain JSON")
                               : QStringLiteral("Expected output to contain valid JSON");
    if (*schema) {
        for (const json &candidate : found) {
            const QList<SchemaError> errors = (*schema)->validate(candidate);
            pass = errors.isEmpty() != p.inverse;
            if (errors.isEmpty()) {
                reason = QStringLiteral("Output contains JSON conforming to the provided schema");
                break;
            }
            reason = QStringLiteral("JSON does not conform to the provided schema. Errors: ")
                     + schemaErrors(errors);
        }
    }
    return binary(pass, reason);
}

Outcome handleLevenshtein(const Params &p)
{
    auto ref = reference(p);
    if (!ref)
        return fail(ref.error());
    const double threshold = p.spec.threshold.value_or(5);
    const int distance = tm::levenshtein(p.ctx.output, qs(*ref));
    const bool pass = (distance <= threshold) != p.inverse;
    return binary(pass, p.inverse ? QStringLiteral("Levenshtein distance %1 is less than or equal to threshold %2")
                                         .arg(distance).arg(fmt(threshold))
                                  : QStringLiteral("Levenshtein distance %1 is greater than threshold %2")
                                         .arg(distance).arg(fmt(threshold)));
}

AssertionOutcome graded(const Params &p, const QString &name, double score, double threshold)
{
    const bool pass = (score >= threshold) != p.inverse;
    const QString s = QString::number(score, 'f', 2);
    QString reason;
    if (score >= threshold)
        reason = QStringLiteral("%1 score %2 is greater than or equal to threshold %3");
    else
        reason = QStringLiteral("%1 score %2 is less than threshold %3");
    return {pass, p.inverse ? 1.0 - score : score, reason.arg(name, s, fmt(threshold))};
}

Outcome handleRouge(const Params &p)
{
    auto ref = reference(p);
    if (!ref)
        return fail(ref.error());
    return graded(p, QStringLiteral("ROUGE-N"), tm::rougeN(p.ctx.output, qs(*ref), 1),
                  p.spec.threshold.value_or(0.75));
}

Outcome handleBleu(const Params &p)
{
    auto ref = reference(p);
    if (!ref)
        return fail(ref.error());
    QStringList refs;
    if (ref->is_array()) {
        for (const json &r : *ref)
            refs.append(qs(r));
    } else {
        refs.append(qs(*ref));
    }
    auto score = tm::bleu(p.ctx.output, refs);
    if (!score)
        return fail(score.error());
    return graded(p, QStringLiteral("BLEU"), *score, p.spec.threshold.value_or(0.5));
}

Outcome handleLimit(const Params &p)
{
    const bool latency = p.base == QLatin1String("latency");
    const std::optional<double> measured = latency ? p.ctx.latencyMs : p.ctx.cost;
    if (!measured)
        return bad(latency ? QStringLiteral("latency is unknown for this output (answers served "
                                            "from the cache have none; rerun with fresh samples)")
                           : QStringLiteral("cost is unknown for this output (the model has no prices)"));
    const double threshold = *p.spec.threshold;
    const bool pass = (*measured <= threshold) != p.inverse;
    const QString unit = latency ? QStringLiteral("ms") : QString();
    const QString what = latency ? QStringLiteral("Latency") : QStringLiteral("Cost");
    return binary(pass, QStringLiteral("%1 %2%3 is %4 threshold %5%3")
                            .arg(what, fmt(*measured), unit,
                                 p.inverse ? QStringLiteral("less than or equal to")
                                           : QStringLiteral("greater than"),
                                 fmt(threshold)));
}

Outcome handleCount(const Params &p)
{
    QString noun;
    int count = 0;
    if (p.base == QLatin1String("word-count")) {
        noun = QStringLiteral("word");
        count = tm::wordCount(p.ctx.output);
    } else if (p.base == QLatin1String("character-count")) {
        noun = QStringLiteral("character");
        count = tm::characterCount(p.ctx.output);
    } else {
        noun = QStringLiteral("sentence");
        count = tm::sentenceCount(p.ctx.output);
    }
    const QString Noun = noun.left(1).toUpper() + noun.mid(1);
    const json &v = p.value;
    bool matches = false;
    QString failure, inverseFailure;
    if (v.is_object()) {
        const bool hasMin = v.contains("min"), hasMax = v.contains("max");
        const double min = hasMin ? v["min"].get<double>() : 0, max = hasMax ? v["max"].get<double>() : 0;
        if (hasMin && hasMax) {
            matches = count >= min && count <= max;
            failure = QStringLiteral("%1 count %2 is not between %3 and %4").arg(Noun).arg(count).arg(fmt(min), fmt(max));
            inverseFailure = QStringLiteral("Expected %1 count to not be between %2 and %3, but got %4")
                                 .arg(noun, fmt(min), fmt(max)).arg(count);
        } else if (hasMax) {
            matches = count <= max;
            failure = QStringLiteral("%1 count %2 is greater than maximum %3").arg(Noun).arg(count).arg(fmt(max));
            inverseFailure = QStringLiteral("Expected %1 count to be greater than %2, but got %3")
                                 .arg(noun, fmt(max)).arg(count);
        } else {
            matches = count >= min;
            failure = QStringLiteral("%1 count %2 is less than minimum %3").arg(Noun).arg(count).arg(fmt(min));
            inverseFailure = QStringLiteral("Expected %1 count to be less than %2, but got %3")
                                 .arg(noun, fmt(min)).arg(count);
        }
    } else {
        const double expected = v.is_number() ? v.get<double>()
                                              : QString::fromStdString(v.get<std::string>()).trimmed().toDouble();
        matches = count == expected;
        failure = QStringLiteral("%1 count %2 does not equal expected %3").arg(Noun).arg(count).arg(fmt(expected));
        inverseFailure = QStringLiteral("Expected %1 count to not equal %2, but got %3")
                             .arg(noun, fmt(expected)).arg(count);
    }
    const bool pass = matches != p.inverse;
    return binary(pass, p.inverse ? inverseFailure : failure);
}

using Handler = std::function<Outcome(const Params &)>;

const QHash<QString, Handler> &handlers()
{
    static const QHash<QString, Handler> table{
        {QStringLiteral("equals"), handleEquals},
        {QStringLiteral("contains"), handleContains},
        {QStringLiteral("icontains"), handleContains},
        {QStringLiteral("contains-any"), handleContainsList},
        {QStringLiteral("contains-all"), handleContainsList},
        {QStringLiteral("icontains-any"), handleContainsList},
        {QStringLiteral("icontains-all"), handleContainsList},
        {QStringLiteral("starts-with"), handleStartsWith},
        {QStringLiteral("regex"), handleRegex},
        {QStringLiteral("is-json"), handleIsJson},
        {QStringLiteral("contains-json"), handleContainsJson},
        {QStringLiteral("levenshtein"), handleLevenshtein},
        {QStringLiteral("rouge-n"), handleRouge},
        {QStringLiteral("bleu"), handleBleu},
        {QStringLiteral("latency"), handleLimit},
        {QStringLiteral("cost"), handleLimit},
        {QStringLiteral("word-count"), handleCount},
        {QStringLiteral("character-count"), handleCount},
        {QStringLiteral("sentence-count"), handleCount},
    };
    return table;
}

json lookupVar(const json &vars, const QString &path)
{
    const json *node = &vars;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (node->is_object() && node->contains(part.toStdString()))
            node = &(*node)[part.toStdString()];
        else if (node->is_array() && !part.isEmpty() && part.toUInt() < node->size()
                 && part == QString::number(part.toUInt()))
            node = &(*node)[part.toUInt()];
        else
            return json();
    }
    return *node;
}

QString substituteString(const QString &text, const json &vars)
{
    static const QRegularExpression tag(QStringLiteral("\\{\\{\\{?\\s*([A-Za-z0-9_.\\-]+)\\s*\\}?\\}\\}"));
    if (!text.contains(QLatin1String("{{")))
        return text;
    QString result;
    qsizetype last = 0;
    for (auto it = tag.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        result += text.mid(last, m.capturedStart() - last);
        const json value = lookupVar(vars, m.captured(1));
        if (!value.is_null())
            result += qs(value);
        last = m.capturedEnd();
    }
    result += text.mid(last);
    return result;
}

} // namespace

nlohmann::json AssertionSpec::toJson() const
{
    json out = {{"type", type.toStdString()}};
    if (!value.is_null())
        out["value"] = value;
    if (weight != 1)
        out["weight"] = weight;
    if (threshold)
        out["threshold"] = *threshold;
    return out;
}

Result<AssertionSpec> AssertionSpec::fromJson(const nlohmann::json &in)
{
    if (!in.is_object())
        return bad(QStringLiteral("an assertion must be a JSON object"));
    AssertionSpec spec;
    const auto type = in.find("type");
    if (type == in.end() || !type->is_string())
        return bad(QStringLiteral("an assertion needs a \"type\""));
    spec.type = QString::fromStdString(type->get<std::string>());
    spec.value = in.value("value", json());
    if (auto w = in.find("weight"); w != in.end() && !w->is_null()) {
        if (!w->is_number())
            return bad(QStringLiteral("\"weight\" must be a number"));
        spec.weight = w->get<double>();
    }
    if (auto t = in.find("threshold"); t != in.end() && !t->is_null()) {
        if (!t->is_number())
            return bad(QStringLiteral("\"threshold\" must be a number"));
        spec.threshold = t->get<double>();
    }
    return spec;
}

QStringList assertionTypes()
{
    QStringList types = handlers().keys();
    types.sort();
    return types;
}

Result<void> validateAssertion(const AssertionSpec &spec)
{
    bool inverse = false;
    const QString base = canonicalBase(spec.type, &inverse);
    const QString prefix = QStringLiteral("\"%1\" assertion: ").arg(spec.type);
    if (!handlers().contains(base))
        return bad(QStringLiteral("Unknown assertion type \"%1\"").arg(spec.type));
    if (!std::isfinite(spec.weight) || spec.weight < 0)
        return bad(prefix + QStringLiteral("weight must be a number >= 0"));
    if (spec.threshold && !std::isfinite(*spec.threshold))
        return bad(prefix + QStringLiteral("threshold must be a number"));
    if (auto ok = checkValue(base, spec, spec.value, true); !ok)
        return bad(prefix + ok.error().message);
    return {};
}

AssertionOutcome evaluateAssertion(const AssertionSpec &spec, const AssertionContext &ctx)
{
    bool inverse = false;
    const QString base = canonicalBase(spec.type, &inverse);
    const auto handler = handlers().constFind(base);
    if (handler == handlers().constEnd())
        return {false, 0.0, QStringLiteral("Unknown assertion type \"%1\"").arg(spec.type)};

    json vars = ctx.vars.is_object() ? ctx.vars : json::object();
    if (ctx.expected && !vars.contains("expected"))
        vars["expected"] = ctx.expected->toStdString();
    Params params{spec.type, base, inverse, substituteVars(spec.value, vars), spec, ctx};

    const auto invalid = [&](const Error &e) {
        return AssertionOutcome{false, 0.0,
                                QStringLiteral("\"%1\" assertion: %2").arg(spec.type, e.message)};
    };
    if (auto ok = checkValue(base, spec, params.value, false); !ok)
        return invalid(ok.error());
    Outcome outcome = (*handler)(params);
    if (!outcome)
        return invalid(outcome.error());
    return *outcome;
}

CaseVerdict evaluateCase(const QList<AssertionSpec> &specs, const AssertionContext &ctx,
                         std::optional<double> caseThreshold)
{
    CaseVerdict verdict;
    if (specs.isEmpty()) {
        verdict.reason = QStringLiteral("No assertions");
        return verdict;
    }
    double weighted = 0, totalWeight = 0;
    QString firstFailure;
    for (const AssertionSpec &spec : specs) {
        AssertionOutcome outcome = evaluateAssertion(spec, ctx);
        const double weight = std::max(0.0, spec.weight);
        weighted += outcome.score * weight;
        totalWeight += weight;
        if (!outcome.pass && weight > 0 && firstFailure.isEmpty())
            firstFailure = outcome.reason;
        verdict.outcomes.append(std::move(outcome));
    }
    verdict.score = totalWeight > 0 ? weighted / totalWeight : 0.0;
    verdict.pass = firstFailure.isEmpty();
    verdict.reason = verdict.pass ? QStringLiteral("All assertions passed") : firstFailure;
    if (caseThreshold && std::isfinite(*caseThreshold)) {
        verdict.pass = verdict.score >= *caseThreshold;
        verdict.reason = QStringLiteral("Aggregate score %1 %2 %3 threshold")
                             .arg(QString::number(verdict.score, 'f', 2),
                                  verdict.pass ? QStringLiteral("≥") : QStringLiteral("<"),
                                  fmt(*caseThreshold));
    }
    return verdict;
}

nlohmann::json substituteVars(const nlohmann::json &value, const nlohmann::json &vars)
{
    if (value.is_string())
        return substituteString(QString::fromStdString(value.get<std::string>()), vars).toStdString();
    if (value.is_array()) {
        json out = json::array();
        for (const json &item : value)
            out.push_back(item.is_string() ? substituteVars(item, vars) : item);
        return out;
    }
    return value;
}

} // namespace ts
