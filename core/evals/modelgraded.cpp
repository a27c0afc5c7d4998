// Assertions graded by a model (llm-rubric, factuality, model-graded-closedqa, select-best)
// or by embeddings (similar, answer-relevance), through AssertionServices. The prompts are
// the judge templates of judgeprompts.h and the verdicts are read by judgeverdict.h, as for
// the eval's own LLM judges.

#include "evals/assertionhandlers.h"
#include "evals/judgeprompts.h"
#include "evals/judgeverdict.h"
#include "evals/textmetrics.h"
#include "template/mustache.h"

#include <QRegularExpression>

#include <cmath>

namespace ts::assertions {

namespace {

using json = nlohmann::json;

tl::unexpected<Error> bad(const QString &message)
{
    return fail(ErrorCode::InvalidArgument, message);
}
QString fmt(double d)
{
    return QString::number(d, 'g', 10);
}
QString fixed2(double d)
{
    return QString::number(d, 'f', 2);
}
std::string s(const QString &q)
{
    return q.toStdString();
}

QString render(const QString &source, const json &data)
{
    auto tmpl = MustacheTemplate::parse(source);
    return tmpl ? tmpl->render(data) : source;
}

Result<QString> ask(const AssertionServices *services, const QString &prompt)
{
    if (!services || !services->grade)
        return fail(ErrorCode::NotFound,
                    QStringLiteral("needs a grading model, and none is set for this eval (choose "
                                   "a judge model)"));
    return services->grade({{QStringLiteral("user"), prompt}});
}

/// The embedding model an assertion names in its value ({"provider": "name"}), or empty.
QString namedModel(const json &value)
{
    if (value.is_object() && value.contains("provider") && value["provider"].is_string())
        return QString::fromStdString(value["provider"].get<std::string>());
    return {};
}

Result<QList<QList<double>>> embed(const AssertionServices *services, const QString &model,
                                   const QStringList &texts)
{
    Result<QList<QList<double>>> vectors;
    if (!model.isEmpty()) {
        if (!services || !services->embedWith)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("names the embedding model \"%1\", but this run has no "
                                       "access to the project's models")
                            .arg(model));
        vectors = services->embedWith(model, texts);
    } else {
        if (!services || !services->embed)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("needs an embedding model, and none is set for this eval "
                                       "(choose one for the eval, e.g. eval --embedding-model "
                                       "NAME, or set the project's default: model "
                                       "default-embedding FILE NAME)"));
        vectors = services->embed(texts);
    }
    // Whatever the embedder refuses (a chat model, an Anthropic model) is the run lacking an
    // embedding model, never a malformed assertion: evaluateAssertion() makes it an error.
    if (!vectors && vectors.error().code == ErrorCode::InvalidArgument)
        return fail(ErrorCode::ModelNotFound, vectors.error().message);
    if (vectors && vectors->size() != texts.size())
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the embedding model returned %1 vectors for %2 texts")
                        .arg(vectors->size())
                        .arg(texts.size()));
    return vectors;
}

double cosine(const QList<double> &a, const QList<double> &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return 0.0;
    double dot = 0, na = 0, nb = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / (std::sqrt(na) * std::sqrt(nb)) : 0.0;
}

AssertionOutcome inverted(const Call &p, AssertionOutcome o)
{
    if (p.inverse) {
        o.pass = !o.pass;
        o.score = 1.0 - o.score;
    }
    return o;
}

QString varsText(const json &vars)
{
    return QString::fromStdString(vars.dump(2, ' ', false, json::error_handler_t::replace));
}

} // namespace

Result<AssertionOutcome> handleModelGraded(const Call &p)
{
    const AssertionServices *services = p.ctx.services;
    if (p.base == QLatin1String("llm-rubric")) {
        const QString rubric = p.value.is_string()
            ? QString::fromStdString(p.value.get<std::string>())
            : QString::fromStdString(p.value.dump());
        const json data = {{"output", s(p.ctx.output)},
                           {"rubric", s(rubric)},
                           {"vars", s(varsText(p.ctx.vars))},
                           {"expected", s(p.ctx.expected.value_or(QString()))}};
        auto answer = ask(services, render(judge::pointwiseRubricTemplate(), data));
        if (!answer)
            return fail(answer.error());
        auto verdict = judge::parsePointwise(*answer);
        if (!verdict)
            return fail(verdict.error());
        bool pass = verdict->pass;
        QString reason = verdict->reason;
        if (p.spec.threshold && verdict->score < *p.spec.threshold) {
            pass = false;
            reason = QStringLiteral("Score %1 is below threshold %2: %3")
                         .arg(fmt(verdict->score), fmt(*p.spec.threshold), reason);
        }
        return inverted(p, {pass, verdict->score, reason});
    }
    if (p.base == QLatin1String("factuality")
        || p.base == QLatin1String("model-graded-factuality")) {
        QString reference;
        if (!p.value.is_null())
            reference = textmetrics::jsString(p.value);
        else if (p.ctx.expected)
            reference = *p.ctx.expected;
        else
            return bad(QStringLiteral("needs a reference answer (a value, or the test case's "
                                      "expected output)"));
        const json data = {{"output", s(p.ctx.output)},
                           {"expected", s(reference)},
                           {"vars", s(varsText(p.ctx.vars))}};
        auto answer = ask(services, render(judge::factualityTemplate(), data));
        if (!answer)
            return fail(answer.error());
        auto verdict = judge::parseFactuality(*answer);
        if (!verdict)
            return fail(verdict.error());
        return inverted(
            p,
            {verdict->pass, verdict->pass ? 1.0 : 0.0,
             QStringLiteral("Category %1: %2").arg(QString(verdict->category), verdict->reason)});
    }
    // model-graded-closedqa
    const json data = {{"input", s(p.ctx.prompt)},
                       {"completion", s(p.ctx.output)},
                       {"criteria", s(textmetrics::jsString(p.value))}};
    auto answer = ask(services, render(judge::closedQaTemplate(), data));
    if (!answer)
        return fail(answer.error());
    const QString text = answer->trimmed();
    const bool pass = text.endsWith(QLatin1Char('Y'));
    if (!pass && !text.endsWith(QLatin1Char('N')))
        return bad(QStringLiteral("the grading model did not end its answer with Y or N: %1")
                       .arg(text.right(200)));
    return inverted(
        p,
        {pass, pass ? 1.0 : 0.0,
         pass ? QStringLiteral("The submission meets the criterion")
              : QStringLiteral("The submission does not meet the criterion:\n%1").arg(text)});
}

Result<AssertionOutcome> handleSimilar(const Call &p)
{
    const json value = p.value.is_object() ? substituteVars(p.value["value"], p.vars) : p.value;
    QStringList references;
    if (value.is_array()) {
        for (const json &v : value)
            references.append(textmetrics::jsString(v));
    } else {
        references.append(textmetrics::jsString(value));
    }
    auto vectors
        = embed(p.ctx.services, namedModel(p.value), QStringList {p.ctx.output} + references);
    if (!vectors)
        return fail(vectors.error());
    const double threshold = p.spec.threshold.value_or(0.75);
    AssertionOutcome last;
    for (qsizetype i = 0; i < references.size(); ++i) {
        const double similarity = cosine(vectors->at(0), vectors->at(i + 1));
        const bool pass = p.inverse ? similarity < threshold : similarity >= threshold;
        last = {
            pass, p.inverse ? 1.0 - similarity : similarity,
            QStringLiteral("Similarity %1 is %2 than threshold %3")
                .arg(fixed2(similarity),
                     similarity >= threshold ? QStringLiteral("greater") : QStringLiteral("less"),
                     fmt(threshold))};
        if (pass)
            return last;
    }
    return last;
}

Result<AssertionOutcome> handleAnswerRelevance(const Call &p)
{
    const QString query
        = p.ctx.vars.is_object() && p.ctx.vars.contains("query") && p.ctx.vars["query"].is_string()
        ? QString::fromStdString(p.ctx.vars["query"].get<std::string>())
        : p.ctx.prompt;
    if (query.trimmed().isEmpty())
        return bad(QStringLiteral("needs the question: a \"query\" variable or the prompt"));
    auto answer
        = ask(p.ctx.services,
              render(judge::answerRelevanceQuestionsTemplate(), {{"output", s(p.ctx.output)}}));
    if (!answer)
        return fail(answer.error());
    QStringList questions;
    for (const QString &line : answer->split(QLatin1Char('\n'))) {
        static const QRegularExpression numbering(QStringLiteral("^\\s*(?:\\d+[.)]|[-*])\\s*"));
        const QString q = QString(line).remove(numbering).trimmed();
        if (!q.isEmpty() && questions.size() < 3)
            questions.append(q);
    }
    if (questions.isEmpty())
        return bad(QStringLiteral("the grading model suggested no questions"));
    auto vectors = embed(p.ctx.services, namedModel(p.value), QStringList {query} + questions);
    if (!vectors)
        return fail(vectors.error());
    double sum = 0;
    for (qsizetype i = 1; i < vectors->size(); ++i)
        sum += cosine(vectors->at(0), vectors->at(i));
    const double score = sum / double(questions.size());
    const double threshold = p.spec.threshold.value_or(0);
    const bool ok = score >= threshold;
    return inverted(
        p,
        {ok, score,
         QStringLiteral("Relevance %1 is %2 threshold %3")
             .arg(fixed2(score),
                  ok ? QStringLiteral("greater than or equal to") : QStringLiteral("less than"),
                  fmt(threshold))});
}

Result<int> pickBest(const AssertionServices *services, const QString &criteria,
                     const QStringList &outputs)
{
    QString listed;
    for (qsizetype i = 0; i < outputs.size(); ++i)
        listed += QStringLiteral("<output index=\"%1\">\n%2\n</output>\n").arg(i).arg(outputs[i]);
    auto answer = ask(
        services,
        render(judge::selectBestTemplate(), {{"criteria", s(criteria)}, {"outputs", s(listed)}}));
    if (!answer)
        return fail(answer.error());
    static const QRegularExpression lastNumber(QStringLiteral("(\\d+)\\D*$"));
    const auto m = lastNumber.match(answer->trimmed());
    bool ok = false;
    const int index = m.hasMatch() ? m.captured(1).toInt(&ok) : -1;
    if (!ok || index < 0 || index >= outputs.size())
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the grading model did not name an output between 0 and %1: %2")
                        .arg(outputs.size() - 1)
                        .arg(answer->trimmed().right(200)));
    return index;
}

} // namespace ts::assertions
