#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace ts {

class Database;

/// What a training export wrote, and what it left out and why.
struct TrainingExport
{
    QByteArray jsonl;
    int examples = 0;
    /// SFT: targets labeled but neither approved nor corrected. DPO: pairs whose verdict is a
    /// tie, both bad, or undecided (annotators split evenly, no adjudication).
    int leftOut = 0;
    /// Examples without input messages (only variables were kept): left out.
    int withoutMessages = 0;
};

struct TrainingExportScope
{
    /// Only this queue's items (binary: its criteria; pairwise: its pairs).
    std::optional<QString> queue;
};

/// Human decisions as fine-tuning data (see app/cli/LABELS_JSON.md).
namespace trainingexport {

/// SFT JSON Lines: {"messages": [...input messages, {"role": "assistant", "content": ANSWER}]}
/// per target whose answer people approved or corrected. ANSWER is the latest correction when
/// there is one; else the output itself when every criterion labeled on it is "yes" (the
/// adjudicated label where there is one, else the majority of yes/no; an even split is not
/// approved).
Result<TrainingExport> sft(Database &db, const TrainingExportScope &scope = {});

/// DPO JSON Lines: {"prompt": [...messages], "chosen": [{"role": "assistant", ...}],
/// "rejected": [...]} per pair with a winner in the overall pairwise preferences: the
/// adjudicated choice, else the strict majority of the annotators' choices. Ties and "both
/// bad" are left out.
Result<TrainingExport> dpo(Database &db, const TrainingExportScope &scope = {});

} // namespace trainingexport

} // namespace ts
