#include "history/historycontroller.h"

#include "common/projectsession.h"
#include "history/versionlistmodel.h"
#include "prompts/promptscontroller.h"
#include "snippets/snippetstore.h"
#include "storage/project.h"

namespace ts {

namespace {
struct History
{
    QList<PromptVersion> versions;
    QList<LabelMove> moves;
    QHash<int, QList<std::pair<QString, int>>> users;
};
} // namespace

HistoryController::HistoryController(ProjectSession &session, PromptsController &prompts,
                                     QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_prompts(prompts)
    , m_model(new VersionListModel(this))
{
    connect(&prompts, &PromptsController::promptLoaded, this, [this](qint64 id) {
        if (id != m_promptId) {
            // Another prompt: its versions are loading, the previous prompt's are not shown.
            m_promptId = id;
            m_model->setVersions({});
            m_moves.clear();
            m_users.clear();
            reload();
        }
    });
    connect(&prompts, &PromptsController::promptCleared, this, [this] {
        m_promptId = 0;
        ++m_serial;
        m_loading = false;
        m_moves.clear();
        m_model->setVersions({});
        Q_EMIT versionsLoaded();
    });
    connect(&prompts, &PromptsController::versionSaved, this, &HistoryController::reload);
}

void HistoryController::reload()
{
    const qint64 id = m_promptId;
    const quint64 serial = ++m_serial;
    if (!id)
        return;
    m_loading = true;
    Q_EMIT loadingStarted();
    // A reader connection: a big load elsewhere (an eval, a dataset) never keeps the versions
    // of a prompt waiting.
    m_session.postRead<Result<History>>(
        [id](WorkContext &ctx) -> Result<History> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            auto versions = ctx.prompts->versions(id);
            if (!versions)
                return fail(versions.error());
            auto moves = ctx.prompts->labelHistory(id);
            if (!moves)
                return fail(moves.error());
            // A snippet's lineage: which prompt versions render with each of its versions.
            auto users = SnippetStore(ctx.project->db()).usersByVersion(id);
            if (!users)
                return fail(users.error());
            return History {*versions, *moves, *users};
        },
        this,
        [this, serial](Result<History> result) {
            if (serial != m_serial)
                return;
            m_loading = false;
            if (!result) {
                Q_EMIT errorOccurred(
                    tr("Could not read the version history: %1").arg(result.error().message));
                return;
            }
            m_model->setVersions(result->versions);
            m_moves = result->moves;
            m_users = result->users;
            Q_EMIT versionsLoaded();
        });
}

std::optional<PromptDiff> HistoryController::diff(int from, int to) const
{
    const PromptVersion *a = m_model->version(from);
    const PromptVersion *b = m_model->version(to);
    if (!a || !b)
        return std::nullopt;
    return diffVersions(*a, *b);
}

std::optional<PromptDiff> HistoryController::diffWithParent(int number) const
{
    const PromptVersion *v = m_model->version(number);
    if (!v)
        return std::nullopt;
    if (v->parentNumber)
        if (const PromptVersion *parent = m_model->version(*v->parentNumber))
            return diffVersions(*parent, *v);
    return diffContent(PromptContent(), v->content, tr("(empty)"),
                       QStringLiteral("%1@%2").arg(v->promptName).arg(v->number));
}

void HistoryController::runLabelChange(std::function<Result<void>(PromptStore &, qint64)> change,
                                       const QString &done)
{
    const qint64 id = m_promptId;
    if (!id)
        return;
    m_session.post<Result<void>>(
        [id, change](WorkContext &ctx) -> Result<void> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            return change(*ctx.prompts, id);
        },
        this,
        [this, done](Result<void> result) {
            if (!result) {
                Q_EMIT errorOccurred(result.error().message);
                return;
            }
            Q_EMIT notice(done);
            Q_EMIT labelsChanged();
            m_prompts.refresh();
            reload();
        });
}

void HistoryController::setLabel(const QString &label, int number)
{
    if (const QString problem = PromptStore::labelNameProblem(label); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    runLabelChange(
        [label, number](PromptStore &store, qint64 id) {
            return store.setLabel(id, label, number, currentAuthor());
        },
        tr("Label “%1” now points at version %2").arg(label).arg(number));
}

void HistoryController::removeLabel(const QString &label)
{
    runLabelChange([label](PromptStore &store,
                           qint64 id) { return store.removeLabel(id, label, currentAuthor()); },
                   tr("Removed label “%1”").arg(label));
}

void HistoryController::restore(int number)
{
    const qint64 id = m_promptId;
    if (!id)
        return;
    m_prompts.flushDraft();
    m_session.post<Result<PromptVersion>>(
        [id, number](WorkContext &ctx) -> Result<PromptVersion> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            auto info = ctx.prompts->prompt(id);
            if (!info)
                return fail(info.error());
            if (info->kind != PromptKind::Snippet)
                return ctx.prompts->restore(id, number, currentAuthor());
            // A restored snippet reaches the prompts using it, like any new snippet version.
            auto old = ctx.prompts->version(id, number);
            if (!old)
                return fail(old.error());
            auto saved = SnippetStore(ctx.project->db())
                             .save(id, old->content.snippetText(),
                                   QStringLiteral("Restored from version %1").arg(number),
                                   currentAuthor());
            if (!saved)
                return fail(saved.error());
            if (!saved->saved.created)
                return fail(
                    ErrorCode::InvalidArgument,
                    QStringLiteral("Version %1 already has the same text as the latest version")
                        .arg(number));
            return saved->saved.version;
        },
        this,
        [this, number](Result<PromptVersion> result) {
            if (!result) {
                Q_EMIT errorOccurred(
                    tr("Could not restore version %1: %2").arg(number).arg(result.error().message));
                return;
            }
            Q_EMIT notice(
                tr("Restored version %1 as new version %2").arg(number).arg(result->number));
            Q_EMIT restored(result->number);
            m_prompts.reloadCurrent();
            m_prompts.refresh();
            reload();
        });
}

void HistoryController::loadGenerations(int number)
{
    const PromptVersion *v = m_model->version(number);
    if (!v)
        return;
    for (const CancelToken &t : {m_genPage, m_genCount})
        if (t)
            t->store(true);
    ++m_genSerial;
    m_genNumber = number;
    m_genVersionId = v->id;
    m_genCursor.reset();
    m_genAtEnd = false;
    m_pagePending = false; // the previous page was cancelled and will not answer
    requestGenerationPage();
    const quint64 serial = m_genSerial;
    const qint64 versionId = v->id;
    m_genCount = m_session.postRead<Result<qint64>>(
        [versionId](WorkContext &ctx) -> Result<qint64> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return generationCountForVersion(ctx.project->db(), versionId);
        },
        this,
        [this, serial, number](Result<qint64> result) {
            if (serial == m_genSerial && result)
                Q_EMIT generationCountKnown(number, *result);
        });
}

void HistoryController::loadMoreGenerations()
{
    if (hasMoreGenerations() && !m_pagePending)
        requestGenerationPage();
}

void HistoryController::requestGenerationPage()
{
    if (m_pagePending)
        return;
    m_pagePending = true;
    const quint64 serial = m_genSerial;
    const qint64 versionId = m_genVersionId;
    const int number = m_genNumber;
    const auto after = m_genCursor;
    const bool first = !after.has_value();
    m_genPage = m_session.postRead<Result<QList<GenerationSummary>>>(
        [versionId, after](WorkContext &ctx) -> Result<QList<GenerationSummary>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return generationsForVersion(ctx.project->db(), versionId, after, generationPageSize);
        },
        this,
        [this, serial, number, first](Result<QList<GenerationSummary>> result) {
            if (serial != m_genSerial)
                return;
            m_pagePending = false;
            if (!result) {
                m_genAtEnd = true;
                Q_EMIT errorOccurred(
                    tr("Could not read the generations: %1").arg(result.error().message));
                return;
            }
            m_genAtEnd = result->size() < generationPageSize;
            if (!result->isEmpty())
                m_genCursor = GenerationCursor {result->last().runId, result->last().id};
            if (first)
                Q_EMIT generationsLoaded(number, *result);
            else
                Q_EMIT generationsAppended(number, *result);
        });
}

} // namespace ts
