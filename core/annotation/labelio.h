#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace ts {

class Database;

/// What importing a labels file did. When `problems` is not empty nothing was imported.
struct LabelImportSummary
{
    int lines = 0; ///< non-blank lines read
    int labelsAdded = 0;
    int preferencesAdded = 0;
    /// Lines whose annotator had already labeled that target (or pair) on that criterion:
    /// existing labels are never overwritten, so importing a file twice adds nothing.
    int alreadyPresent = 0;
    QStringList createdCriteria;
    /// "FILE:LINE: reason", one per bad line.
    QStringList problems;
};

enum class LabelExportFormat { Jsonl, Csv };

/// Which labels to export.
struct LabelExportScope
{
    /// Only the labels on this queue's items (its criteria, or its pairs).
    std::optional<QString> queue;
};

/// Human labels in and out of a project as files (see app/cli/LABELS_JSON.md).
namespace labelio {

/// Imports JSON Lines, one label per line. Binary:
/// {"target": T, "criterion": NAME, "annotator": NAME, "label": "yes"|"no"|"skip", "note": ...};
/// pairwise: {"a": T, "b": T, "criterion": optional, "annotator": NAME, "choice": "a"|"b"|"tie"};
/// T is {"generation": ID}, {"log": ID} or {"span": "TRACEID:SPANID"} (a stored log record).
/// A criterion that does not exist is created. Every line is checked first; one bad line
/// imports nothing. `displayName` names the file in problems (defaults to `path`).
Result<LabelImportSummary> importLabels(Database &db, const QByteArray &content,
                                        const QString &displayName);

/// Every binary label and pairwise choice: annotator, time, criterion name and wording
/// version, target and queue item, value, note, seconds spent, side shown.
Result<QByteArray> exportLabels(Database &db, LabelExportFormat format,
                                const LabelExportScope &scope = {});

} // namespace labelio

} // namespace ts
