#include "playground/modellistmodel.h"

namespace ts {

ModelListModel::ModelListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void ModelListModel::setCheckable(bool checkable)
{
    if (m_checkable == checkable)
        return;
    beginResetModel();
    m_checkable = checkable;
    endResetModel();
}

void ModelListModel::setModels(const QList<ModelConfig> &models)
{
    const QStringList before = checkedNames();
    beginResetModel();
    m_models = models;
    QSet<QString> kept;
    for (const ModelConfig &m : m_models)
        if (m_checked.contains(m.name))
            kept.insert(m.name);
    m_checked = kept;
    endResetModel();
    if (checkedNames() != before)
        Q_EMIT checkedChanged();
}

const ModelConfig *ModelListModel::modelAt(int row) const
{
    return row >= 0 && row < m_models.size() ? &m_models[row] : nullptr;
}

int ModelListModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_models.size(); ++row)
        if (m_models[row].name == name)
            return row;
    return -1;
}

QStringList ModelListModel::checkedNames() const
{
    QStringList names;
    for (const ModelConfig &m : m_models)
        if (m_checked.contains(m.name))
            names.append(m.name);
    return names;
}

void ModelListModel::setCheckedNames(const QStringList &names)
{
    QSet<QString> wanted;
    for (const QString &n : names)
        if (rowOf(n) >= 0)
            wanted.insert(n);
    if (wanted == m_checked)
        return;
    m_checked = wanted;
    if (!m_models.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_models.size()) - 1), {Qt::CheckStateRole});
    Q_EMIT checkedChanged();
}

int ModelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_models.size());
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelConfig &m = m_models[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return m.name;
    case Qt::ToolTipRole:
        return tr("%1 · %2\n%3").arg(providerDisplayName(m.provider), m.modelId,
                                     m.baseUrl.isEmpty() ? defaultBaseUrl(m.provider) : m.baseUrl);
    case Qt::CheckStateRole:
        if (!m_checkable)
            return {};
        return m_checked.contains(m.name) ? Qt::Checked : Qt::Unchecked;
    case ModelIdRole:
        return m.modelId;
    case ProviderRole:
        return providerKindName(m.provider);
    case BaseUrlRole:
        return m.baseUrl;
    case KeyRefRole:
        return m.keyRef;
    case DatabaseIdRole:
        return m.id;
    default:
        return {};
    }
}

bool ModelListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_checkable || role != Qt::CheckStateRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString name = m_models[index.row()].name;
    const bool checked = value.toInt() == Qt::Checked;
    if (checked == m_checked.contains(name))
        return true;
    if (checked)
        m_checked.insert(name);
    else
        m_checked.remove(name);
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT checkedChanged();
    return true;
}

Qt::ItemFlags ModelListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (m_checkable)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

} // namespace ts
