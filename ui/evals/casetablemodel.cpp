#include "evals/casetablemodel.h"

#include <QBrush>
#include <QPalette>

namespace ts {

CaseTableModel::CaseTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void CaseTableModel::setCases(const QList<TestCase> &cases)
{
    beginResetModel();
    m_cases = cases;
    m_variables = collectVariables();
    endResetModel();
}

void CaseTableModel::updateCase(const TestCase &testCase)
{
    const int row = rowOf(testCase.id);
    QList<TestCase> next = m_cases;
    if (row < 0)
        next.append(testCase);
    else
        next[row] = testCase;
    // A new variable changes the columns; otherwise only one row changes.
    QStringList vars;
    for (const auto &c : std::as_const(next))
        for (auto it = c.data.vars.begin(); it != c.data.vars.end(); ++it)
            if (const QString key = QString::fromStdString(it.key()); !vars.contains(key))
                vars << key;
    if (vars != m_variables) {
        setCases(next);
        return;
    }
    if (row < 0) {
        beginInsertRows({}, int(m_cases.size()), int(m_cases.size()));
        m_cases = next;
        endInsertRows();
        return;
    }
    m_cases = next;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

const TestCase *CaseTableModel::caseAt(int row) const
{
    return row >= 0 && row < m_cases.size() ? &m_cases[row] : nullptr;
}

int CaseTableModel::rowOf(qint64 caseId) const
{
    for (int row = 0; row < m_cases.size(); ++row)
        if (m_cases[row].id == caseId)
            return row;
    return -1;
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
        return QBrush(QPalette().color(QPalette::PlaceholderText));
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

QStringList CaseTableModel::collectVariables() const
{
    QStringList vars;
    for (const TestCase &c : m_cases)
        for (auto it = c.data.vars.begin(); it != c.data.vars.end(); ++it)
            if (const QString key = QString::fromStdString(it.key()); !vars.contains(key))
                vars << key;
    return vars;
}

} // namespace ts
