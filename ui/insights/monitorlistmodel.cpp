#include "insights/monitorlistmodel.h"

#include "common/themecolors.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace ts {

namespace {

QString percent(double v)
{
    return QString::number(100 * v, 'f', 1) + QLatin1Char('%');
}

enum class Health { Unknown, Healthy, Alert, Below };

Health health(const MonitorStatus &s)
{
    if (!s.latest || s.latest->records == 0)
        return Health::Unknown;
    if (s.latest->alert)
        return Health::Alert;
    if (s.latest->rate.estimate < s.monitor.threshold)
        return Health::Below;
    return Health::Healthy;
}

} // namespace

MonitorListModel::MonitorListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MonitorListModel::setStatuses(QList<MonitorStatus> statuses)
{
    beginResetModel();
    m_statuses = std::move(statuses);
    endResetModel();
}

const MonitorStatus *MonitorListModel::statusAt(int row) const
{
    return row >= 0 && row < m_statuses.size() ? &m_statuses[row] : nullptr;
}

int MonitorListModel::rowOf(qint64 monitorId) const
{
    for (int i = 0; i < m_statuses.size(); ++i)
        if (m_statuses[i].monitor.id == monitorId)
            return i;
    return -1;
}

int MonitorListModel::alertCount() const
{
    return int(std::count_if(m_statuses.begin(), m_statuses.end(),
                             [](const MonitorStatus &s) { return s.alert(); }));
}

QString MonitorListModel::filterText(const MonitorConfig &m)
{
    QStringList parts;
    if (m.model)
        parts << tr("model %1").arg(*m.model);
    if (m.promptName)
        parts << tr("prompt %1%2")
                     .arg(*m.promptName,
                          m.promptVersion ? QLatin1Char('@') + *m.promptVersion : QString());
    return parts.isEmpty() ? tr("all records") : parts.join(QStringLiteral(", "));
}

QString MonitorListModel::latestText(const MonitorStatus &s)
{
    if (!s.latest)
        return tr("nothing checked yet");
    if (s.latest->records == 0)
        return tr("%1: no verdicts").arg(s.latest->start);
    return tr("%1 [%2, %3] · %4/%5 · %6")
        .arg(percent(s.latest->rate.estimate), percent(s.latest->rate.ci.low),
             percent(s.latest->rate.ci.high))
        .arg(s.latest->rate.successes)
        .arg(s.latest->records)
        .arg(s.latest->start);
}

QString MonitorListModel::stateText(const MonitorStatus &s)
{
    switch (health(s)) {
    case Health::Unknown:
        return tr("No data");
    case Health::Alert:
        return tr("Alert");
    case Health::Below:
        return tr("Below, too few records");
    case Health::Healthy:
        return tr("Healthy");
    }
    return {};
}

int MonitorListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_statuses.size());
}

int MonitorListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MonitorListModel::data(const QModelIndex &index, int role) const
{
    const MonitorStatus *s = statusAt(index.row());
    if (!s)
        return {};
    const MonitorConfig &m = s->monitor;
    if (role == AlertRole)
        return s->alert();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return m.name;
        case Dataset:
            return m.judgeId
                ? tr("%1 + judge %2 (%3)").arg(m.datasetName, m.judgeName, percent(m.judgeFraction))
                : m.datasetName;
        case Filter:
            return filterText(m);
        case Threshold:
            return percent(m.threshold);
        case Window:
            return m.window == MonitorWindow::Day ? tr("day") : tr("week");
        case Latest:
            return latestText(*s);
        case State:
            return stateText(*s);
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1 records checked, %2 failed").arg(s->checked).arg(s->failures);
        if (s->alert())
            tip += QLatin1Char('\n')
                + tr("The latest %1's pass rate and its whole 95% interval are below %2.")
                      .arg(monitorWindowName(m.window), percent(m.threshold));
        return tip;
    }
    if (role == Qt::ForegroundRole && (index.column() == State || index.column() == Latest)) {
        const ThemeColors colors = ThemeColors::fromPalette(QApplication::palette());
        switch (health(*s)) {
        case Health::Alert:
            return colors.status(Status::Fail);
        case Health::Below:
            return colors.status(Status::Warning);
        case Health::Healthy:
            return colors.status(Status::Pass);
        case Health::Unknown:
            return colors.muted;
        }
    }
    if (role == Qt::FontRole && index.column() == State && s->alert()) {
        QFont f;
        f.setBold(true);
        return f;
    }
    return {};
}

QVariant MonitorListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Monitor");
    case Dataset:
        return tr("Checks");
    case Filter:
        return tr("Records");
    case Threshold:
        return tr("Threshold");
    case Window:
        return tr("Window");
    case Latest:
        return tr("Latest pass rate [95% CI]");
    case State:
        return tr("State");
    }
    return {};
}

} // namespace ts
