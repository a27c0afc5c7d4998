#pragma once

#include "charts/charttypes.h"

namespace ts {

/// Indexes of the items no other item dominates (at least as good on both axes and better on
/// one), in order of x. Higher y is better; lower x is better when `lowerXIsBetter`.
QList<int> scatterParetoFront(const QList<ScatterItem> &items, bool lowerXIsBetter = true);

} // namespace ts
