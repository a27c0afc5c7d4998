#pragma once

#include "common/error.h"
#include "prompts/promptcontent.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ts {

class Database;

/// A prompt proper, or a snippet: a named, versioned piece of text that prompts include with
/// {{> name}}. Both share versions, labels, drafts and one namespace of names.
enum class PromptKind { Prompt, Snippet };

struct PromptInfo
{
    qint64 id = 0;
    PromptKind kind = PromptKind::Prompt;
    QString name;
    QString description;
    QString createdAt;
    QString updatedAt;  ///< time of the latest version (or creation)
    int versionCount = 0;
    int latestVersion = 0; ///< 0 when the prompt has no version yet
    QStringList labels;    ///< "production=3"-style pairs are in labelsByVersion of versions
};

struct PromptVersion
{
    qint64 id = 0;
    qint64 promptId = 0;
    QString promptName;
    int number = 0;
    std::optional<qint64> parentId;
    std::optional<int> parentNumber;
    PromptContent content;
    QString note;
    QString author;
    QString contentHash;
    QString createdAt;
    QStringList labels; ///< labels pointing at this version
    /// The snippet versions this version renders with, by the name its templates use.
    struct SnippetPin
    {
        QString name;
        int version = 0;
        qint64 versionId = 0;
        qint64 snippetId = 0;
    };
    QList<SnippetPin> snippets;
};

/// A version as JSON (number, parent, messages, params, labels, ...), for CLI output and exports.
nlohmann::json versionToJson(const PromptVersion &version);

struct LabelMove
{
    QString label;
    std::optional<int> fromVersion;
    std::optional<int> toVersion; ///< nullopt when the label was removed
    QString author;
    QString movedAt;
};

struct PromptDraft
{
    PromptContent content;
    std::optional<int> baseVersion;
    QString updatedAt;
};

struct SaveOutcome
{
    PromptVersion version;
    bool created = false; ///< false when the content was identical to an existing version
};

/// Prompts and their immutable version history, labels and drafts in a project file.
class PromptStore final
{
public:
    explicit PromptStore(Database &db);

    Result<PromptInfo> createPrompt(const QString &name, const QString &description = {},
                                    PromptKind kind = PromptKind::Prompt);
    /// Prompts (or snippets) whose name or description contains `filter`, by name.
    Result<QList<PromptInfo>> listPrompts(const QString &filter = {},
                                          PromptKind kind = PromptKind::Prompt);
    Result<PromptInfo> prompt(const QString &name, PromptKind kind = PromptKind::Prompt);
    /// A prompt or a snippet by id.
    Result<PromptInfo> prompt(qint64 id);
    Result<void> deletePrompt(qint64 promptId);
    /// Gives a prompt (or snippet) a new name; versions, labels and runs stay with it.
    Result<PromptInfo> renamePrompt(qint64 promptId, const QString &newName);

    /// Saves content as a new version whose parent is the current latest. Identical content to
    /// the latest version creates nothing and returns that version with created == false.
    /// Every snippet the templates reach through {{> name}} (nested ones too) is pinned at its
    /// latest version; content.snippets is filled from those, not taken from the argument.
    Result<SaveOutcome> saveVersion(qint64 promptId, const PromptContent &content,
                                    const QString &note, const QString &author);
    /// Newest first.
    Result<QList<PromptVersion>> versions(qint64 promptId);
    Result<PromptVersion> version(qint64 promptId, int number);
    Result<PromptVersion> versionById(qint64 versionId);
    Result<PromptVersion> latest(qint64 promptId);
    /// "name", "name@3", "name@latest" or "name@production".
    Result<PromptVersion> resolve(const QString &reference, PromptKind kind = PromptKind::Prompt);

    /// Points `label` at version `number`, recording the move.
    Result<void> setLabel(qint64 promptId, const QString &label, int number, const QString &author);
    Result<void> removeLabel(qint64 promptId, const QString &label, const QString &author);
    Result<QList<LabelMove>> labelHistory(qint64 promptId);

    /// A new version with the content of `number`, whose parent is the current latest.
    Result<PromptVersion> restore(qint64 promptId, int number, const QString &author);

    Result<void> saveDraft(qint64 promptId, const PromptContent &content,
                           std::optional<int> baseVersion);
    Result<std::optional<PromptDraft>> draft(qint64 promptId);
    Result<void> discardDraft(qint64 promptId);

    /// Why a label name is unacceptable, or an empty string.
    static QString labelNameProblem(const QString &label);
    static QString promptNameProblem(const QString &name);

private:
    Result<PromptInfo> findPrompt(const std::function<bool(const PromptInfo &)> &match,
                                  const QString &notFound, std::optional<PromptKind> kind);
    /// The latest version of every snippet `content` reaches, by name (missing ones left out).
    Result<QList<PromptVersion>> snippetsReachedBy(const PromptContent &content,
                                                   const QString &ownName);
    Result<PromptVersion> readVersion(const QString &where, qint64 a, qint64 b = 0);
    Result<QList<PromptInfo>> list(const QString &filter, std::optional<PromptKind> kind);
    Database &m_db;
};

} // namespace ts
