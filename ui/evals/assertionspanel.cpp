#include "evals/assertionspanel.h"

#include "common/themecolors.h"
#include "evals/casetablemodel.h"
#include "evals/datasetscontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ts {

namespace {
const QString notPrefix = QStringLiteral("not-");

QString describeValue(const nlohmann::json &value)
{
    return CaseTableModel::compact(value);
}
} // namespace

AssertionsPanel::AssertionsPanel(DatasetsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("<b>Assertions</b>"), this);
    layout->addWidget(title);

    m_list = new QTreeWidget(this);
    m_list->setColumnCount(4);
    m_list->setHeaderLabels({tr("Type"), tr("Value"), tr("Weight"), tr("Applies to")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    layout->addWidget(m_list, 1);

    auto *form = new QFormLayout;
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("Every case of the dataset"));
    m_scope->addItem(tr("Selected case only"));
    form->addRow(tr("Applies to"), m_scope);

    auto *typeRow = new QHBoxLayout;
    m_negate = new QCheckBox(tr("not-"), this);
    m_negate->setToolTip(tr("Invert the verdict (graded types score 1 − score)"));
    m_type = new QComboBox(this);
    m_type->addItems(assertionTypes());
    m_type->setCurrentText(QStringLiteral("contains"));
    typeRow->addWidget(m_negate);
    typeRow->addWidget(m_type, 1);
    form->addRow(tr("Type"), typeRow);

    m_value = new QLineEdit(this);
    m_value->setPlaceholderText(tr("text, number, [list] or {object}; {{var}} allowed"));
    form->addRow(tr("Value"), m_value);

    auto *numbers = new QHBoxLayout;
    m_weight = new QDoubleSpinBox(this);
    m_weight->setRange(0, 100);
    m_weight->setDecimals(2);
    m_weight->setSingleStep(0.5);
    m_weight->setValue(1);
    m_threshold = new QLineEdit(this);
    m_threshold->setPlaceholderText(tr("default"));
    numbers->addWidget(m_weight);
    numbers->addWidget(new QLabel(tr("Threshold"), this));
    numbers->addWidget(m_threshold);
    form->addRow(tr("Weight"), numbers);
    layout->addLayout(form);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = m_problem->palette();
    pal.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).error);
    m_problem->setPalette(pal);
    m_problem->hide();
    layout->addWidget(m_problem);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add"), this);
    m_save = new QPushButton(tr("Save changes"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    buttons->addWidget(m_add);
    buttons->addWidget(m_save);
    buttons->addStretch();
    buttons->addWidget(m_remove);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] { submit(true); });
    connect(m_save, &QPushButton::clicked, this, [this] { submit(false); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (const StoredAssertion *a = selected())
            m_controller.removeAssertion(a->id);
    });
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &AssertionsPanel::loadSelected);
    connect(&controller, &DatasetsController::assertionsChanged, this, &AssertionsPanel::rebuild);
    rebuild();
}

void AssertionsPanel::setCurrentCase(std::optional<qint64> caseId, int row)
{
    m_caseId = caseId;
    m_caseRow = row;
    m_scope->setItemText(1, caseId ? tr("Case %1 only").arg(row + 1) : tr("Selected case only"));
    rebuild();
}

QString AssertionsPanel::problem() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

nlohmann::json AssertionsPanel::parseValue(const QString &text)
{
    if (text.trimmed().isEmpty())
        return nullptr;
    const std::string utf8 = text.toStdString();
    nlohmann::json parsed = nlohmann::json::parse(utf8, nullptr, false);
    if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_array() || parsed.is_object()))
        return parsed;
    return utf8;
}

Result<AssertionSpec> AssertionsPanel::formSpec() const
{
    AssertionSpec spec;
    spec.type = (m_negate->isChecked() ? notPrefix : QString()) + m_type->currentText();
    spec.value = parseValue(m_value->text());
    spec.weight = m_weight->value();
    if (const QString t = m_threshold->text().trimmed(); !t.isEmpty()) {
        bool ok = false;
        double c = t.toDouble(&ok);
        if (!ok)
            c = QLocale().toDouble(t, &ok);
        if (!ok)
            return fail(ErrorCode::InvalidArgument, tr("Threshold \"%1\" is not a number.").arg(t));
        spec.threshold = c;
    }
    if (auto valid = validateAssertion(spec); !valid)
        return fail(valid.error());
    return spec;
}

void AssertionsPanel::submit(bool asNew)
{
    auto spec = formSpec();
    if (!spec) {
        showProblem(spec.error().message);
        return;
    }
    const StoredAssertion *current = selected();
    if (!asNew && !current) {
        showProblem(tr("Select an assertion to change."));
        return;
    }
    std::optional<qint64> caseId;
    if (asNew && m_scope->currentIndex() == 1) {
        if (!m_caseId) {
            showProblem(tr("Select a test case first."));
            return;
        }
        caseId = m_caseId;
    }
    m_controller.saveAssertion(asNew ? 0 : current->id, caseId, *spec, this,
                               [this](Result<StoredAssertion> saved) {
                                   showProblem(saved ? QString() : saved.error().message);
                               });
}

void AssertionsPanel::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

const StoredAssertion *AssertionsPanel::selected() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item || !item->isSelected())
        return nullptr;
    const qint64 id = item->data(0, Qt::UserRole).toLongLong();
    for (const StoredAssertion &a : m_controller.assertions())
        if (a.id == id)
            return &a;
    return nullptr;
}

void AssertionsPanel::rebuild()
{
    const qint64 keep = selected() ? selected()->id : 0;
    m_list->clear();
    for (const StoredAssertion &a : m_controller.assertions()) {
        if (a.testCaseId && a.testCaseId != m_caseId)
            continue;
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, a.spec.type);
        QString value = describeValue(a.spec.value);
        if (a.spec.threshold)
            value += tr("  (threshold %1)").arg(*a.spec.threshold);
        item->setText(1, value);
        item->setToolTip(1, value);
        item->setText(2, QString::number(a.spec.weight));
        item->setText(3, a.testCaseId ? tr("case %1").arg(m_caseRow + 1) : tr("all cases"));
        item->setData(0, Qt::UserRole, a.id);
        if (a.id == keep)
            m_list->setCurrentItem(item);
    }
    for (int c = 0; c < m_list->columnCount(); ++c)
        if (c != 1)
            m_list->resizeColumnToContents(c);
    m_save->setEnabled(selected());
    m_remove->setEnabled(selected());
}

void AssertionsPanel::loadSelected()
{
    const StoredAssertion *a = selected();
    m_save->setEnabled(a);
    m_remove->setEnabled(a);
    if (!a)
        return;
    QString type = a->spec.type;
    m_negate->setChecked(type.startsWith(notPrefix));
    if (type.startsWith(notPrefix))
        type = type.mid(notPrefix.size());
    m_type->setCurrentText(type);
    m_value->setText(a->spec.value.is_null() ? QString() : describeValue(a->spec.value));
    m_weight->setValue(a->spec.weight);
    m_threshold->setText(a->spec.threshold ? QString::number(*a->spec.threshold) : QString());
    m_scope->setCurrentIndex(a->testCaseId ? 1 : 0);
    showProblem({});
}

} // namespace ts
