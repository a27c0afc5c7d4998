#include "history/versionlistmodel.h"

#include <QDateTime>
#include <QLocale>

namespace ts {

VersionListModel::VersionListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void VersionListModel::setVersions(const QList<PromptVersion> &versions)
{
    beginResetModel();
    m_versions = versions;
    endResetModel();
}

const PromptVersion *VersionListModel::version(int number) const
{
    const int row = rowOf(number);
    return row >= 0 ? &m_versions[row] : nullptr;
}

int VersionListModel::rowOf(int number) const
{
    for (int i = 0; i < m_versions.size(); ++i)
        if (m_versions[i].number == number)
            return i;
    return -1;
}

QStringList VersionListModel::allLabels() const
{
    QStringList labels;
    for (const PromptVersion &v : m_versions)
        labels << v.labels;
    labels.sort();
    labels.removeDuplicates();
    return labels;
}

int VersionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_versions.size());
}

int VersionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString VersionListModel::displayTime(const QString &isoUtc)
{
    const QDateTime t = QDateTime::fromString(isoUtc, Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : isoUtc;
}

QVariant VersionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PromptVersion &v = m_versions[index.row()];
    switch (role) {
    case NumberRole: return v.number;
    case IdRole: return v.id;
    case LabelsRole: return v.labels;
    case Qt::ToolTipRole:
        if (index.column() == NoteColumn && !v.note.isEmpty())
            return v.note;
        if (index.column() == TimeColumn)
            return QLocale().toString(QDateTime::fromString(v.createdAt, Qt::ISODateWithMs).toLocalTime());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn: return QStringLiteral("v%1").arg(v.number);
        case LabelsColumn: return v.labels.join(QStringLiteral(", "));
        case NoteColumn:
            if (v.note.isEmpty())
                return tr("(no note)");
            return v.note.section(QLatin1Char('\n'), 0, 0);
        case AuthorColumn: return v.author;
        case TimeColumn: return displayTime(v.createdAt);
        default: return {};
        }
    default:
        return {};
    }
}

QVariant VersionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn: return tr("Version");
    case LabelsColumn: return tr("Labels");
    case NoteColumn: return tr("Note");
    case AuthorColumn: return tr("Author");
    case TimeColumn: return tr("Saved");
    default: return {};
    }
}

} // namespace ts
