#include "charts/pareto.h"

#include <algorithm>

namespace ts {

QList<int> scatterParetoFront(const QList<ScatterItem> &items, bool lowerXIsBetter)
{
    auto betterOrEqualX = [lowerXIsBetter](double a, double b) {
        return lowerXIsBetter ? a <= b : a >= b;
    };
    QList<int> front;
    for (int i = 0; i < items.size(); ++i) {
        bool dominated = false;
        for (int j = 0; j < items.size() && !dominated; ++j) {
            if (i == j)
                continue;
            const ScatterItem &a = items[j];
            const ScatterItem &b = items[i];
            dominated = betterOrEqualX(a.x, b.x) && a.y >= b.y && (a.x != b.x || a.y != b.y);
        }
        if (!dominated)
            front.append(i);
    }
    std::sort(front.begin(), front.end(), [&](int a, int b) {
        return items[a].x != items[b].x ? items[a].x < items[b].x : items[a].y < items[b].y;
    });
    return front;
}

} // namespace ts
