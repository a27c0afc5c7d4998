#pragma once

#include "prompts/promptstore.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace ts {

class ProjectSession;
class PromptListModel;
struct ProjectInfo;

/// The logic behind the prompt editor: the prompt list, the selected prompt's working content,
/// whether it differs from its latest version, the autosaved draft and saving versions. All
/// disk work goes through the ProjectSession's worker thread; results arrive as signals.
class PromptsController final : public QObject
{
    Q_OBJECT

public:
    /// How long edits rest before the draft is written.
    static constexpr int draftDelayMs = 1000;

    explicit PromptsController(ProjectSession &session, QObject *parent = nullptr);
    ~PromptsController() override;

    PromptListModel *listModel() const { return m_list; }
    ProjectSession &session() const { return m_session; }

    void refresh();
    /// Loads the prompt's latest version (or its draft, when one is newer); 0 clears.
    void selectPrompt(qint64 promptId);
    /// Loads the current prompt again from the file (after a restore).
    void reloadCurrent();
    qint64 currentPromptId() const { return m_promptId; }
    QString currentPromptName() const { return m_promptName; }
    QString currentPromptDescription() const { return m_promptDescription; }
    /// The latest saved version number of the current prompt; nullopt when it has none.
    std::optional<int> baseVersion() const { return m_baseVersion; }

    /// Whether the current item is a snippet (one text, included by prompts with {{> name}}).
    bool isSnippet() const { return m_kind == PromptKind::Snippet; }
    /// The working content shown in the editor, with the project's latest snippets in
    /// content().snippets (what the preview and the playground render with).
    const PromptContent &content() const { return m_content; }
    /// The latest text of every snippet by name.
    const QHash<QString, QString> &snippets() const { return m_snippets; }
    /// The editor changed the content: marks it dirty and schedules the draft.
    void setContent(const PromptContent &content);
    bool isDirty() const;
    /// Why the content was restored from a draft ("Restored unsaved draft from ..."), or "".
    QString draftNote() const { return m_draftNote; }

    /// The values of the variables the template uses now (what the playground runs with and
    /// a test case saves), kept per prompt for this session.
    nlohmann::json variableValues() const;
    /// Every value typed for the prompt this session, including variables no longer used (so
    /// that deleting and retyping a tag keeps its value).
    nlohmann::json allVariableValues() const;
    void setVariableValues(const nlohmann::json &values);
    /// The names the template uses (set by the editor after each analysis).
    void setTemplateVariables(const QStringList &names);
    QStringList templateVariables() const { return m_variableNames; }

    /// Saves the working content as a new version with `note` (the Ctrl+S path).
    void saveVersion(const QString &note);
    /// Writes a pending draft now (before switching prompt or project, or quitting).
    void flushDraft();
    void createPrompt(const QString &name, const QString &description = {});
    /// Creates a snippet (shown in the same list, edited as one text).
    void createSnippet(const QString &name, const QString &description = {});
    void deletePrompt(qint64 promptId);
    /// Renames a prompt or snippet; its versions, labels and runs stay with it.
    void renamePrompt(qint64 promptId, const QString &newName);
    /// Drops the current prompt's unsaved changes and autosaved draft, back to its latest version.
    void discardDraft();

Q_SIGNALS:
    void promptsRefreshed();
    /// The current prompt's content was (re)loaded; read content() and draftNote().
    void promptLoaded(qint64 promptId);
    void promptCleared();
    void dirtyChanged(bool dirty);
    void versionSaved(const ts::PromptVersion &version);
    void draftSaved(qint64 promptId);
    void promptCreated(qint64 promptId);
    void promptDeleted(qint64 promptId);
    void promptRenamed(qint64 promptId, const QString &name);
    /// Saving a snippet made new versions of the prompts using it.
    void dependentsUpdated(const QList<ts::PromptVersion> &versions);
    /// Something the person should read (for example "No changes to save").
    void notice(const QString &message);
    void errorOccurred(const QString &message);

private:
    void onProjectOpened();
    void onProjectClosed();
    void updateDirty();
    void writeDraft();
    void loadSnippets();

    ProjectSession &m_session;
    PromptListModel *m_list = nullptr;
    QTimer m_draftTimer;
    qint64 m_promptId = 0;
    qint64 m_requestedId = 0; ///< the prompt being loaded (or m_promptId)
    QString m_promptName;
    PromptKind m_kind = PromptKind::Prompt;
    QHash<QString, QString> m_snippets;
    QStringList m_variableNames;
    bool m_variableNamesKnown = false;
    QString m_promptDescription;
    std::optional<int> m_baseVersion;
    PromptContent m_saved;
    PromptContent m_content;
    QString m_draftNote;
    bool m_dirty = false;
    quint64 m_loadSerial = 0;
    QHash<qint64, nlohmann::json> m_values;
};

} // namespace ts
