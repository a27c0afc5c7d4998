#pragma once

#include "annotate/agreementquery.h"

#include <QAbstractTableModel>

namespace ts {

/// Agreement per criterion: items, annotators, labels, percent agreement, Cohen's and
/// Fleiss' kappa with their Landis–Koch wording, Krippendorff's alpha with its interval.
class AgreementModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Criterion,
        Items,
        Annotators,
        Labels,
        Percent,
        Cohen,
        Fleiss,
        Alpha,
        ColumnCount
    };

    explicit AgreementModel(QObject *parent = nullptr);
    void setRows(const QList<CriterionAgreement> &rows);
    const QList<CriterionAgreement> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<CriterionAgreement> m_rows;
};

/// Items where annotators disagree: criterion, item, each annotator's label, the final one.
class DisagreementModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Criterion, Item, Labels, Final, ColumnCount };

    explicit DisagreementModel(QObject *parent = nullptr);
    void setRows(const QList<Disagreement> &rows);
    const QList<Disagreement> &rows() const { return m_rows; }
    const Disagreement *rowAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Disagreement> m_rows;
};

/// How a stored value reads: "yes", "no", "first", "A better"…
QString valueText(const QString &value);

} // namespace ts
