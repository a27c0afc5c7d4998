#pragma once

#include "common/error.h"
#include "io/importedtest.h"
#include "io/testcasedata.h"

#include <QByteArrayView>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace ts {

/// How strict a dataset import is.
struct ImportOptions
{
    /// The variables the prompt knows; when set, a column or key outside it is an error
    /// (it is almost always a typo that would render as an empty variable).
    std::optional<QSet<QString>> knownVariables;
    /// Report every error (up to maxErrors, one per line of the message) instead of the first.
    bool reportAllErrors = false;
    int maxErrors = 50;
    /// promptfoo-style JSONL lines may carry assertions a dataset cannot hold; by default such a
    /// line is an error (nothing is lost silently). Set to import their vars and drop the rest.
    bool dropAssertions = false;
};

/// Parses a CSV dataset (RFC 4180, UTF-8, optional BOM). The header row names the variables;
/// `__expected` is the expected output (an empty cell means none), `__tags` a comma-separated
/// tag list, `__description` the description; any other `__` column is rejected. Cells are
/// always strings, even when they look like numbers or JSON: a CSV cell has no type, and
/// guessing would change what the prompt renders. All-or-nothing: either every case or an
/// error whose message names "file:line:col" (or "file:line" for a whole row).
Result<QList<TestCaseData>> parseCsv(QByteArrayView bytes, const QString &fileName,
                                     const ImportOptions &options = {});

/// Parses a JSONL dataset: one JSON object per line, blank lines skipped, BOM accepted.
/// Flat lines map keys to variables (values keep their JSON type) with `__expected`,
/// `__tags` (array or comma-separated string) and `__description` as in CSV. promptfoo test
/// lines ({"vars": {...}, "assert": [...], "description": ...}) are accepted too: their vars,
/// description, metadata (as "key:value" tags) and one `equals` assertion (as the expected
/// output). A non-string expected value is stored as its compact JSON text.
Result<QList<TestCaseData>> parseJsonl(QByteArrayView bytes, const QString &fileName,
                                       const ImportOptions &options = {});

/// Like parseJsonl(), but keeps promptfoo assertions: every line becomes an ImportedTest
/// (unmapped assertion types and keys are appended to `unmapped`). Vars are not expanded.
Result<QList<ImportedTest>> parseJsonlTests(QByteArrayView bytes, const QString &fileName,
                                            const ImportOptions &options, QStringList &unmapped);

/// Reads a .csv, .jsonl or .ndjson file and parses it by its extension; error messages name
/// the file by its name (not the full path).
Result<QList<TestCaseData>> importDatasetFile(const QString &path,
                                              const ImportOptions &options = {});

} // namespace ts
