// Assertions on what the provider returned besides the text (finish reason, log
// probabilities, tool calls) and promptfoo's javascript / python assertions.

#include "evals/assertionhandlers.h"
#include "evals/scriptassertion.h"
#include "evals/textmetrics.h"

#include <cmath>

namespace ts::assertions {

namespace {

using json = nlohmann::json;

tl::unexpected<Error> bad(const QString &message)
{
    return fail(ErrorCode::InvalidArgument, message);
}
AssertionOutcome binary(bool pass, const QString &failReason)
{
    return {pass, pass ? 1.0 : 0.0, pass ? QStringLiteral("Assertion passed") : failReason};
}
QString fixed2(double d)
{
    return QString::number(d, 'f', 2);
}
QString fmt(double d)
{
    return QString::number(d, 'g', 10);
}

// Providers name the same ending differently; compare what they mean.
QString normalizedFinishReason(const QString &raw)
{
    const QString r = raw.trimmed().toLower();
    static const QHash<QString, QString> aliases {
        {QStringLiteral("end_turn"), QStringLiteral("stop")},
        {QStringLiteral("stop_sequence"), QStringLiteral("stop")},
        {QStringLiteral("eos"), QStringLiteral("stop")},
        {QStringLiteral("max_tokens"), QStringLiteral("length")},
        {QStringLiteral("model_length"), QStringLiteral("length")},
        {QStringLiteral("tool_use"), QStringLiteral("tool_calls")},
        {QStringLiteral("function_call"), QStringLiteral("tool_calls")},
        {QStringLiteral("safety"), QStringLiteral("content_filter")},
        {QStringLiteral("recitation"), QStringLiteral("content_filter")},
        {QStringLiteral("blocklist"), QStringLiteral("content_filter")},
        {QStringLiteral("prohibited_content"), QStringLiteral("content_filter")},
    };
    return aliases.value(r, r);
}

double meanLogProb(const QList<double> &logProbs)
{
    double sum = 0;
    for (double lp : logProbs)
        sum += lp;
    return sum / double(logProbs.size());
}

QString qs(const json &v)
{
    return textmetrics::jsString(v);
}

// {pass, score, reason} as a script returned it (python's pass_ accepted).
Result<AssertionOutcome> gradingResult(const json &object, const QString &what)
{
    json r = object;
    if (!r.contains("pass") && r.contains("pass_"))
        r["pass"] = r["pass_"];
    if (!r.contains("pass") || !r["pass"].is_boolean()
        || (r.contains("score") && !r["score"].is_number())
        || (r.contains("reason") && !r["reason"].is_string()))
        return bad(
            QStringLiteral("%1 must return a boolean, number, or {pass, score, reason} object. "
                           "Got: %2")
                .arg(what, QString::fromStdString(object.dump())));
    AssertionOutcome o;
    o.pass = r["pass"].get<bool>();
    o.score = r.contains("score") ? r["score"].get<double>() : (o.pass ? 1.0 : 0.0);
    o.reason = r.contains("reason") ? QString::fromStdString(r["reason"].get<std::string>())
        : o.pass                    ? QStringLiteral("Assertion passed")
                                    : QStringLiteral("Assertion failed");
    return o;
}

} // namespace

Result<AssertionOutcome> handleFinishReason(const Call &p)
{
    const QString expected = qs(p.value);
    if (!p.ctx.finishReason || p.ctx.finishReason->isEmpty())
        return AssertionOutcome {false, 0.0,
                                 QStringLiteral("Provider did not supply stop/finish reason")};
    const bool matches
        = normalizedFinishReason(expected) == normalizedFinishReason(*p.ctx.finishReason);
    return binary(matches != p.inverse,
                  QStringLiteral("Expected finish reason %1\"%2\" but got \"%3\"")
                      .arg(p.inverse ? QStringLiteral("other than ") : QString(), expected,
                           *p.ctx.finishReason));
}

Result<AssertionOutcome> handlePerplexity(const Call &p)
{
    if (!p.ctx.logProbs || p.ctx.logProbs->isEmpty())
        return fail(ErrorCode::NotFound,
                    !p.ctx.noLogProbsReason.isEmpty()
                        ? p.ctx.noLogProbsReason
                        : QStringLiteral("not available: the provider returned no log "
                                         "probabilities for this output (use a provider that "
                                         "returns them: OpenAI-compatible, Gemini or Ollama)"));
    const double avg = meanLogProb(*p.ctx.logProbs);
    const auto &threshold = p.spec.threshold;
    if (p.base == QLatin1String("perplexity")) {
        const double perplexity = std::exp(-avg);
        const bool ok = !threshold || perplexity <= *threshold;
        return binary(ok != p.inverse,
                      ok ? QStringLiteral("Perplexity %1 is not greater than threshold %2")
                               .arg(fixed2(perplexity),
                                    threshold ? fmt(*threshold) : QStringLiteral("(none)"))
                         : QStringLiteral("Perplexity %1 is greater than threshold %2")
                               .arg(fixed2(perplexity), fmt(*threshold)));
    }
    const double norm = 1.0 / (1.0 + std::exp(-avg));
    const bool ok = !threshold || norm >= *threshold;
    const bool pass = ok != p.inverse;
    return AssertionOutcome {
        pass, p.inverse ? 1.0 - norm : norm,
        pass     ? QStringLiteral("Assertion passed")
            : ok ? QStringLiteral("Perplexity score %1 is not less than threshold %2")
                       .arg(fixed2(norm), threshold ? fmt(*threshold) : QStringLiteral("(none)"))
                 : QStringLiteral("Perplexity score %1 is less than threshold %2")
                       .arg(fixed2(norm), fmt(*threshold))};
}

Result<AssertionOutcome> handleToolsCall(const Call &p)
{
    json calls = p.ctx.toolCalls;
    if (!calls.is_array() || calls.empty()) {
        // The output text itself may be the tool calls (promptfoo's output object).
        if (auto parsed = textmetrics::parseJson(p.ctx.output)) {
            calls = parsed->is_object() && parsed->contains("tool_calls") ? (*parsed)["tool_calls"]
                                                                          : *parsed;
        }
    }
    const auto looksValid = [](const json &c) {
        return c.is_array() && !c.empty() && c[0].is_object() && c[0].contains("function")
            && c[0]["function"].is_object() && c[0]["function"].value("name", json()).is_string()
            && c[0]["function"].value("arguments", json()).is_string();
    };
    if (!looksValid(calls))
        return binary(p.inverse,
                      QStringLiteral("OpenAI did not return a valid-looking tools response: %1")
                          .arg(QString::fromStdString(calls.is_null() ? std::string("undefined")
                                                                      : calls.dump())));
    const json tools = p.value.is_array() ? p.value : p.ctx.tools;
    if (!tools.is_array() || tools.empty())
        return binary(
            p.inverse,
            QStringLiteral("No tools configured in provider, but output contains tool calls"));
    for (const json &call : calls) {
        const json fn = call.is_object() ? call.value("function", json::object()) : json::object();
        const QString name = QString::fromStdString(fn.value("name", std::string()));
        const json *definition = nullptr;
        for (const json &tool : tools) {
            if (tool.is_object() && tool.value("type", std::string()) == "function"
                && tool.contains("function") && tool["function"].is_object()
                && tool["function"].value("name", std::string()) == name.toStdString())
                definition = &tool["function"];
        }
        if (!definition)
            return binary(
                p.inverse,
                QStringLiteral("Called \"%1\", but there is no function with that name").arg(name));
        const json args = json::parse(fn.value("arguments", std::string()), nullptr, false);
        if (args.is_discarded())
            return binary(
                p.inverse,
                QStringLiteral("Call to \"%1\" has arguments that are not valid JSON: %2")
                    .arg(name, QString::fromStdString(fn.value("arguments", std::string()))));
        if (definition->contains("parameters")) {
            auto validator = JsonSchemaValidator::create((*definition)["parameters"]);
            if (!validator)
                return bad(QStringLiteral("tool \"%1\" has an invalid parameter schema: %2")
                               .arg(name, validator.error().message));
            const QList<SchemaError> errors = validator->validate(args);
            if (!errors.isEmpty()) {
                QStringList lines;
                for (const SchemaError &e : errors)
                    lines.append(e.toString());
                return binary(p.inverse,
                              QStringLiteral("Call to \"%1\" does not match schema: %2")
                                  .arg(name, lines.join(QStringLiteral("; "))));
            }
        }
    }
    return binary(!p.inverse, QStringLiteral("Expected the output not to be valid tool calls"));
}

Result<AssertionOutcome> handleScript(const Call &p)
{
    const bool js = p.base == QLatin1String("javascript");
    const QString code = qs(p.value);
    scripts::Script script;
    script.language = js ? scripts::Language::JavaScript : scripts::Language::Python;
    script.code = code;
    if (p.ctx.services) {
        script.baseDir = p.ctx.services->baseDir;
        script.timeoutMs = p.ctx.services->scriptTimeoutMs;
    }
    const json context = scriptContext(p.ctx, p.vars);
    auto result = scripts::runAssertionScript(script, p.outputValue, context);
    if (!result)
        return AssertionOutcome {
            false, 0.0,
            js ? QStringLiteral("Custom function threw error: %1").arg(result.error().message)
               : QStringLiteral("Python code execution failed: %1").arg(result.error().message)};
    json r = *result;
    const QString what
        = js ? QStringLiteral("Custom function") : QStringLiteral("Python assertion");
    if (!js && r.is_string()) { // promptfoo reads "true"/"false", JSON objects and numbers in text
        const QString text = QString::fromStdString(r.get<std::string>());
        if (text.toLower() == QLatin1String("true"))
            r = true;
        else if (text.toLower() == QLatin1String("false"))
            r = false;
        else if (text.startsWith(QLatin1Char('{'))) {
            const json parsed = json::parse(text.toStdString(), nullptr, false);
            if (parsed.is_discarded())
                return AssertionOutcome {
                    false, 0.0,
                    QStringLiteral("Python code execution failed: Invalid JSON "
                                   "when parsing result: %1")
                        .arg(text)};
            r = parsed;
        } else {
            bool ok = false;
            const double n = text.trimmed().toDouble(&ok);
            if (ok)
                r = n;
        }
    }
    if (r.is_boolean()) {
        const bool pass = r.get<bool>() != p.inverse;
        return binary(
            pass,
            js ? QStringLiteral("Custom function returned %1\n%2")
                     .arg(p.inverse ? QStringLiteral("true") : QStringLiteral("false"), code)
               : QStringLiteral("Python code returned %1\n%2")
                     .arg(p.inverse ? QStringLiteral("true") : QStringLiteral("false"), code));
    }
    if (r.is_number()) {
        const double score = r.get<double>();
        bool pass = p.spec.threshold ? score >= *p.spec.threshold : score > 0;
        pass = pass != p.inverse;
        return AssertionOutcome {
            pass, score,
            pass ? QStringLiteral("Assertion passed")
                 : QStringLiteral("%1 returned score %2\n%3")
                       .arg(js ? QStringLiteral("Custom function") : QStringLiteral("Python code"),
                            fmt(score), code)};
    }
    if (r.is_object()) {
        auto graded = gradingResult(r, what);
        if (!graded)
            return AssertionOutcome {false, 0.0, graded.error().message};
        if (!js && p.spec.threshold && graded->score < *p.spec.threshold) {
            graded->pass = false;
            graded->reason = QStringLiteral("Python score %1 is less than threshold %2: %3")
                                 .arg(fmt(graded->score), fmt(*p.spec.threshold), graded->reason);
        }
        return *graded;
    }
    return AssertionOutcome {false, 0.0,
                             QStringLiteral("%1 must return a boolean, number, or {pass, score, "
                                            "reason} object. Got: %2")
                                 .arg(what, QString::fromStdString(r.dump()))};
}

} // namespace ts::assertions
