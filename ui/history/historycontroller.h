#pragma once

#include "common/projectsession.h"
#include "history/generationsquery.h"
#include "prompts/promptdiff.h"
#include "prompts/promptstore.h"

#include <QHash>
#include <QObject>

namespace ts {

class ProjectSession;
class PromptsController;
class VersionListModel;

/// The logic behind the version history of the selected prompt: versions, diffs, labels,
/// restore and the generations a version produced. Follows PromptsController's selection.
class HistoryController final : public QObject
{
    Q_OBJECT

public:
    HistoryController(ProjectSession &session, PromptsController &prompts,
                      QObject *parent = nullptr);

    VersionListModel *model() const { return m_model; }
    const QList<LabelMove> &labelMoves() const { return m_moves; }
    /// For a snippet: the prompt versions (name, number) that render with version `number`.
    QList<std::pair<QString, int>> usedBy(int number) const { return m_users.value(number); }

    /// Reads versions and label moves of the current prompt again.
    void reload();
    /// The diff from version `from` to version `to` (from the loaded snapshot; no disk access).
    std::optional<PromptDiff> diff(int from, int to) const;
    /// The diff of `number` against its parent (or against nothing for version 1).
    std::optional<PromptDiff> diffWithParent(int number) const;

    void setLabel(const QString &label, int number);
    void removeLabel(const QString &label);
    /// Saves the content of `number` as a new latest version and reloads the editor.
    void restore(int number);
    /// The first page of the generations of version `number` (replacing what was shown), then
    /// their count; on reader connections, cancelling the previous load.
    void loadGenerations(int number);
    /// The next page of the version last loaded, if there is more and none is on its way.
    void loadMoreGenerations();
    bool hasMoreGenerations() const { return m_genNumber && !m_genAtEnd; }
    /// True from reload() until the versions have arrived (views say "Loading…", not "none").
    bool isLoading() const { return m_loading; }
    static constexpr int generationPageSize = 200;

Q_SIGNALS:
    void loadingStarted();
    void versionsLoaded();
    void labelsChanged();
    void restored(int newNumber);
    void generationsLoaded(int number, const QList<ts::GenerationSummary> &rows);
    void generationsAppended(int number, const QList<ts::GenerationSummary> &rows);
    /// How many generations version `number` has in all (arrives after the first page).
    void generationCountKnown(int number, qint64 count);
    void notice(const QString &message);
    void errorOccurred(const QString &message);

private:
    void runLabelChange(std::function<Result<void>(PromptStore &, qint64)> change,
                        const QString &done);

    ProjectSession &m_session;
    PromptsController &m_prompts;
    VersionListModel *m_model = nullptr;
    QList<LabelMove> m_moves;
    QHash<int, QList<std::pair<QString, int>>> m_users;
    void requestGenerationPage();

    qint64 m_promptId = 0;
    quint64 m_serial = 0;
    bool m_loading = false;
    // The generations list: version shown, where the next page starts, loads in flight.
    int m_genNumber = 0;
    qint64 m_genVersionId = 0;
    std::optional<GenerationCursor> m_genCursor;
    bool m_genAtEnd = true;
    bool m_pagePending = false;
    quint64 m_genSerial = 0;
    CancelToken m_genPage;
    CancelToken m_genCount;
};

} // namespace ts
