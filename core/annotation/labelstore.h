#pragma once

#include "annotation/target.h"
#include "common/error.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

class Database;

enum class LabelValue { Yes, No, Skip };
QString labelValueName(LabelValue value);
std::optional<LabelValue> parseLabelValue(const QString &name);

/// A pairwise choice in terms of the true items a and b, never the screen sides.
enum class Choice { A, B, Tie, BothBad };
QString choiceName(Choice choice);
std::optional<Choice> parseChoice(const QString &name);

struct Label
{
    qint64 id = 0;
    Target target;
    qint64 criterionVersionId = 0;
    QString criterion;        ///< the criterion's name
    int criterionVersion = 0; ///< the wording's number
    QString annotator;
    LabelValue value = LabelValue::Skip;
    std::optional<QString> note;
    std::optional<double> seconds;
    std::optional<qint64> queueItemId;
    QString createdAt;
};

struct Preference
{
    qint64 id = 0;
    Target a;
    Target b;
    qint64 criterionVersionId = 0; ///< 0: the overall preference
    QString criterion;             ///< empty for the overall preference
    QString annotator;
    Choice choice = Choice::Tie;
    std::optional<bool> leftIsA; ///< the side a was shown on; nullopt when imported
    std::optional<double> seconds;
    std::optional<qint64> queueItemId;
    QString createdAt;
};

/// Which labels to read.
struct LabelQuery
{
    std::optional<qint64> criterionId;
    std::optional<qint64> queueId;
    std::optional<QString> annotator;
};

/// A final verdict set by a person where annotators disagree.
struct Adjudication
{
    Target a;
    std::optional<Target> b; ///< pairwise
    qint64 criterionId = 0;  ///< 0: overall preference
    QString value;           ///< yes/no, or a/b/tie
    QString adjudicator;
    std::optional<QString> note;
    QString createdAt;
};

/// Labels, preferences, notes, corrections and adjudications. Each write is committed at
/// once, so a crash loses nothing.
class LabelStore final
{
public:
    explicit LabelStore(Database &db);

    /// Sets (or changes) this annotator's label.
    Result<Label> setLabel(const Target &target, qint64 criterionVersionId, const QString &annotator,
                           LabelValue value, std::optional<double> seconds = {},
                           std::optional<qint64> queueItemId = {});
    /// Takes this annotator's label back (undo).
    Result<void> clearLabel(const Target &target, qint64 criterionVersionId, const QString &annotator);
    /// Adds a label unless this annotator already labeled the target on that wording;
    /// true when added. Never overwrites (imports, label packs).
    Result<bool> addLabelIfAbsent(const Label &label);
    Result<QList<Label>> labels(const LabelQuery &query = {});
    /// This annotator's labels on one target.
    Result<QList<Label>> labelsOf(const Target &target, const QString &annotator);

    Result<Preference> setPreference(const Target &a, const Target &b, qint64 criterionVersionId,
                                     const QString &annotator, Choice choice,
                                     std::optional<bool> leftIsA, std::optional<double> seconds = {},
                                     std::optional<qint64> queueItemId = {});
    Result<void> clearPreference(const Target &a, const Target &b, qint64 criterionVersionId,
                                 const QString &annotator);
    Result<bool> addPreferenceIfAbsent(const Preference &preference);
    Result<QList<Preference>> preferences(const LabelQuery &query = {});

    /// Whether this annotator sees item a on the left for this queue item: drawn at random
    /// the first time and stored, so that it stays the same when the item is reopened.
    Result<bool> leftIsA(qint64 queueItemId, const QString &annotator);

    Result<void> setNote(const Target &target, const QString &annotator, const QString &note);
    Result<std::optional<QString>> note(const Target &target, const QString &annotator);
    /// The output edited into what it should have been (the original stays untouched).
    Result<void> setCorrection(const Target &target, const QString &annotator, const QString &text);
    /// This annotator's correction, or anyone's latest when `annotator` is empty.
    Result<std::optional<QString>> correction(const Target &target, const QString &annotator = {});

    Result<void> adjudicate(const Adjudication &adjudication);
    Result<QList<Adjudication>> adjudications(std::optional<qint64> criterionId = {});

    /// Position bias per annotator: of the pairwise choices with a winner shown on a known
    /// side, how many times the left side won, and of how many.
    struct SideBias
    {
        QString annotator;
        int leftWins = 0;
        int decided = 0;
    };
    Result<QList<SideBias>> positionBias();

private:
    Database &m_db;
};

} // namespace ts
