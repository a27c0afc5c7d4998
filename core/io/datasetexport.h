#pragma once

#include "io/testcasedata.h"

#include <QByteArray>
#include <QList>

namespace ts {

/// Writes cases as RFC 4180 CSV (UTF-8, no BOM, CRLF). The header is the union of variable
/// names in first-seen order, then `__expected`, `__tags`, `__description` when any case has
/// one. Fields with a comma, quote, CR, LF or outer spaces are quoted. Non-string variable
/// values are written as their JSON text (CSV has no types, so they read back as strings),
/// and an empty expected output reads back as none.
QByteArray toCsv(const QList<TestCaseData> &cases);

/// Writes cases as JSONL, one object per line: the variables with their JSON types, plus
/// `__expected`, `__tags` (array) and `__description` when set. parseJsonl() reads it back
/// to equal cases.
QByteArray toJsonl(const QList<TestCaseData> &cases);

} // namespace ts
