#pragma once

#include "common/error.h"
#include "evals/judgeverdict.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

class Database;

enum class JudgeKind { Pointwise, Pairwise, Factuality };
/// "pointwise", "pairwise", "factuality".
QString judgeKindName(JudgeKind kind);
std::optional<JudgeKind> parseJudgeKind(const QString &name);

/// An LLM judge. Its prompt is an ordinary versioned prompt (see judgeprompts.h for the
/// variables each kind receives); `promptRef` pins a version number or a label.
struct JudgeConfig
{
    qint64 id = 0;
    QString name;
    JudgeKind kind = JudgeKind::Pointwise;
    qint64 promptId = 0;
    QString promptRef; ///< "" = latest version, "3", or a label such as "production"
    std::optional<qint64> modelId;
    QString rubric; ///< {{rubric}} in the prompt
    judge::ScoreScale scale;
    QString createdAt;

    /// "prompt@ref" for PromptStore::resolve() given the prompt's name.
    QString reference(const QString &promptName) const;
};

/// The `judges` table.
class JudgeStore final
{
public:
    explicit JudgeStore(Database &db);

    Result<JudgeConfig> add(const JudgeConfig &judge);
    /// Creates a prompt named `name` + "-judge" (or reuses it) holding the default template
    /// for `kind`, then the judge itself.
    Result<JudgeConfig> addWithDefaultPrompt(const QString &name, JudgeKind kind,
                                             std::optional<qint64> modelId, const QString &rubric);
    Result<JudgeConfig> update(const JudgeConfig &judge);
    Result<void> remove(qint64 id);
    Result<QList<JudgeConfig>> list();
    Result<JudgeConfig> find(qint64 id);
    Result<JudgeConfig> find(const QString &name);

private:
    Database &m_db;
};

} // namespace ts
