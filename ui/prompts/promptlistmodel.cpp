#include "prompts/promptlistmodel.h"

namespace ts {

PromptListModel::PromptListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void PromptListModel::setPrompts(const QList<PromptInfo> &prompts, const QSet<qint64> &dirty)
{
    beginResetModel();
    m_prompts = prompts;
    m_dirty = dirty;
    endResetModel();
}

void PromptListModel::setDirty(qint64 promptId, bool dirty)
{
    if (m_dirty.contains(promptId) == dirty)
        return;
    if (dirty)
        m_dirty.insert(promptId);
    else
        m_dirty.remove(promptId);
    if (const int row = rowOf(promptId); row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {Qt::DisplayRole, DirtyRole});
}

void PromptListModel::setLatestVersion(qint64 promptId, int number)
{
    const int row = rowOf(promptId);
    if (row < 0 || m_prompts[row].latestVersion >= number)
        return;
    m_prompts[row].latestVersion = number;
    m_prompts[row].versionCount = std::max(m_prompts[row].versionCount + 1, 1);
    Q_EMIT dataChanged(index(row), index(row), {VersionCountRole, LatestVersionRole});
}

int PromptListModel::rowOf(qint64 promptId) const
{
    for (int i = 0; i < m_prompts.size(); ++i)
        if (m_prompts[i].id == promptId)
            return i;
    return -1;
}

const PromptInfo *PromptListModel::promptAt(int row) const
{
    return row >= 0 && row < m_prompts.size() ? &m_prompts[row] : nullptr;
}

int PromptListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_prompts.size());
}

QVariant PromptListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PromptInfo &p = m_prompts[index.row()];
    const bool dirty = m_dirty.contains(p.id);
    switch (role) {
    case Qt::DisplayRole:
        return dirty ? p.name + QStringLiteral(" •") : p.name;
    case Qt::ToolTipRole: {
        QString tip = p.description.isEmpty() ? p.name : p.description;
        tip += QLatin1Char('\n') + tr("%n version(s)", nullptr, p.versionCount);
        if (dirty)
            tip += QLatin1Char('\n') + tr("Unsaved changes (kept as a draft)");
        return tip;
    }
    case IdRole: return p.id;
    case NameRole: return p.name;
    case DescriptionRole: return p.description;
    case VersionCountRole: return p.versionCount;
    case LatestVersionRole: return p.latestVersion;
    case LabelsRole: return p.labels;
    case DirtyRole: return dirty;
    case SnippetRole: return p.kind == PromptKind::Snippet;
    default: return {};
    }
}

QHash<int, QByteArray> PromptListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "promptId");
    names.insert(NameRole, "name");
    names.insert(DescriptionRole, "description");
    names.insert(VersionCountRole, "versionCount");
    names.insert(LatestVersionRole, "latestVersion");
    names.insert(LabelsRole, "labels");
    names.insert(DirtyRole, "dirty");
    names.insert(SnippetRole, "snippet");
    return names;
}

} // namespace ts
