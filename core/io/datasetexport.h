#pragma once

#include "io/testcasedata.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace ts {

/// Writes cases as RFC 4180 CSV (UTF-8, no BOM, CRLF). The header is the union of variable
/// names in first-seen order, then `__expected`, `__tags`, `__description` when any case has
/// one. Fields with a comma, quote, CR, LF or outer spaces are quoted. Non-string variable
/// values are written as their JSON text (CSV has no types, so they read back as strings),
/// and an empty expected output reads back as none.
QByteArray toCsv(const QList<TestCaseData> &cases);

/// The columns of a CSV export, gathered one case at a time, and the rows written with them:
/// toCsv() in pieces, for exports that stream their cases instead of holding them.
struct CsvColumns
{
    QStringList variables; ///< in first-seen order
    bool expected = false;
    bool tags = false;
    bool description = false;

    /// Widens the columns to hold `c`.
    void include(const TestCaseData &c);
    QByteArray headerRow() const;
    QByteArray row(const TestCaseData &c) const;
};

/// One case as toJsonl() writes it, with its newline.
QByteArray jsonlLine(const TestCaseData &c);

/// Writes cases as JSONL, one object per line: the variables with their JSON types, plus
/// `__expected`, `__tags` (array) and `__description` when set. parseJsonl() reads it back
/// to equal cases.
QByteArray toJsonl(const QList<TestCaseData> &cases);

} // namespace ts
