#include "evals/assertion.h"

#include "evals/assertionhandlers.h"
#include "evals/textmetrics.h"

#include <QRegularExpression>

#include <cmath>

namespace ts {

namespace {

using json = nlohmann::json;
using assertions::schemaOf;
using assertions::stringList;

QString qs(const json &value)
{
    return textmetrics::jsString(value);
}

QString fmt(double d)
{
    return QString::number(d, 'g', 10);
}
tl::unexpected<Error> bad(const QString &message)
{
    return fail(ErrorCode::InvalidArgument, message);
}
bool isNonEmptyString(const json &v)
{
    return v.is_string() && !v.get<std::string>().empty();
}

// The value of the comparison types, falling back to the test case's expected output.// ---- value
// checks shared by validation (at save) and evaluation -----------------------

Result<void> checkCountValue(const json &v)
{
    const auto nonNegative = [](const json &n) {
        return n.is_number() && n.get<double>() >= 0;
    };
    if (v.is_object()) {
        const bool hasMin = v.contains("min"), hasMax = v.contains("max");
        if (!hasMin && !hasMax)
            return bad(QStringLiteral("needs \"min\" and/or \"max\""));
        if ((hasMin && !nonNegative(v["min"])) || (hasMax && !nonNegative(v["max"])))
            return bad(QStringLiteral("min and max must be non-negative numbers"));
        if (hasMin && hasMax && v["min"].get<double>() > v["max"].get<double>())
            return bad(QStringLiteral("min (%1) must not exceed max (%2)")
                           .arg(qs(v["min"]), qs(v["max"])));
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
        return isNonEmptyString(v) ? Result<void>()
                                   : bad(QStringLiteral("needs a non-empty text value"));
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
    static const QRegularExpression tag(
        QStringLiteral("\\{\\{\\{?\\s*([A-Za-z0-9_.\\-]+)\\s*\\}?\\}\\}"));
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
    return assertions::baseTypes();
}

Result<void> validateAssertion(const AssertionSpec &spec)
{
    bool inverse = false;
    const QString base = canonicalBase(spec.type, &inverse);
    const QString prefix = QStringLiteral("\"%1\" assertion: ").arg(spec.type);
    if (!assertions::handlerFor(base))
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
    const assertions::Handler *handler = assertions::handlerFor(base);
    if (!handler)
        return {false, 0.0, QStringLiteral("Unknown assertion type \"%1\"").arg(spec.type)};

    json vars = ctx.vars.is_object() ? ctx.vars : json::object();
    if (ctx.expected && !vars.contains("expected"))
        vars["expected"] = ctx.expected->toStdString();
    const assertions::Call call {spec.type, base, inverse, substituteVars(spec.value, vars),
                                 spec,      ctx};

    const auto invalid = [&](const Error &e) {
        return AssertionOutcome {false, 0.0,
                                 QStringLiteral("\"%1\" assertion: %2").arg(spec.type, e.message)};
    };
    if (auto ok = checkValue(base, spec, call.value, false); !ok)
        return invalid(ok.error());
    Result<AssertionOutcome> outcome = (*handler)(call);
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
        return substituteString(QString::fromStdString(value.get<std::string>()), vars)
            .toStdString();
    if (value.is_array()) {
        json out = json::array();
        for (const json &item : value)
            out.push_back(item.is_string() ? substituteVars(item, vars) : item);
        return out;
    }
    return value;
}

} // namespace ts
