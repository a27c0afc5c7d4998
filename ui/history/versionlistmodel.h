#pragma once

#include "prompts/promptstore.h"

#include <QAbstractTableModel>

namespace ts {

/// The versions of one prompt, newest first: number, labels, note, author, time.
class VersionListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NumberColumn, LabelsColumn, NoteColumn, AuthorColumn, TimeColumn, ColumnCount };
    enum Role { NumberRole = Qt::UserRole + 1, IdRole, LabelsRole };

    explicit VersionListModel(QObject *parent = nullptr);

    void setVersions(const QList<PromptVersion> &versions);
    const QList<PromptVersion> &versions() const { return m_versions; }
    /// The version with `number`, or nullptr.
    const PromptVersion *version(int number) const;
    int rowOf(int number) const;
    /// Every label on any version, sorted.
    QStringList allLabels() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "2024-05-01 14:03" in local time from stored ISO UTC.
    static QString displayTime(const QString &isoUtc);

private:
    QList<PromptVersion> m_versions;
};

} // namespace ts
