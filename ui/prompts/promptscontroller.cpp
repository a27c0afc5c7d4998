#include "prompts/promptscontroller.h"

#include "common/projectsession.h"
#include "prompts/promptlistmodel.h"
#include "snippets/snippetstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QLocale>

namespace ts {

namespace {

struct PromptList
{
    QList<PromptInfo> prompts;
    QSet<qint64> withDraft;
    QHash<QString, QString> snippets;
};

struct LoadedPrompt
{
    PromptInfo info;
    std::optional<PromptVersion> latest;
    std::optional<PromptDraft> draft;
};

QString localTime(const QString &isoUtc)
{
    const QDateTime t = QDateTime::fromString(isoUtc, Qt::ISODateWithMs);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : isoUtc;
}

PromptContent starterContent(PromptKind kind)
{
    if (kind == PromptKind::Snippet)
        return PromptContent::snippet(QString());
    PromptContent c;
    c.messages = {{QStringLiteral("system"), QStringLiteral("You are a helpful assistant.")},
                  {QStringLiteral("user"), QStringLiteral("{{input}}")}};
    return c;
}

} // namespace

PromptsController::PromptsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_list(new PromptListModel(this))
{
    m_draftTimer.setSingleShot(true);
    m_draftTimer.setInterval(draftDelayMs);
    connect(&m_draftTimer, &QTimer::timeout, this, &PromptsController::writeDraft);
    connect(&session, &ProjectSession::aboutToChangeProject, this, &PromptsController::flushDraft);
    connect(&session, &ProjectSession::projectOpened, this, &PromptsController::onProjectOpened);
    connect(&session, &ProjectSession::projectClosed, this, &PromptsController::onProjectClosed);
    if (session.hasProject())
        onProjectOpened();
}

PromptsController::~PromptsController()
{
    flushDraft();
}

void PromptsController::onProjectOpened()
{
    m_draftTimer.stop();
    m_values.clear();
    selectPrompt(0);
    refresh();
}

void PromptsController::onProjectClosed()
{
    m_draftTimer.stop();
    m_list->setPrompts({}, {});
    m_snippets.clear();
    m_promptId = m_requestedId = 0;
    Q_EMIT promptCleared();
}

void PromptsController::refresh()
{
    m_session.post<Result<PromptList>>(
        [](WorkContext &ctx) -> Result<PromptList> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            auto prompts = ctx.prompts->listPrompts();
            if (!prompts)
                return fail(prompts.error());
            SnippetStore snippetStore(ctx.project->db());
            auto snippets = snippetStore.list();
            if (!snippets)
                return fail(snippets.error());
            auto texts = snippetStore.latestTexts();
            if (!texts)
                return fail(texts.error());
            // Prompts first, then snippets: the list shows them as two groups.
            PromptList list{*prompts + *snippets, {}, *texts};
            auto stmt = ctx.project->db().prepare(QStringLiteral("SELECT prompt_id FROM drafts"));
            if (!stmt)
                return fail(stmt.error());
            while (auto row = stmt->step()) {
                if (!*row)
                    break;
                list.withDraft.insert(stmt->int64(0));
            }
            return list;
        },
        this,
        [this](Result<PromptList> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not list the prompts: %1").arg(result.error().message));
                return;
            }
            QSet<qint64> dirty = result->withDraft;
            dirty.remove(m_promptId);
            if (m_dirty)
                dirty.insert(m_promptId);
            m_list->setPrompts(result->prompts, dirty);
            m_snippets = result->snippets;
            m_content.snippets = m_saved.snippets = m_snippets;
            Q_EMIT promptsRefreshed();
        });
}

void PromptsController::selectPrompt(qint64 promptId)
{
    if (promptId == m_requestedId && promptId != 0)
        return;
    flushDraft();
    m_requestedId = promptId;
    const quint64 serial = ++m_loadSerial;
    if (promptId == 0) {
        m_promptId = 0;
        m_promptName.clear();
        m_kind = PromptKind::Prompt;
        m_variableNames.clear();
        m_variableNamesKnown = false;
        m_content = m_saved = PromptContent();
        m_baseVersion.reset();
        m_draftNote.clear();
        updateDirty();
        Q_EMIT promptCleared();
        return;
    }
    m_session.post<Result<LoadedPrompt>>(
        [promptId](WorkContext &ctx) -> Result<LoadedPrompt> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            LoadedPrompt loaded;
            auto info = ctx.prompts->prompt(promptId);
            if (!info)
                return fail(info.error());
            loaded.info = *info;
            if (auto latest = ctx.prompts->latest(promptId))
                loaded.latest = *latest;
            else if (latest.error().code != ErrorCode::NotFound)
                return fail(latest.error());
            auto draft = ctx.prompts->draft(promptId);
            if (!draft)
                return fail(draft.error());
            loaded.draft = *draft;
            return loaded;
        },
        this,
        [this, serial](Result<LoadedPrompt> result) {
            if (serial != m_loadSerial)
                return; // the person already picked another prompt
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not open the prompt: %1").arg(result.error().message));
                return;
            }
            m_promptId = result->info.id;
            m_promptName = result->info.name;
            m_kind = result->info.kind;
            m_variableNames.clear();
            m_variableNamesKnown = false;
            m_promptDescription = result->info.description;
            m_baseVersion = result->latest ? std::optional<int>(result->latest->number) : std::nullopt;
            m_saved = result->latest ? result->latest->content : PromptContent();
            m_content = m_saved;
            m_draftNote.clear();
            if (result->draft && result->draft->content != m_saved) {
                m_content = result->draft->content;
                m_draftNote = tr("Restored unsaved draft from %1").arg(localTime(result->draft->updatedAt));
            } else if (!result->latest) {
                m_content = starterContent(m_kind);
            }
            m_content.snippets = m_saved.snippets = m_snippets;
            updateDirty();
            Q_EMIT promptLoaded(m_promptId);
        });
}

void PromptsController::reloadCurrent()
{
    const qint64 id = m_promptId;
    m_draftTimer.stop();
    m_requestedId = 0;
    selectPrompt(id);
}

void PromptsController::setContent(const PromptContent &content)
{
    if (!m_promptId || content == m_content)
        return;
    m_content = content;
    m_content.snippets = m_snippets;
    updateDirty();
    m_draftTimer.start();
}

bool PromptsController::isDirty() const
{
    return m_dirty;
}

void PromptsController::updateDirty()
{
    const bool dirty = m_promptId != 0 && (m_content != m_saved || !m_baseVersion);
    if (m_promptId)
        m_list->setDirty(m_promptId, dirty);
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

nlohmann::json PromptsController::allVariableValues() const
{
    return m_values.value(m_promptId, nlohmann::json::object());
}

nlohmann::json PromptsController::variableValues() const
{
    const nlohmann::json all = allVariableValues();
    if (!m_variableNamesKnown || !all.is_object())
        return all;
    // Only what the template reads: values of renamed or half-typed tags stay behind.
    nlohmann::json used = nlohmann::json::object();
    for (const QString &name : m_variableNames) {
        const std::string key = name.toStdString();
        if (auto it = all.find(key); it != all.end())
            used[key] = *it;
    }
    return used;
}

void PromptsController::setTemplateVariables(const QStringList &names)
{
    m_variableNames = names;
    m_variableNamesKnown = m_promptId != 0;
}

void PromptsController::setVariableValues(const nlohmann::json &values)
{
    if (m_promptId)
        m_values.insert(m_promptId, values);
}

void PromptsController::flushDraft()
{
    if (m_draftTimer.isActive()) {
        m_draftTimer.stop();
        writeDraft();
    }
}

void PromptsController::writeDraft()
{
    if (!m_promptId)
        return;
    const qint64 id = m_promptId;
    const PromptContent content = m_content;
    const bool same = content == m_saved && m_baseVersion;
    const std::optional<int> base = m_baseVersion;
    m_session.post<Result<void>>(
        [id, content, same, base](WorkContext &ctx) -> Result<void> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            // Back to the saved content: the draft would only claim changes that are not there.
            return same ? ctx.prompts->discardDraft(id) : ctx.prompts->saveDraft(id, content, base);
        },
        this,
        [this, id](Result<void> result) {
            if (!result)
                Q_EMIT errorOccurred(tr("Could not keep the draft: %1").arg(result.error().message));
            else
                Q_EMIT draftSaved(id);
        });
}

void PromptsController::saveVersion(const QString &note)
{
    if (!m_promptId) {
        Q_EMIT notice(tr("Select a prompt first"));
        return;
    }
    m_draftTimer.stop();
    const qint64 id = m_promptId;
    const PromptContent content = m_content;
    const bool snippet = isSnippet();
    m_session.post<Result<SnippetSaveOutcome>>(
        [id, content, note, snippet](WorkContext &ctx) -> Result<SnippetSaveOutcome> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            SnippetSaveOutcome outcome;
            if (snippet) {
                auto saved = SnippetStore(ctx.project->db())
                                 .save(id, content.snippetText(), note, currentAuthor());
                if (!saved)
                    return fail(saved.error());
                outcome = *saved;
            } else {
                auto saved = ctx.prompts->saveVersion(id, content, note, currentAuthor());
                if (!saved)
                    return fail(saved.error());
                outcome.saved = *saved;
            }
            if (!outcome.saved.created)
                (void)ctx.prompts->discardDraft(id);
            return outcome;
        },
        this,
        [this, id, content](Result<SnippetSaveOutcome> outcome) {
            if (!outcome) {
                Q_EMIT errorOccurred(tr("Could not save the version: %1").arg(outcome.error().message));
                return;
            }
            const SaveOutcome *result = &outcome->saved;
            if (id == m_promptId) {
                m_saved = content;
                m_baseVersion = result->version.number;
                m_draftNote.clear();
                updateDirty();
                if (m_dirty) // edited while saving: keep those edits as a draft
                    m_draftTimer.start();
            }
            if (!result->created) {
                Q_EMIT notice(tr("No changes to save: the content is identical to version %1")
                                  .arg(result->version.number));
                return;
            }
            // The list says "1 version" at once, not after the refresh below comes back.
            m_list->setLatestVersion(id, result->version.number);
            QString message = tr("Saved version %1").arg(result->version.number);
            if (!outcome->updated.isEmpty()) {
                QStringList names;
                for (const PromptVersion &v : outcome->updated)
                    names << QStringLiteral("%1 v%2").arg(v.promptName).arg(v.number);
                message += tr("; new versions of the prompts using it: %1").arg(names.join(QStringLiteral(", ")));
            }
            Q_EMIT notice(message);
            Q_EMIT versionSaved(result->version);
            if (!outcome->updated.isEmpty())
                Q_EMIT dependentsUpdated(outcome->updated);
            refresh();
        });
}

void PromptsController::createPrompt(const QString &name, const QString &description)
{
    if (const QString problem = PromptStore::promptNameProblem(name); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    m_session.post<Result<PromptInfo>>(
        [name, description](WorkContext &ctx) -> Result<PromptInfo> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            return ctx.prompts->createPrompt(name, description);
        },
        this,
        [this](Result<PromptInfo> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not create the prompt: %1").arg(result.error().message));
                return;
            }
            Q_EMIT promptCreated(result->id);
            refresh();
            selectPrompt(result->id);
        });
}

void PromptsController::createSnippet(const QString &name, const QString &description)
{
    if (const QString problem = SnippetStore::snippetNameProblem(name); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    m_session.post<Result<PromptInfo>>(
        [name, description](WorkContext &ctx) -> Result<PromptInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return SnippetStore(ctx.project->db()).create(name, description);
        },
        this,
        [this](Result<PromptInfo> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not create the snippet: %1").arg(result.error().message));
                return;
            }
            Q_EMIT promptCreated(result->id);
            refresh();
            selectPrompt(result->id);
        });
}

void PromptsController::renamePrompt(qint64 promptId, const QString &newName)
{
    const PromptInfo *info = m_list->promptAt(m_list->rowOf(promptId));
    const bool snippet = info && info->kind == PromptKind::Snippet;
    const QString problem = snippet ? SnippetStore::snippetNameProblem(newName)
                                    : PromptStore::promptNameProblem(newName);
    if (!problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    m_session.post<Result<PromptInfo>>(
        [promptId, newName, snippet](WorkContext &ctx) -> Result<PromptInfo> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            if (snippet)
                return SnippetStore(ctx.project->db()).rename(promptId, newName);
            return ctx.prompts->renamePrompt(promptId, newName);
        },
        this,
        [this, promptId](Result<PromptInfo> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not rename: %1").arg(result.error().message));
                return;
            }
            if (promptId == m_promptId)
                m_promptName = result->name;
            Q_EMIT promptRenamed(promptId, result->name);
            Q_EMIT notice(tr("Renamed to “%1”").arg(result->name));
            refresh();
        });
}

void PromptsController::discardDraft()
{
    if (!m_promptId)
        return;
    m_draftTimer.stop();
    const qint64 id = m_promptId;
    m_session.post<Result<void>>(
        [id](WorkContext &ctx) -> Result<void> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            return ctx.prompts->discardDraft(id);
        },
        this,
        [this, id](Result<void> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not discard the draft: %1").arg(result.error().message));
                return;
            }
            if (id != m_promptId)
                return;
            m_content = m_baseVersion ? m_saved : starterContent(m_kind);
            m_content.snippets = m_snippets;
            m_draftNote.clear();
            updateDirty();
            Q_EMIT notice(m_baseVersion ? tr("Discarded the draft: back to version %1").arg(*m_baseVersion)
                                        : tr("Discarded the draft"));
            Q_EMIT promptLoaded(m_promptId);
        });
}

void PromptsController::deletePrompt(qint64 promptId)
{
    if (promptId == m_promptId) {
        m_draftTimer.stop();
        selectPrompt(0);
    }
    m_session.post<Result<void>>(
        [promptId](WorkContext &ctx) -> Result<void> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            return ctx.prompts->deletePrompt(promptId);
        },
        this,
        [this, promptId](Result<void> result) {
            if (!result) {
                Q_EMIT errorOccurred(tr("Could not delete the prompt: %1").arg(result.error().message));
                return;
            }
            m_values.remove(promptId);
            Q_EMIT promptDeleted(promptId);
            refresh();
        });
}

} // namespace ts
