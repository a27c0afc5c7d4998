#include "fakebehavior.h"

#include <QStringList>

namespace ts::test {

void FakeBehavior::apply(const QString &spec)
{
    const QStringList items = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &item : items) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? item : item.left(eq)).trimmed().toLower();
        const QString value = eq < 0 ? QString() : item.mid(eq + 1).trimmed().toLower();
        bool ok = false;
        const int number = value.toInt(&ok);
        if (key == QLatin1String("fault")) {
            if (ok) {
                fault = FakeFault::Status;
                status = number;
            } else if (value == QLatin1String("quota")
                       || value == QLatin1String("insufficient_quota")) {
                fault = FakeFault::Quota;
                status = 429;
            } else if (value == QLatin1String("drop")) {
                fault = FakeFault::Drop;
            } else if (value == QLatin1String("stall")) {
                fault = FakeFault::Stall;
            } else if (value == QLatin1String("trickle")) {
                fault = FakeFault::Trickle;
            } else if (value == QLatin1String("stream-error")) {
                fault = FakeFault::StreamError;
            } else if (value == QLatin1String("hang")) {
                fault = FakeFault::Hang;
            } else if (value == QLatin1String("reset")) {
                fault = FakeFault::Reset;
            } else if (value == QLatin1String("truncate")) {
                fault = FakeFault::Truncate;
            } else if (value == QLatin1String("none")) {
                fault = FakeFault::None;
            }
        } else if (key == QLatin1String("retry-after") && ok) {
            retryAfterSec = number;
        } else if (key == QLatin1String("retry-after-ms") && ok) {
            retryAfterMs = number;
        } else if (key == QLatin1String("times") && ok) {
            failTimes = number;
        } else if (key == QLatin1String("each")) {
            perRequest = true;
        } else if (key == QLatin1String("after") && ok) {
            afterTokens = number;
        } else if (key == QLatin1String("trickle-ms") && ok) {
            trickleMs = number;
        } else if (key == QLatin1String("tokens") && ok) {
            outputTokens = number;
        } else if (key == QLatin1String("latency-ms") && ok) {
            latencyMs = number;
        } else if (key == QLatin1String("tps")) {
            const double rate = value.toDouble(&ok);
            if (ok)
                tokensPerSec = rate;
        }
    }
}

std::pair<QString, FakeBehavior> parseModelSpec(const QString &model, FakeBehavior base)
{
    const qsizetype plus = model.indexOf(QLatin1Char('+'));
    const QString name = plus < 0 ? model : model.left(plus);
    if (name.startsWith(QLatin1String("fault-")))
        base.apply(QStringLiteral("fault=") + name.mid(6));
    if (plus >= 0)
        base.apply(model.mid(plus + 1));
    return {name, base};
}

} // namespace ts::test
