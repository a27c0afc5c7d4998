#include "evals/resultsmatrixmodel.h"

#include "common/releaselater.h"
#include "common/themecolors.h"
#include "evals/casetablemodel.h"

#include <QApplication>
#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QTimer>

namespace ts {

namespace {
// Stronger than ThemeColors::statusBackground (a banner's tint): the matrix is read at a
// glance by colour.
QColor tint(Status status, const QPalette &palette)
{
    const ThemeColors colors = ThemeColors::fromPalette(palette);
    return ThemeColors::mix(colors.status(status), palette.color(QPalette::Base),
                            colors.dark ? 0.45 : 0.28);
}
} // namespace

ResultsMatrixModel::ResultsMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

ResultsMatrixModel::~ResultsMatrixModel()
{
    releaseLater(std::move(m_results));
}

void ResultsMatrixModel::setEval(std::shared_ptr<const EvalResults> summary, QList<qint64> caseIds,
                                 std::shared_ptr<const EvalResults> firstPage)
{
    // The same eval again (a live refresh): keep the rows, the views' selection and scroll.
    const bool sameShape = m_results && summary && m_results->evalId == summary->evalId
        && m_caseIds == caseIds && m_results->variants.size() == summary->variants.size();
    if (sameShape) {
        m_results = std::move(summary);
        if (firstPage)
            setPage(m_token, 0, std::move(firstPage));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        return;
    }
    beginResetModel();
    ++m_token;
    releaseLater(std::exchange(m_results, std::move(summary)));
    m_caseIds = m_results ? std::move(caseIds) : QList<qint64>();
    m_pages.clear();
    m_requested.clear();
    m_filter = EvalResults::Filter::All;
    m_filtering = false;
    m_rows.resize(m_caseIds.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rows[i] = i;
    if (firstPage && m_results) {
        Page page;
        page.cells = std::move(firstPage);
        for (int i = 0; i < page.cells->cases.size(); ++i)
            page.index.insert(page.cells->caseNumber(i), i);
        m_pages.insert(0, page);
    }
    endResetModel();
}

void ResultsMatrixModel::setSummary(std::shared_ptr<const EvalResults> summary)
{
    if (!m_results || !summary || summary->evalId != m_results->evalId
        || summary->variants.size() != m_results->variants.size())
        return;
    releaseLater(std::exchange(m_results, std::move(summary)));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void ResultsMatrixModel::setFilter(EvalResults::Filter filter, int a, int b)
{
    beginResetModel();
    ++m_token;
    m_filter = filter;
    m_a = a;
    m_b = b;
    m_pages.clear();
    m_requested.clear();
    m_rows.clear();
    m_filtering = false;
    const int nVariants = m_results ? int(m_results->variants.size()) : 0;
    if (m_results && filter == EvalResults::Filter::All) {
        m_rows.resize(m_caseIds.size());
        for (int i = 0; i < m_rows.size(); ++i)
            m_rows[i] = i;
    } else if (m_results
               && !(filter == EvalResults::Filter::ChangedBetween
                    && (a < 0 || b < 0 || a >= nVariants || b >= nVariants || a == b))) {
        m_filtering = true;
    }
    endResetModel();
    if (m_filtering)
        Q_EMIT filterWanted(m_token, filter, a, b);
}

void ResultsMatrixModel::setFilteredRows(quint64 token, const QList<int> &caseIndexes)
{
    if (token != m_token || !m_filtering)
        return;
    beginResetModel();
    m_filtering = false;
    m_rows.clear();
    for (int c : caseIndexes)
        if (c >= 0 && c < m_caseIds.size())
            m_rows.append(c);
    endResetModel();
}

void ResultsMatrixModel::requestPage(int page) const
{
    if (m_requested.contains(page) || page < 0 || page * kPageSize >= m_rows.size())
        return;
    m_requested.insert(page);
    // Asked from data() (const, possibly mid-paint): the request leaves from the event loop.
    QTimer::singleShot(0, const_cast<ResultsMatrixModel *>(this), [this, page, token = m_token] {
        if (token != m_token)
            return;
        QList<qint64> ids;
        QList<int> numbers;
        const int first = page * kPageSize;
        const int last = std::min<int>(first + kPageSize, m_rows.size());
        for (int row = first; row < last; ++row) {
            numbers.append(m_rows[row]);
            ids.append(m_caseIds[m_rows[row]]);
        }
        Q_EMIT const_cast<ResultsMatrixModel *>(this)->pageWanted(token, page, ids, numbers);
    });
}

void ResultsMatrixModel::setPage(quint64 token, int page, std::shared_ptr<const EvalResults> cells)
{
    m_requested.remove(page);
    if (token != m_token || !cells || !m_results || cells->evalId != m_results->evalId)
        return;
    Page p;
    p.cells = std::move(cells);
    for (int i = 0; i < p.cells->cases.size(); ++i)
        p.index.insert(p.cells->caseNumber(i), i);
    m_pages.insert(page, p);
    dropFarPages(page);
    emitPageChanged(page);
}

void ResultsMatrixModel::dropFarPages(int near)
{
    while (m_pages.size() > kKeptPages) {
        int farthest = near;
        for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
            if (std::abs(it.key() - near) > std::abs(farthest - near))
                farthest = it.key();
        if (farthest == near)
            return;
        m_pages.remove(farthest);
        // Not announced: its rows are off screen, and read "…" (asking again) if scrolled back.
    }
}

void ResultsMatrixModel::emitPageChanged(int page)
{
    const int first = page * kPageSize;
    const int last = std::min<int>(first + kPageSize, m_rows.size()) - 1;
    if (last >= first && columnCount() > 0)
        Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
}

void ResultsMatrixModel::refreshPages()
{
    const QList<int> held = m_pages.keys();
    for (int page : held) {
        m_requested.remove(page);
        requestPage(page);
    }
}

std::shared_ptr<const EvalResults> ResultsMatrixModel::pageOfCase(int caseIndex,
                                                                  int *indexInPage) const
{
    for (const Page &p : m_pages) {
        const auto it = p.index.constFind(caseIndex);
        if (it != p.index.cend()) {
            if (indexInPage)
                *indexInPage = *it;
            return p.cells;
        }
    }
    return nullptr;
}

qint64 ResultsMatrixModel::caseIdAt(int caseIndex) const
{
    return caseIndex >= 0 && caseIndex < m_caseIds.size() ? m_caseIds[caseIndex] : 0;
}

int ResultsMatrixModel::caseIndexAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row] : -1;
}

int ResultsMatrixModel::rowOfCase(int caseIndex) const
{
    if (m_filter == EvalResults::Filter::All)
        return caseIndex >= 0 && caseIndex < m_rows.size() ? caseIndex : -1;
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
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != OutcomeRole
        && role != Qt::BackgroundRole && role != Qt::TextAlignmentRole)
        return {};
    if (role == Qt::TextAlignmentRole)
        return variant < 0 ? QVariant() : QVariant(Qt::AlignCenter);
    const auto page = m_pages.constFind(index.row() / kPageSize);
    const auto in = page == m_pages.cend() ? QHash<int, int>::const_iterator()
                                           : page->index.constFind(caseIndex);
    if (page == m_pages.cend() || in == page->index.cend()) {
        requestPage(index.row() / kPageSize);
        if (role == Qt::DisplayRole)
            return variant < 0 ? QStringLiteral("%1. …").arg(caseIndex + 1) : QStringLiteral("…");
        if (role == OutcomeRole)
            return QString();
        return {};
    }
    const EvalResults &cells = *page->cells;
    const TestCase &testCase = cells.cases[*in];
    if (variant < 0) {
        if (role == Qt::DisplayRole)
            return caseLabel(testCase, caseIndex);
        if (role == Qt::ToolTipRole)
            return QString::fromStdString(testCase.data.vars.dump(2));
        return {};
    }
    const EvalCell &cell = cells.cell(*in, variant);
    const QString what = outcome(cell, m_results->samples);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(cell, m_results->samples);
    case OutcomeRole:
        return what;
    case Qt::ToolTipRole: {
        for (const EvalSample &s : cell.samples)
            if (!s.pass)
                return s.error.isEmpty() ? s.reason : s.error;
        return cell.samples.isEmpty() ? tr("Not run yet") : tr("Passed");
    }
    case Qt::BackgroundRole: {
        const QPalette palette = QApplication::palette();
        if (what == QLatin1String("pass"))
            return QBrush(tint(Status::Pass, palette));
        if (what == QLatin1String("fail"))
            return QBrush(tint(Status::Fail, palette));
        if (what == QLatin1String("flaky") || what == QLatin1String("error"))
            return QBrush(tint(Status::Warning, palette));
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
