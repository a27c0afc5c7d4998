#include "prompts/promptfilterproxy.h"

#include "prompts/promptlistmodel.h"

namespace ts {

PromptFilterProxy::PromptFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void PromptFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool PromptFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return index.data(PromptListModel::NameRole).toString().contains(m_text, Qt::CaseInsensitive)
           || index.data(PromptListModel::DescriptionRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace ts
