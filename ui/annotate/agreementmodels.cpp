#include "annotate/agreementmodels.h"

#include <QLocale>

namespace ts {

namespace {
QString percent(const std::optional<double> &p)
{
    return p ? QStringLiteral("%1%").arg(QString::number(*p * 100, 'f', 0)) : QStringLiteral("—");
}
} // namespace

QString valueText(const QString &value)
{
    if (value == QLatin1String("a") || value == QLatin1String("first"))
        return QObject::tr("first better");
    if (value == QLatin1String("b") || value == QLatin1String("second"))
        return QObject::tr("second better");
    if (value == QLatin1String("both_bad"))
        return QObject::tr("both bad");
    return value;
}

AgreementModel::AgreementModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AgreementModel::setRows(const QList<CriterionAgreement> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int AgreementModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AgreementModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AgreementModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CriterionAgreement &r = m_rows[index.row()];
    const agreement::Agreement &s = r.stats;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Criterion ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Items:
            return tr("Items labeled by at least two annotators (skips left out)");
        case Percent:
            return s.percentCi ? tr("95% bootstrap interval over items: %1 to %2")
                                     .arg(percent(s.percentCi->low), percent(s.percentCi->high))
                               : QVariant();
        case Cohen:
            return tr("Only when exactly two annotators labeled; Landis & Koch wording");
        case Fleiss:
            return tr("Only when every item has the same number of labels; Landis & Koch wording");
        case Alpha:
            return tr("Nominal; any number of annotators, missing labels allowed; 95% bootstrap "
                      "interval over items");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Criterion:
        return r.criterion;
    case Items:
        return QLocale().toString(s.items);
    case Annotators:
        return QLocale().toString(s.annotators);
    case Labels:
        return QLocale().toString(s.labels);
    case Percent:
        return percent(s.percentAgreement);
    case Cohen:
        return kappaText(s.cohenKappa);
    case Fleiss:
        return kappaText(s.fleissKappa);
    case Alpha:
        if (!s.krippendorffAlpha)
            return QStringLiteral("—");
        return s.alphaCi ? QStringLiteral("%1 [%2, %3]")
                               .arg(QString::number(*s.krippendorffAlpha, 'f', 2),
                                    QString::number(s.alphaCi->low, 'f', 2),
                                    QString::number(s.alphaCi->high, 'f', 2))
                         : QString::number(*s.krippendorffAlpha, 'f', 2);
    }
    return {};
}

QVariant AgreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Criterion:
        return tr("Criterion");
    case Items:
        return tr("Items");
    case Annotators:
        return tr("Annotators");
    case Labels:
        return tr("Labels");
    case Percent:
        return tr("Agreement");
    case Cohen:
        return tr("Cohen's κ");
    case Fleiss:
        return tr("Fleiss' κ");
    case Alpha:
        return tr("Krippendorff's α [95% CI]");
    }
    return {};
}

DisagreementModel::DisagreementModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DisagreementModel::setRows(const QList<Disagreement> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const Disagreement *DisagreementModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int DisagreementModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DisagreementModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DisagreementModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Disagreement &d = m_rows[index.row()];
    if (role == Qt::ToolTipRole && index.column() == Item)
        return d.b ? d.a.key() + QStringLiteral(" vs ") + d.b->key() : d.a.key();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Criterion:
        return d.criterion;
    case Item:
        return d.preview.isEmpty() ? d.a.key() : d.preview;
    case Labels: {
        QStringList parts;
        for (const auto &[annotator, value] : d.labels)
            parts << QStringLiteral("%1: %2").arg(annotator, valueText(value));
        return parts.join(QStringLiteral(" · "));
    }
    case Final:
        return d.finalValue ? valueText(*d.finalValue) : tr("not set");
    }
    return {};
}

QVariant DisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Criterion:
        return tr("Criterion");
    case Item:
        return tr("Item");
    case Labels:
        return tr("Labels");
    case Final:
        return tr("Final label");
    }
    return {};
}

} // namespace ts
