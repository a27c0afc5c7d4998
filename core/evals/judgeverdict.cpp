#include "evals/judgeverdict.h"

#include "evals/textmetrics.h"

#include <QRegularExpression>

#include <cmath>
#include <initializer_list>

namespace ts::judge {

namespace {

using json = nlohmann::json;

tl::unexpected<Error> protocolError(const QString &message)
{
    return fail(ErrorCode::Protocol, message);
}

// Value of the first of `keys` present in `object`, matching keys without regard to case.
const json *findKey(const json &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (QString::fromStdString(it.key()).compare(QLatin1String(key), Qt::CaseInsensitive)
                == 0)
                return &it.value();
        }
    }
    return nullptr;
}

struct Found
{
    json object;
    QString before; ///< the judge's text ahead of the verdict
};

// The last top-level JSON object in `text` having any of `keys`.
std::optional<Found> lastObjectWith(const QString &text, std::initializer_list<const char *> keys)
{
    const QList<textmetrics::JsonSpan> spans = textmetrics::findJsonSpans(text);
    for (auto it = spans.crbegin(); it != spans.crend(); ++it) {
        if (!it->value.is_object() || !findKey(it->value, keys))
            continue;
        QString before = text.left(it->start).trimmed();
        static const QRegularExpression openFence(QStringLiteral("```[A-Za-z]*$"));
        before.remove(openFence);
        return Found {it->value, before.trimmed()};
    }
    return std::nullopt;
}

QString reasonOf(const Found &found)
{
    const json *reason = findKey(found.object, {"reason", "reasoning", "explanation", "rationale"});
    if (reason && reason->is_string())
        return QString::fromStdString(reason->get<std::string>());
    return found.before;
}

QString shown(const json &value)
{
    return QString::fromStdString(value.dump());
}

Result<bool> readPass(const json &value)
{
    if (value.is_boolean())
        return value.get<bool>();
    if (value.is_number()) {
        const double d = value.get<double>();
        if (d == 1 || d == 0)
            return d == 1;
    }
    if (value.is_string()) {
        const QString s = QString::fromStdString(value.get<std::string>()).trimmed().toLower();
        static const QStringList yes {QStringLiteral("true"), QStringLiteral("yes"),
                                      QStringLiteral("y"), QStringLiteral("pass"),
                                      QStringLiteral("passed")};
        static const QStringList no {QStringLiteral("false"), QStringLiteral("no"),
                                     QStringLiteral("n"), QStringLiteral("fail"),
                                     QStringLiteral("failed")};
        if (yes.contains(s))
            return true;
        if (no.contains(s))
            return false;
    }
    return protocolError(
        QStringLiteral("the judge's \"pass\" is %1, not true or false").arg(shown(value)));
}

Result<double> readScore(const json &value, const ScoreScale &scale)
{
    double raw = 0;
    if (value.is_number()) {
        raw = value.get<double>();
    } else if (value.is_string()) {
        const QString s = QString::fromStdString(value.get<std::string>()).trimmed();
        static const QRegularExpression fraction(QStringLiteral("^([0-9.]+)\\s*/\\s*([0-9.]+)$"));
        bool ok = false;
        if (const auto m = fraction.match(s); m.hasMatch()) {
            bool okDen = false;
            const double num = m.captured(1).toDouble(&ok);
            const double den = m.captured(2).toDouble(&okDen);
            if (ok && okDen && den > 0 && num >= 0 && num <= den)
                return num / den;
            return protocolError(
                QStringLiteral("the judge's score \"%1\" is not a fraction between 0 and 1")
                    .arg(s));
        }
        raw = s.toDouble(&ok);
        if (!ok)
            return protocolError(QStringLiteral("the judge's score \"%1\" is not a number").arg(s));
    } else {
        return protocolError(
            QStringLiteral("the judge's score is %1, not a number").arg(shown(value)));
    }
    if (!std::isfinite(raw) || raw < scale.min || raw > scale.max || scale.max <= scale.min)
        return protocolError(
            QStringLiteral("the judge's score %1 is outside the scale %2 to %3")
                .arg(QString::number(raw), QString::number(scale.min), QString::number(scale.max)));
    return (raw - scale.min) / (scale.max - scale.min);
}

std::optional<PairwiseChoice> readChoice(const json &value)
{
    if (!value.is_string())
        return std::nullopt;
    QString s = QString::fromStdString(value.get<std::string>()).trimmed().toLower();
    static const QRegularExpression noise(
        QStringLiteral("^(output|response|answer|assistant)\\s+|[\"'().\\[\\]]"));
    s.remove(noise);
    s = s.trimmed();
    if (s == QLatin1String("a"))
        return PairwiseChoice::A;
    if (s == QLatin1String("b"))
        return PairwiseChoice::B;
    static const QStringList ties {QStringLiteral("tie"),     QStringLiteral("draw"),
                                   QStringLiteral("equal"),   QStringLiteral("both"),
                                   QStringLiteral("neither"), QStringLiteral("none")};
    if (ties.contains(s))
        return PairwiseChoice::Tie;
    return std::nullopt;
}

PairwiseChoice swapped(PairwiseChoice c)
{
    switch (c) {
    case PairwiseChoice::A:
        return PairwiseChoice::B;
    case PairwiseChoice::B:
        return PairwiseChoice::A;
    case PairwiseChoice::Tie:
        break;
    }
    return PairwiseChoice::Tie;
}

} // namespace

Result<PointwiseVerdict> parsePointwise(const QString &judgeText, const ScoreScale &scale)
{
    const auto found = lastObjectWith(judgeText, {"pass", "score"});
    if (!found)
        return protocolError(
            QStringLiteral("the judge gave no verdict: no JSON object with \"pass\" "
                           "or \"score\" in its answer"));
    PointwiseVerdict verdict;
    const json *pass = findKey(found->object, {"pass"});
    const json *score = findKey(found->object, {"score"});
    if (score && !score->is_null()) {
        auto s = readScore(*score, scale);
        if (!s)
            return fail(s.error());
        verdict.score = *s;
        verdict.scoreGiven = true;
    }
    if (pass && !pass->is_null()) {
        auto p = readPass(*pass);
        if (!p)
            return fail(p.error());
        verdict.pass = *p;
        if (!verdict.scoreGiven)
            verdict.score = verdict.pass ? 1.0 : 0.0;
    } else if (verdict.scoreGiven) {
        verdict.pass = verdict.score >= scale.passThreshold;
    } else {
        return protocolError(QStringLiteral("the judge's verdict has neither a pass nor a score"));
    }
    verdict.reason = reasonOf(*found);
    return verdict;
}

Result<PairwiseVerdict> parsePairwise(const QString &judgeText)
{
    const auto found = lastObjectWith(judgeText, {"winner", "choice", "preferred", "verdict"});
    if (!found)
        return protocolError(
            QStringLiteral("the judge gave no verdict: no JSON object with \"winner\" "
                           "in its answer"));
    const json *winner = findKey(found->object, {"winner", "choice", "preferred", "verdict"});
    const auto choice = readChoice(*winner);
    if (!choice)
        return protocolError(QStringLiteral("the judge's winner is %1, not \"A\", \"B\" or \"tie\"")
                                 .arg(shown(*winner)));
    return PairwiseVerdict {*choice, reasonOf(*found)};
}

CombinedPairwise combineBothOrders(PairwiseChoice first, PairwiseChoice second)
{
    CombinedPairwise combined;
    combined.firstOrder = first;
    combined.secondOrder = second;
    combined.consistent = first == swapped(second);
    combined.winner = combined.consistent ? first : PairwiseChoice::Tie;
    return combined;
}

CombinedPairwise combineBothOrders(const PairwiseVerdict &first, const PairwiseVerdict &second)
{
    return combineBothOrders(first.winner, second.winner);
}

JudgeReliability judgeReliability(const QList<CombinedPairwise> &pairs)
{
    JudgeReliability r;
    r.pairs = int(pairs.size());
    for (const CombinedPairwise &pair : pairs) {
        if (pair.consistent) {
            ++r.consistent;
            continue;
        }
        for (const PairwiseChoice pick : {pair.firstOrder, pair.secondOrder}) {
            if (pick == PairwiseChoice::Tie)
                continue;
            ++r.inconsistentPicks;
            if (pick == PairwiseChoice::A)
                ++r.firstShownPicks;
        }
    }
    if (r.pairs > 0)
        r.consistencyRate = double(r.consistent) / r.pairs;
    if (r.inconsistentPicks > 0)
        r.positionBiasRate = double(r.firstShownPicks) / r.inconsistentPicks;
    return r;
}

Result<FactualityVerdict> parseFactuality(const QString &judgeText)
{
    const auto found = lastObjectWith(judgeText, {"category", "choice", "answer"});
    if (!found)
        return protocolError(
            QStringLiteral("the judge gave no verdict: no JSON object with \"category\" "
                           "in its answer"));
    const json *value = findKey(found->object, {"category", "choice", "answer"});
    static const QRegularExpression letter(
        QStringLiteral("^\\(?\\s*([A-Ea-e])\\s*\\)?(?:$|[\\s:.,)\\-])"));
    const QRegularExpressionMatch m = value->is_string()
        ? letter.match(QString::fromStdString(value->get<std::string>()).trimmed())
        : QRegularExpressionMatch();
    if (!m.hasMatch())
        return protocolError(QStringLiteral("the judge's category is %1, not one of A, B, C, D, E")
                                 .arg(shown(*value)));
    FactualityVerdict verdict;
    verdict.category = m.captured(1).at(0).toUpper();
    verdict.pass = verdict.category != QLatin1Char('D');
    verdict.reason = reasonOf(*found);
    return verdict;
}

} // namespace ts::judge
