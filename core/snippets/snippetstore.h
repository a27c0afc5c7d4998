#pragma once

#include "common/error.h"
#include "prompts/promptstore.h"

#include <QHash>
#include <QList>
#include <QString>

#include <utility>

namespace ts {

class Database;

/// What saving a snippet did: its version, and the new versions of every prompt (or snippet)
/// whose latest version used it, so that the change shows in each one's lineage.
struct SnippetSaveOutcome
{
    SaveOutcome saved;
    QList<PromptVersion> updated;
};

/// Snippets: named, versioned texts that prompts include with {{> name}}. A snippet is a prompt
/// of kind Snippet whose versions hold one message of role "snippet", so history, labels,
/// drafts and diffs are the prompts' own; this class adds what is particular to snippets:
/// names that work as Mustache partial names, the lineage of the prompts that use a snippet,
/// and the latest texts for rendering drafts.
class SnippetStore final
{
public:
    explicit SnippetStore(Database &db);

    /// Why `name` cannot name a snippet ({{> name}} must be able to reach it), or "".
    static QString snippetNameProblem(const QString &name);

    Result<PromptInfo> create(const QString &name, const QString &description = {});
    Result<QList<PromptInfo>> list(const QString &filter = {});
    Result<PromptInfo> snippet(const QString &name);
    /// "name", "name@3", "name@latest" or "name@production".
    Result<PromptVersion> resolve(const QString &reference);

    /// Saves `text` as a new version of the snippet. When it is new, every prompt and snippet
    /// whose latest version renders with this snippet gets a new version (same messages, this
    /// snippet's new text) noted "Snippet "name" vN"; labels stay where they were.
    Result<SnippetSaveOutcome> save(qint64 snippetId, const QString &text, const QString &note,
                                    const QString &author);

    /// Prompts and snippets whose latest version renders with some version of this snippet.
    Result<QList<PromptInfo>> dependents(qint64 snippetId);
    /// For each version number of the snippet, the prompt (and snippet) versions that render
    /// with it, as (name, version number) in name and version order: the snippet's lineage.
    Result<QHash<int, QList<std::pair<QString, int>>>> usersByVersion(qint64 snippetId);
    /// Every snippet's latest text by name: what a draft renders with.
    Result<QHash<QString, QString>> latestTexts();

    /// Renames a snippet no prompt's latest version uses (their {{> name}} tags would break).
    Result<PromptInfo> rename(qint64 snippetId, const QString &newName);

private:
    Database &m_db;
    PromptStore m_prompts;
};

} // namespace ts
