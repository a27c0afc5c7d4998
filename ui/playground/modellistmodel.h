#pragma once

#include "models/modelconfig.h"

#include <QAbstractListModel>
#include <QSet>

namespace ts {

/// The project's model configurations as a list: name, provider and model id. When checkable,
/// each row carries a check box (the playground's "which models are columns").
class ModelListModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { ModelIdRole = Qt::UserRole + 1, ProviderRole, BaseUrlRole, KeyRefRole, DatabaseIdRole };

    explicit ModelListModel(QObject *parent = nullptr);

    void setCheckable(bool checkable);
    /// Replaces the rows; checked names that no longer exist are dropped.
    void setModels(const QList<ModelConfig> &models);
    const QList<ModelConfig> &models() const { return m_models; }
    const ModelConfig *modelAt(int row) const;
    int rowOf(const QString &name) const;

    /// Checked names in row order.
    QStringList checkedNames() const;
    void setCheckedNames(const QStringList &names);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    /// The checked set changed (by the user or setCheckedNames()).
    void checkedChanged();

private:
    QList<ModelConfig> m_models;
    QSet<QString> m_checked;
    bool m_checkable = false;
};

} // namespace ts
