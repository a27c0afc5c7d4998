#pragma once

#include "common/projectsession.h"

#include <QObject>

namespace ts {

class CaseTableModel;

/// Fills a CaseTableModel with one dataset's cases a page at a time, reading on the session's
/// reader connections (postRead), so a long import or eval on the writer does not hold them up:
/// the first page when a dataset is shown, the next when the view scrolls to the end (the
/// model's fetchMore()). Showing another dataset cancels the reads still under way for the
/// previous one, and their results are dropped; the model says it is loading meanwhile.
class CasePager final : public QObject
{
    Q_OBJECT

public:
    CasePager(ProjectSession &session, CaseTableModel &model, QObject *parent = nullptr);

    /// Empties the model and loads the first page of `datasetId` (0 only empties it).
    void show(qint64 datasetId);
    /// Reads the loaded rows (at least a page) again after a change, replacing them when they
    /// arrive, so the table does not blank out meanwhile.
    void refresh();
    qint64 datasetId() const { return m_dataset; }

Q_SIGNALS:
    /// The first page (or a refresh) is in the model.
    void loaded();
    void failed(const QString &message);

private:
    void load(int rows);
    void fetchNext();
    void cancelPending();

    ProjectSession &m_session;
    CaseTableModel &m_model;
    qint64 m_dataset = 0;
    quint64 m_generation = 0; ///< bumped by show() and refresh(); older results are dropped
    QList<CancelToken> m_pending;
};

} // namespace ts
