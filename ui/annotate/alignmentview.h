#pragma once

#include "annotation/target.h"
#include "common/error.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

namespace ts {

class AnnotateController;
class Database;

/// One item where a check and the people disagree, read for display.
struct AlignmentDisagreement
{
    Target a;
    std::optional<Target> b; ///< pairwise judges: the second output
    QString snippet; ///< the output's first words (both outputs for a pair)
    QString output; ///< the whole output(s)
    QString humanLabels; ///< "ana: no · ben: yes · final (lead): no"
};

/// One assertion or judge scored against people on a criterion.
struct AlignmentRow
{
    QString name;
    QString kind; ///< "assertion", "judge@v2", "pairwise judge@v1"
    std::optional<int> tp, tn, fp, fn; ///< pointwise checks only
    std::optional<double> accuracy, cohenKappa, coverage, falseFailureRate, alignment;
    QList<AlignmentDisagreement> disagreements;
};

/// Runs on the worker: every assertion and judge of `evalId` against the human verdicts on
/// `criterion`, with each disagreement's output and labels. NotFound when nobody labeled the
/// eval's generations on that criterion.
Result<QList<AlignmentRow>> loadJudgeAlignment(Database &db, qint64 evalId,
                                               const QString &criterion);

/// The checks table: name, kind, confusion matrix and the agreement statistics.
class AlignmentModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Kind,
        Tp,
        Tn,
        Fp,
        Fn,
        Accuracy,
        Kappa,
        Coverage,
        FalseFailures,
        Alignment,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setRows(const QList<AlignmentRow> &rows);
    const AlignmentRow *rowAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AlignmentRow> m_rows;
};

/// "Judges vs people": pick an eval and a criterion; per assertion and judge (per prompt
/// version) how far it agrees with the human verdicts, and the items where it does not, with
/// their output and labels one double-click away.
class AlignmentView final : public QWidget
{
    Q_OBJECT

public:
    explicit AlignmentView(AnnotateController &controller, QWidget *parent = nullptr);

    QComboBox *evalBox() const { return m_eval; }
    QComboBox *criterionBox() const { return m_criterion; }
    AlignmentModel *model() const { return m_model; }
    QTableView *checksTable() const { return m_table; }
    QStandardItemModel *disagreementModel() const { return m_disagreementModel; }
    QTableView *disagreementTable() const { return m_disagreementTable; }
    QLabel *emptyLabel() const { return m_empty; }
    QTextBrowser *itemPane() const { return m_item; }
    /// True while a load is running.
    bool isLoading() const { return m_loading; }

    /// Rereads the evals and criteria (keeps the current choice when it still exists).
    void reload();
    /// Shows a disagreement's output and human labels in the side pane.
    void openDisagreement(int row);

Q_SIGNALS:
    void backRequested();

private:
    void loadAlignment();
    void checkChanged();

    AnnotateController &m_controller;
    QComboBox *m_eval = nullptr;
    QComboBox *m_criterion = nullptr;
    AlignmentModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_disagreementTitle = nullptr;
    QStandardItemModel *m_disagreementModel = nullptr;
    QTableView *m_disagreementTable = nullptr;
    QTextBrowser *m_item = nullptr;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_filling = false;
};

} // namespace ts
