#pragma once

#include "annotation/target.h"
#include "common/error.h"
#include "evals/assertion.h"
#include "io/testcasedata.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ts {

class Database;
struct StoredAssertion;

struct FailureCaseOptions
{
    QString dataset;
    bool createDataset = true; ///< create the dataset when it does not exist
    /// Log records: recover the variables with this prompt version's template ("name@3",
    /// "name@production"). Empty: the version the record names when this project has it,
    /// else the last user message becomes `input`.
    QString prompt;
    /// The criterion the target failed, for the suggested assertion. Empty: the first one
    /// labeled "no" on it.
    QString criterion;
};

/// An assertion the user may add to the new case, and why it was suggested.
struct SuggestedAssertion
{
    AssertionSpec spec;
    QString reason;
};

/// What turning a labeled failure into a test case did.
struct FailureCase
{
    qint64 datasetId = 0;
    QString dataset;
    bool createdDataset = false;
    qint64 caseId = 0;
    /// An identical case was already in the dataset: caseId is that case, nothing was added.
    bool duplicate = false;
    TestCaseData data;
    /// Where the variables came from: "generation", "template NAME@N", "last user message",
    /// "test case".
    QString variablesFrom;
    /// Variables the template named that could not be recovered from the logged messages.
    QStringList unrecovered;
    std::optional<SuggestedAssertion> suggestion;
};

/// From labels to improvements: a labeled failure becomes a regression test.
namespace failuretocase {

/// Adds a test case for `target` (a generation, a log record or a case's production output)
/// to a dataset in one step: its variables (the generation's own, or recovered from a log
/// record's messages by template inversion), the corrected answer as the expected output when
/// someone corrected it, the logged output kept as production output. Returns the case and a
/// suggested assertion (not added: see addSuggestion).
Result<FailureCase> addCase(Database &db, const Target &target, const FailureCaseOptions &options);

/// The assertion a failing output suggests: `not-icontains` of a phrase the note quotes when
/// the output contains it, else an `llm-rubric` asking the criterion's question. nullopt when
/// there is neither a quoted phrase nor a question.
std::optional<SuggestedAssertion> suggestAssertion(const QString &output, const QString &note,
                                                   const QString &question);

/// Saves the suggested assertion on the case it was made for.
Result<StoredAssertion> addSuggestion(Database &db, const FailureCase &made);

} // namespace failuretocase

} // namespace ts
