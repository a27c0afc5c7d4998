#pragma once

#include "prompts/promptstore.h"

#include <QAbstractListModel>
#include <QSet>

namespace ts {

/// A snapshot of the project's prompts for the list on the left, with which ones hold unsaved
/// changes (an autosaved draft or edits in the editor).
class PromptListModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,
        DescriptionRole,
        VersionCountRole,
        LatestVersionRole,
        LabelsRole,
        DirtyRole,
        SnippetRole, ///< true for a snippet
    };

    explicit PromptListModel(QObject *parent = nullptr);

    void setPrompts(const QList<PromptInfo> &prompts, const QSet<qint64> &dirty);
    void setDirty(qint64 promptId, bool dirty);
    /// A version was just saved: shows it before the next full refresh arrives.
    void setLatestVersion(qint64 promptId, int number);
    /// The row of `promptId`, or -1.
    int rowOf(qint64 promptId) const;
    const PromptInfo *promptAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<PromptInfo> m_prompts;
    QSet<qint64> m_dirty;
};

} // namespace ts
