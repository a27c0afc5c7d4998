#include "evals/assertion.h"

#include "evals/assertionhandlers.h"
#include "evals/jsregex.h"
#include "evals/textmetrics.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

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

// ---- value checks shared by validation (at save) and evaluation ----------------------

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

Result<void> checkValue(const QString &base, const AssertionSpec &spec, const json &v)
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
    if (base == QLatin1String("starts-with") || base == QLatin1String("ends-with")
        || base == QLatin1String("finish-reason") || base == QLatin1String("javascript")
        || base == QLatin1String("python") || base == QLatin1String("model-graded-closedqa")
        || base == QLatin1String("select-best"))
        return isNonEmptyString(v) ? Result<void>()
                                   : bad(QStringLiteral("needs a non-empty text value"));
    if (base == QLatin1String("regex")) {
        if (!isNonEmptyString(v))
            return bad(QStringLiteral("needs a pattern"));
        const QString pattern = QString::fromStdString(v.get<std::string>());
        if (pattern.contains(QLatin1String("{{")))
            return {}; // variables are filled in per test case; checked when it runs
        // Broken syntax is refused with where it breaks. A pattern only JavaScript refuses,
        // such as the inline flag (?i), is kept: like promptfoo, regex and not-regex then fail
        // with JavaScript's reason when they run, so an imported config keeps its verdicts.
        if (JsRegex(pattern).isValid())
            return {};
        const QRegularExpression re(pattern);
        if (!re.isValid())
            return bad(QStringLiteral("invalid pattern: %1 at offset %2")
                           .arg(re.errorString())
                           .arg(re.patternErrorOffset()));
        return {};
    }
    if (base == QLatin1String("is-xml") || base == QLatin1String("contains-xml")) {
        const bool listOk = v.is_array()
            || (v.is_object() && v.contains("requiredElements")
                && v["requiredElements"].is_array());
        if (none || v.is_string() || listOk)
            return {};
        return bad(QStringLiteral("needs no value, \"a.b, c\", a list of element paths or "
                                  "{\"requiredElements\": [...]}"));
    }
    if (base == QLatin1String("answer-relevance")) {
        if (none || (v.is_object() && v.size() == 1 && v.contains("provider")
                     && isNonEmptyString(v["provider"])))
            return {};
        return bad(QStringLiteral("needs no value, or {\"provider\": \"embedding model\"}"));
    }
    if (base == QLatin1String("is-refusal") || base == QLatin1String("perplexity"))
        return {};
    if (base == QLatin1String("perplexity-score")) {
        if (spec.threshold && (*spec.threshold < 0 || *spec.threshold > 1))
            return bad(QStringLiteral("threshold must be between 0 and 1"));
        return {};
    }
    if (base == QLatin1String("is-valid-openai-tools-call"))
        return none || v.is_array()
            ? Result<void>()
            : bad(
                QStringLiteral("needs no value (the prompt's tools are used) or a list of tools"));
    if (base == QLatin1String("llm-rubric"))
        return isNonEmptyString(v) || (v.is_object() && !v.empty())
            ? Result<void>()
            : bad(QStringLiteral("needs a rubric"));
    if (base == QLatin1String("factuality") || base == QLatin1String("model-graded-factuality"))
        return none || v.is_string() ? Result<void>()
                                     : bad(QStringLiteral("needs a reference answer text"));
    if (base == QLatin1String("similar")) {
        // {"value": …, "provider": "model"}: embedded with that model (promptfoo's `provider`).
        if (v.is_object()
            && (!v.contains("value")
                || (v.contains("provider") && !isNonEmptyString(v["provider"]))))
            return bad(QStringLiteral("needs a text, a list of texts, or {\"value\": …, "
                                      "\"provider\": \"embedding model\"}"));
        const json &target = v.is_object() ? v["value"] : v;
        const bool listOk = target.is_array() && !target.empty()
            && std::all_of(target.begin(), target.end(),
                           [](const json &e) { return e.is_string(); });
        if (!isNonEmptyString(target) && !listOk)
            return bad(QStringLiteral("needs a text or a list of texts"));
        if (spec.threshold && (*spec.threshold < -1 || *spec.threshold > 1))
            return bad(QStringLiteral("threshold must be between -1 and 1"));
        return {};
    }
    if (base == QLatin1String("max-score")) {
        if (none)
            return {};
        if (!v.is_object())
            return bad(QStringLiteral("needs no value or {\"method\": \"average\"|\"sum\", "
                                      "\"weights\": {...}, \"threshold\": n}"));
        if (v.contains("method") && v["method"] != "average" && v["method"] != "sum")
            return bad(QStringLiteral("method must be \"average\" or \"sum\""));
        if (v.contains("weights")
            && (!v["weights"].is_object()
                || !std::all_of(v["weights"].begin(), v["weights"].end(),
                                [](const json &w) { return w.is_number(); })))
            return bad(QStringLiteral("weights must map assertion types to numbers"));
        if (v.contains("threshold") && !v["threshold"].is_number())
            return bad(QStringLiteral("threshold must be a number"));
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
    if (!transform.isEmpty())
        out["transform"] = transform.toStdString();
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
    if (auto t = in.find("transform"); t != in.end() && !t->is_null()) {
        if (!t->is_string())
            return bad(QStringLiteral("\"transform\" must be JavaScript text"));
        spec.transform = QString::fromStdString(t->get<std::string>());
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
    if (auto ok = checkValue(base, spec, spec.value); !ok)
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
    const auto invalid = [&](const Error &e) {
        return AssertionOutcome {false, 0.0,
                                 QStringLiteral("\"%1\" assertion: %2").arg(spec.type, e.message)};
    };
    auto output = assertions::transformedOutput(spec, ctx, vars);
    if (!output)
        return invalid(output.error());
    AssertionContext seen = ctx;
    seen.output = output->text;
    const assertions::Call call {spec.type, base, inverse,       substituteVars(spec.value, vars),
                                 spec,      seen, output->value, vars};
    if (auto ok = checkValue(base, spec, call.value); !ok)
        return invalid(ok.error());
    Result<AssertionOutcome> outcome = (*handler)(call);
    if (!outcome) {
        AssertionOutcome o = invalid(outcome.error());
        // What the run could not supply (an embedding model, log probabilities) is an error
        // of the run, not a failure of the output; a malformed assertion stays a failure.
        o.error = outcome.error().code != ErrorCode::InvalidArgument
            && (base == QLatin1String("similar") || base == QLatin1String("answer-relevance")
                || base == QLatin1String("perplexity")
                || base == QLatin1String("perplexity-score"));
        return o;
    }
    return *outcome;
}

namespace {

void aggregate(const QList<AssertionSpec> &specs, CaseVerdict &verdict,
               std::optional<double> caseThreshold)
{
    double weighted = 0, totalWeight = 0;
    QString firstFailure;
    bool pending = false;
    verdict.error.clear();
    for (qsizetype i = 0; i < verdict.outcomes.size() && i < specs.size(); ++i) {
        const AssertionOutcome &outcome = verdict.outcomes[i];
        if (outcome.pending) {
            pending = true;
            continue;
        }
        const double weight = std::max(0.0, specs[i].weight);
        weighted += outcome.score * weight;
        totalWeight += weight;
        if (!outcome.pass && weight > 0 && firstFailure.isEmpty())
            firstFailure = outcome.reason;
        if (outcome.error && weight > 0 && verdict.error.isEmpty())
            verdict.error = outcome.reason;
    }
    verdict.score = totalWeight > 0 ? weighted / totalWeight : (pending ? 1.0 : 0.0);
    verdict.pass = firstFailure.isEmpty();
    verdict.reason = verdict.pass ? QStringLiteral("All assertions passed") : firstFailure;
    if (caseThreshold && std::isfinite(*caseThreshold)) {
        verdict.pass = verdict.score >= *caseThreshold;
        verdict.reason = QStringLiteral("Aggregate score %1 %2 %3 threshold")
                             .arg(QString::number(verdict.score, 'f', 2),
                                  verdict.pass ? QStringLiteral("≥") : QStringLiteral("<"),
                                  fmt(*caseThreshold));
    }
}

// max-score: each output's score over the case's other assertions.
double maxScoreOf(const QList<AssertionSpec> &specs, const CaseVerdict &verdict,
                  const json &options)
{
    const bool sum
        = options.is_object() && options.value("method", std::string("average")) == "sum";
    const json weights
        = options.is_object() ? options.value("weights", json::object()) : json::object();
    double total = 0, weightSum = 0;
    for (qsizetype i = 0; i < specs.size() && i < verdict.outcomes.size(); ++i) {
        if (isComparisonAssertion(specs[i].type) || verdict.outcomes[i].pending)
            continue;
        bool inv = false;
        const std::string base = canonicalBase(specs[i].type, &inv).toStdString();
        const double w = weights.contains(base) && weights[base].is_number()
            ? weights[base].get<double>()
            : 1.0;
        total += verdict.outcomes[i].score * w;
        weightSum += w;
    }
    if (sum)
        return total;
    return weightSum > 0 ? total / weightSum : 0.0;
}

} // namespace

CaseVerdict evaluateCase(const QList<AssertionSpec> &specs, const AssertionContext &ctx,
                         std::optional<double> caseThreshold)
{
    CaseVerdict verdict;
    if (specs.isEmpty()) {
        verdict.reason = QStringLiteral("No assertions");
        return verdict;
    }
    for (const AssertionSpec &spec : specs)
        verdict.outcomes.append(evaluateAssertion(spec, ctx));
    aggregate(specs, verdict, caseThreshold);
    return verdict;
}

bool isComparisonAssertion(const QString &type)
{
    bool inverse = false;
    const QString base = canonicalBase(type, &inverse);
    return base == QLatin1String("select-best") || base == QLatin1String("max-score");
}

QList<CaseVerdict> evaluateComparisons(const QList<AssertionSpec> &specs,
                                       const QList<AssertionContext> &contexts,
                                       QList<CaseVerdict> verdicts,
                                       std::optional<double> caseThreshold)
{
    const qsizetype n = std::min(contexts.size(), verdicts.size());
    bool changed = false;
    for (qsizetype a = 0; a < specs.size(); ++a) {
        const AssertionSpec &spec = specs[a];
        if (!isComparisonAssertion(spec.type))
            continue;
        bool inverse = false;
        const QString base = canonicalBase(spec.type, &inverse);
        QList<AssertionOutcome> decided(n);
        if (base == QLatin1String("select-best")) {
            QStringList outputs;
            for (qsizetype v = 0; v < n; ++v)
                outputs.append(contexts[v].output);
            auto best = n == 0 ? Result<int>(-1)
                               : assertions::pickBest(contexts[0].services,
                                                      textmetrics::jsString(spec.value), outputs);
            for (qsizetype v = 0; v < n; ++v) {
                if (!best)
                    decided[v] = {false, 0.0,
                                  QStringLiteral("\"%1\" assertion: %2")
                                      .arg(spec.type, best.error().message)};
                else if (v == *best)
                    decided[v] = {true, 1.0, QStringLiteral("Output selected as the best")};
                else
                    decided[v] = {false, 0.0, QStringLiteral("Output not selected")};
            }
        } else {
            QList<double> scores;
            double top = -std::numeric_limits<double>::infinity();
            qsizetype winner = -1;
            for (qsizetype v = 0; v < n; ++v) {
                scores.append(maxScoreOf(specs, verdicts[v], spec.value));
                if (scores[v] > top) {
                    top = scores[v];
                    winner = v;
                }
            }
            const json options = spec.value.is_object() ? spec.value : json::object();
            const std::optional<double> minimum = options.contains("threshold")
                ? std::optional<double>(options["threshold"].get<double>())
                : std::nullopt;
            for (qsizetype v = 0; v < n; ++v) {
                const QString score = QString::number(scores[v], 'f', 3);
                if (minimum && top < *minimum)
                    decided[v]
                        = {false, 0.0,
                           QStringLiteral("No output reached the minimum score %1 (best: %2)")
                               .arg(fmt(*minimum), QString::number(top, 'f', 3))};
                else if (v == winner)
                    decided[v] = {true, 1.0,
                                  QStringLiteral("Selected as highest scoring output (score: %1)")
                                      .arg(score)};
                else
                    decided[v] = {false, 0.0,
                                  QStringLiteral("Not selected (score: %1, max: %2)")
                                      .arg(score, QString::number(top, 'f', 3))};
            }
        }
        for (qsizetype v = 0; v < n; ++v) {
            if (a >= verdicts[v].outcomes.size())
                continue;
            AssertionOutcome o = decided[v];
            if (inverse) {
                o.pass = !o.pass;
                o.score = 1.0 - o.score;
            }
            verdicts[v].outcomes[a] = o;
            changed = true;
        }
    }
    if (changed) {
        for (qsizetype v = 0; v < n; ++v)
            aggregate(specs, verdicts[v], caseThreshold);
    }
    return verdicts;
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
