#pragma once

#include "insights/monitor.h"

#include <QAbstractTableModel>

namespace ts {

/// The monitors of the project as a table: name, dataset, filter, threshold, window, the latest
/// window's pass rate with its 95% interval, and whether it alerts (in the status colours).
class MonitorListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Dataset, Filter, Threshold, Window, Latest, State, ColumnCount };
    /// Qt::UserRole + this: true for an alerting monitor.
    static constexpr int AlertRole = Qt::UserRole + 1;

    explicit MonitorListModel(QObject *parent = nullptr);

    void setStatuses(QList<MonitorStatus> statuses);
    const QList<MonitorStatus> &statuses() const { return m_statuses; }
    const MonitorStatus *statusAt(int row) const;
    int rowOf(qint64 monitorId) const;
    int alertCount() const;

    /// "model=gpt-4o prompt=support@3", or "all records".
    static QString filterText(const MonitorConfig &monitor);
    /// "50.0% [29.9%, 70.1%] · 10/20", or "nothing checked yet".
    static QString latestText(const MonitorStatus &status);
    static QString stateText(const MonitorStatus &status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<MonitorStatus> m_statuses;
};

} // namespace ts
