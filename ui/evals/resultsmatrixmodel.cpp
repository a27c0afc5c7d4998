#include "evals/resultsmatrixmodel.h"

#include "common/themecolors.h"
#include "evals/casetablemodel.h"

#include <QApplication>
#include <QBrush>
#include <QFont>
#include <QPalette>

namespace ts {

namespace {
QColor tint(const QColor &hue, const QPalette &palette)
{
    const ThemeColors colors = ThemeColors::fromPalette(palette);
    return ThemeColors::mix(hue, palette.color(QPalette::Base), colors.dark ? 0.45 : 0.28);
}
} // namespace

ResultsMatrixModel::ResultsMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResultsMatrixModel::setResults(std::shared_ptr<const EvalResults> results)
{
    // Same shape (a live refresh of the running eval): keep views' selection and scroll.
    const bool sameShape = m_results && results && m_results->evalId == results->evalId
        && m_results->cases.size() == results->cases.size()
        && m_results->variants.size() == results->variants.size()
        && m_filter == EvalResults::Filter::All;
    if (sameShape) {
        m_results = std::move(results);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        return;
    }
    beginResetModel();
    m_results = std::move(results);
    applyFilter();
    endResetModel();
}

void ResultsMatrixModel::setFilter(EvalResults::Filter filter, int a, int b)
{
    beginResetModel();
    m_filter = filter;
    m_a = a;
    m_b = b;
    applyFilter();
    endResetModel();
}

void ResultsMatrixModel::applyFilter()
{
    m_rows.clear();
    if (!m_results)
        return;
    const int nVariants = int(m_results->variants.size());
    if (m_filter == EvalResults::Filter::ChangedBetween
        && (m_a < 0 || m_b < 0 || m_a >= nVariants || m_b >= nVariants || m_a == m_b))
        return;
    m_rows = m_results->rows(m_filter, m_a, m_b);
}

int ResultsMatrixModel::caseIndexAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row] : -1;
}

int ResultsMatrixModel::rowOfCase(int caseIndex) const
{
    return int(m_rows.indexOf(caseIndex));
}

QString ResultsMatrixModel::outcome(const EvalCell &cell, int samples)
{
    if (cell.samples.isEmpty())
        return QStringLiteral("pending");
    if (cell.flaky())
        return QStringLiteral("flaky");
    if (cell.outputs() == 0)
        return QStringLiteral("error"); // no verdict at all: an error, not a failure
    Q_UNUSED(samples);
    return cell.pass() ? QStringLiteral("pass") : QStringLiteral("fail");
}

QString ResultsMatrixModel::cellText(const EvalCell &cell, int samples)
{
    const QString what = outcome(cell, samples);
    if (what == QLatin1String("pending"))
        return QStringLiteral("…");
    if (what == QLatin1String("error"))
        return tr("⚠ error");
    QString text;
    if (samples > 1)
        text = QStringLiteral("%1 %2/%3")
                   .arg(what == QLatin1String("pass")        ? QStringLiteral("✓")
                            : what == QLatin1String("flaky") ? QStringLiteral("~")
                                                             : QStringLiteral("✗"))
                   .arg(cell.passes())
                   .arg(cell.outputs());
    else
        text = what == QLatin1String("pass") ? tr("✓ pass") : tr("✗ fail");
    text += QStringLiteral("  %1").arg(cell.meanScore(), 0, 'f', 2);
    if (cell.errors() > 0)
        text += tr("  ⚠%1").arg(cell.errors());
    return text;
}

QString ResultsMatrixModel::caseLabel(const TestCase &testCase, int index)
{
    QString label = testCase.data.description;
    if (label.isEmpty()) {
        // The longest text variable (the user's message, the document…) tells cases apart;
        // short settings such as a shop name repeat on every case.
        for (auto it = testCase.data.vars.begin(); it != testCase.data.vars.end(); ++it)
            if (it.value().is_string() && CaseTableModel::compact(it.value()).size() > label.size())
                label = CaseTableModel::compact(it.value());
        if (label.isEmpty())
            label = CaseTableModel::compact(testCase.data.vars);
    }
    label.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (label.size() > 90)
        label = label.left(88) + QStringLiteral("…");
    return QStringLiteral("%1. %2").arg(index + 1).arg(label);
}

int ResultsMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResultsMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_results ? 0 : 1 + int(m_results->variants.size());
}

QVariant ResultsMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int caseIndex = m_rows[index.row()];
    const int variant = index.column() - 1;
    if (role == CaseIndexRole)
        return caseIndex;
    if (role == VariantRole)
        return variant;
    const TestCase &testCase = m_results->cases[caseIndex];
    if (variant < 0) {
        if (role == Qt::DisplayRole)
            return caseLabel(testCase, caseIndex);
        if (role == Qt::ToolTipRole)
            return QString::fromStdString(testCase.data.vars.dump(2));
        return {};
    }
    const EvalCell &cell = m_results->cell(caseIndex, variant);
    const QString what = outcome(cell, m_results->samples);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(cell, m_results->samples);
    case OutcomeRole:
        return what;
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignCenter);
    case Qt::ToolTipRole: {
        for (const EvalSample &s : cell.samples)
            if (!s.pass)
                return s.error.isEmpty() ? s.reason : s.error;
        return cell.samples.isEmpty() ? tr("Not run yet") : tr("Passed");
    }
    case Qt::BackgroundRole: {
        const QPalette palette = QApplication::palette();
        if (what == QLatin1String("pass"))
            return QBrush(tint(QColor(40, 167, 69), palette));
        if (what == QLatin1String("fail"))
            return QBrush(tint(QColor(220, 53, 69), palette));
        if (what == QLatin1String("flaky") || what == QLatin1String("error"))
            return QBrush(tint(QColor(255, 166, 0), palette));
        return {};
    }
    default:
        return {};
    }
}

QVariant ResultsMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (m_results && role == Qt::ToolTipRole && orientation == Qt::Horizontal && section > 0
        && section <= m_results->variants.size())
        return m_results->variants[section - 1].label;
    if (!m_results || role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section == 0)
        return tr("Test case");
    if (section < 0 || section > m_results->variants.size())
        return {};
    const EvalVariantSummary &v = m_results->variants[section - 1];
    const stats::CasePassRate &p = v.passRate;
    // Stacked so that a column needs only the width of its longest part.
    QString header
        = QStringLiteral("%1@%2\n%3").arg(v.promptName).arg(v.promptVersion).arg(v.modelName);
    header += p.trials > 0 ? QStringLiteral("\n%1% pass").arg(qRound(100 * p.estimate))
                           : QStringLiteral("\n–");
    return header;
}

} // namespace ts
