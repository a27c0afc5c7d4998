#include "annotation/alignment.h"

namespace ts::agreement {

Alignment align(const QList<Verdicts> &pairs)
{
    Alignment a;
    for (const Verdicts &v : pairs) {
        if (v.human && v.check)
            ++a.tp;
        else if (!v.human && !v.check)
            ++a.tn;
        else if (!v.human && v.check)
            ++a.fp;
        else
            ++a.fn;
    }
    const double n = a.tp + a.tn + a.fp + a.fn;
    if (n == 0)
        return a;
    a.accuracy = (a.tp + a.tn) / n;
    const double humanPass = (a.tp + a.fn) / n;
    const double checkPass = (a.tp + a.fp) / n;
    const double pe = humanPass * checkPass + (1 - humanPass) * (1 - checkPass);
    if (pe < 1)
        a.cohenKappa = (*a.accuracy - pe) / (1 - pe);
    if (a.tn + a.fp > 0)
        a.coverage = double(a.tn) / (a.tn + a.fp);
    if (a.tp + a.fn > 0)
        a.falseFailureRate = double(a.fn) / (a.tp + a.fn);
    if (a.coverage && a.falseFailureRate) {
        const double keep = 1 - *a.falseFailureRate;
        a.alignment = *a.coverage + keep > 0 ? 2 * *a.coverage * keep / (*a.coverage + keep) : 0.0;
    }
    return a;
}

} // namespace ts::agreement
