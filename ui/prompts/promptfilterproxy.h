#pragma once

#include <QSortFilterProxyModel>

namespace ts {

/// Keeps the prompts whose name or description contains the search text (any case).
class PromptFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit PromptFilterProxy(QObject *parent = nullptr);
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace ts
