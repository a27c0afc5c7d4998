#include "evals/casetablemodel.h"

#include "common/themecolors.h"

#include <QBrush>
#include <QGuiApplication>

namespace ts {

CaseTableModel::CaseTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void CaseTableModel::startLoading()
{
    beginResetModel();
    m_cases.clear();
    m_rows.clear();
    m_variables.clear();
    m_total = 0;
    m_fetching = false;
    endResetModel();
    setLoading(true);
}

void CaseTableModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void CaseTableModel::setCases(const QList<TestCase> &cases, int total)
{
    beginResetModel();
    m_cases = cases;
    m_rows.clear();
    for (int row = 0; row < m_cases.size(); ++row)
        m_rows.insert(m_cases[row].id, row);
    m_total = std::max<int>(total, int(cases.size()));
    m_variables.clear();
    for (const TestCase &c : cases)
        for (auto it = c.data.vars.begin(); it != c.data.vars.end(); ++it)
            if (const QString key = QString::fromStdString(it.key()); !m_variables.contains(key))
                m_variables << key;
    m_fetching = false;
    endResetModel();
    setLoading(false);
}

void CaseTableModel::appendCases(const QList<TestCase> &cases, int total)
{
    // A page read before a case was added or deleted here may overlap what is loaded.
    QList<TestCase> fresh;
    for (const TestCase &c : cases)
        if (rowOf(c.id) < 0)
            fresh.append(c);
    // A short page is the end: what the count promised beyond it is gone.
    const int loadedAfter = int(m_cases.size() + fresh.size());
    m_total = cases.size() < m_pageSize ? loadedAfter : std::max(total, loadedAfter);
    // Still fetching while the rows go in: a view asking for more from its rowsInserted
    // handlers would otherwise ask again for the page being inserted.
    includeVariables(fresh);
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_cases.size()), loadedAfter - 1);
        int row = int(m_cases.size());
        for (const TestCase &c : std::as_const(fresh))
            m_rows.insert(c.id, row++);
        m_cases += fresh;
        endInsertRows();
    }
    m_fetching = false;
}

CaseKey CaseTableModel::nextKey() const
{
    return m_cases.isEmpty() ? CaseKey {} : CaseKey::after(m_cases.last());
}

void CaseTableModel::includeVariables(const QList<TestCase> &cases)
{
    QStringList added;
    for (const TestCase &c : cases)
        for (auto it = c.data.vars.begin(); it != c.data.vars.end(); ++it)
            if (const QString key = QString::fromStdString(it.key());
                !m_variables.contains(key) && !added.contains(key))
                added << key;
    if (added.isEmpty())
        return;
    // New variable columns go after the known ones, before the fixed columns.
    const int first = int(m_variables.size());
    beginInsertColumns({}, first, first + int(added.size()) - 1);
    m_variables += added;
    endInsertColumns();
}

void CaseTableModel::updateCase(const TestCase &testCase)
{
    const int row = rowOf(testCase.id);
    if (row < 0)
        return; // not loaded: its page shows it as stored
    includeVariables({testCase});
    m_cases[row] = testCase;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void CaseTableModel::addCase(const TestCase &testCase)
{
    if (rowOf(testCase.id) >= 0)
        return updateCase(testCase);
    // A new case is the dataset's last: shown now if every case is, else when fetched.
    if (m_cases.size() == m_total) {
        includeVariables({testCase});
        beginInsertRows({}, int(m_cases.size()), int(m_cases.size()));
        m_rows.insert(testCase.id, int(m_cases.size()));
        m_cases.append(testCase);
        endInsertRows();
    }
    ++m_total;
}

const TestCase *CaseTableModel::caseAt(int row) const
{
    return row >= 0 && row < m_cases.size() ? &m_cases[row] : nullptr;
}

int CaseTableModel::rowOf(qint64 caseId) const
{
    return m_rows.value(caseId, -1);
}

bool CaseTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loading && m_cases.size() < m_total;
}

void CaseTableModel::fetchMore(const QModelIndex &parent)
{
    // The view asks on every scroll near the end; one request at a time.
    if (!canFetchMore(parent) || m_fetching)
        return;
    m_fetching = true;
    Q_EMIT moreRequested();
}

int CaseTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_cases.size());
}

int CaseTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_variables.size()) + fixedColumns;
}

QString CaseTableModel::compact(const nlohmann::json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_null())
        return {};
    return QString::fromStdString(
        value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

nlohmann::json CaseTableModel::parseCell(const QString &text, const nlohmann::json &previous)
{
    if (previous.is_string())
        return text.toStdString();
    const std::string utf8 = text.toStdString();
    nlohmann::json parsed = nlohmann::json::parse(utf8, nullptr, false);
    if (!parsed.is_discarded() && !parsed.is_string())
        return parsed;
    return utf8;
}

QVariant CaseTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const TestCase &c = m_cases[index.row()];
    const int col = index.column();
    const int nVars = int(m_variables.size());
    if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole) {
        QString text;
        if (col < nVars) {
            const std::string key = m_variables[col].toStdString();
            if (c.data.vars.contains(key))
                text = compact(c.data.vars.at(key));
        } else if (col == fixedColumn(Fixed::Expected)) {
            text = c.data.expected.value_or(QString());
        } else if (col == fixedColumn(Fixed::Tags)) {
            text = c.data.tags.join(QStringLiteral(", "));
        } else if (col == fixedColumn(Fixed::Description)) {
            text = c.data.description;
        } else {
            text = caseSourceName(c.source);
        }
        // One line in the table; the whole value in the tooltip and the editor.
        if (role == Qt::DisplayRole)
            text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
        return text;
    }
    if (role == Qt::ForegroundRole && col == fixedColumn(Fixed::Source))
        return QBrush(ThemeColors::fromPalette(QGuiApplication::palette()).muted);
    return {};
}

QVariant CaseTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    const int nVars = int(m_variables.size());
    if (section < 0 || section >= columnCount())
        return {};
    if (section < nVars)
        return m_variables[section];
    switch (Fixed(section - nVars)) {
    case Fixed::Expected:
        return tr("Expected output");
    case Fixed::Tags:
        return tr("Tags");
    case Fixed::Description:
        return tr("Description");
    case Fixed::Source:
        return tr("Source");
    }
    return {};
}

Qt::ItemFlags CaseTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != fixedColumn(Fixed::Source))
        f |= Qt::ItemIsEditable;
    return f;
}

bool CaseTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    TestCase &c = m_cases[index.row()];
    TestCaseData data = c.data;
    const QString text = value.toString();
    const int col = index.column();
    if (col < m_variables.size()) {
        const std::string key = m_variables[col].toStdString();
        const nlohmann::json previous
            = data.vars.contains(key) ? data.vars.at(key) : nlohmann::json("");
        data.vars[key] = parseCell(text, previous);
    } else if (col == fixedColumn(Fixed::Expected)) {
        data.expected = text.isEmpty() ? std::nullopt : std::optional<QString>(text);
    } else if (col == fixedColumn(Fixed::Tags)) {
        QStringList tags;
        for (const QString &t : text.split(QLatin1Char(',')))
            if (const QString s = t.trimmed(); !s.isEmpty() && !tags.contains(s))
                tags << s;
        data.tags = tags;
    } else if (col == fixedColumn(Fixed::Description)) {
        data.description = text;
    } else {
        return false;
    }
    if (data == c.data)
        return false;
    const TestCaseData before = c.data;
    c.data = data;
    Q_EMIT dataChanged(index, index);
    Q_EMIT caseEdited(c.id, before, data, col);
    return true;
}

} // namespace ts
