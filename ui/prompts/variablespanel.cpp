#include "prompts/variablespanel.h"

#include "common/jsonedit.h"
#include "common/json.h"
#include "common/themecolors.h"
#include "prompts/templateanalysis.h"

#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace ts {

namespace {

QString kindHint(const TemplateVariable &v)
{
    switch (v.kind) {
    case TemplateVariable::Kind::Section:
        return QObject::tr("section · JSON list");
    case TemplateVariable::Kind::InvertedSection:
        return QObject::tr("inverted section · true/false");
    case TemplateVariable::Kind::Value:
        break;
    }
    return TemplateAnalysis::needsJson(v) ? QObject::tr("JSON object") : QString();
}

QString kindTip(const TemplateVariable &v)
{
    switch (v.kind) {
    case TemplateVariable::Kind::Section:
        return QObject::tr("A list repeats the section once per item ({{.}} is the item, or name "
                           "its fields); true/false shows or hides it.");
    case TemplateVariable::Kind::InvertedSection:
        return QObject::tr("Shown when the value is false, empty or missing.");
    case TemplateVariable::Kind::Value:
        break;
    }
    return QObject::tr("Used as %1").arg(v.paths.join(QStringLiteral(", ")));
}

void setLines(QWidget *w, int lines)
{
    const int frame = 2 * (w->style()->pixelMetric(QStyle::PM_DefaultFrameWidth) + 4);
    w->setFixedHeight(lines * w->fontMetrics().lineSpacing() + frame);
}

} // namespace

VariablesPanel::VariablesPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    m_empty = new QLabel(tr("No variables yet.\nType {{name}} in a message and an input for it "
                            "appears here; its value fills the preview."),
                         content);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    QPalette p = m_empty->palette();
    p.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).muted);
    m_empty->setPalette(p);
    m_form = new QFormLayout;
    m_form->setRowWrapPolicy(QFormLayout::WrapAllRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addWidget(m_empty);
    layout->addLayout(m_form);
    layout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll);
}

void VariablesPanel::setVariables(const QList<TemplateVariable> &variables)
{
    bool same = variables.size() == m_variables.size();
    for (int i = 0; same && i < variables.size(); ++i)
        same = variables[i].name == m_variables[i].name && variables[i].kind == m_variables[i].kind
               && TemplateAnalysis::needsJson(variables[i]) == TemplateAnalysis::needsJson(m_variables[i]);
    m_variables = variables;
    ensureDefaults();
    if (!same)
        rebuild();
}

void VariablesPanel::setValues(const nlohmann::json &values)
{
    m_values = values.is_object() ? values : nlohmann::json::object();
    ensureDefaults();
    m_loading = true;
    for (Field &f : m_fields)
        fillField(f);
    m_loading = false;
}

QStringList VariablesPanel::variableNames() const
{
    QStringList names;
    for (const Field &f : m_fields)
        names << f.variable.name;
    return names;
}

QWidget *VariablesPanel::inputFor(const QString &name) const
{
    for (const Field &f : m_fields)
        if (f.variable.name == name)
            return f.json ? static_cast<QWidget *>(f.jsonEdit) : f.text;
    return nullptr;
}

void VariablesPanel::ensureDefaults()
{
    for (const TemplateVariable &v : m_variables)
        if (!m_values.contains(sstr(v.name)))
            m_values[sstr(v.name)] = TemplateAnalysis::defaultValue(v);
}

void VariablesPanel::fillField(Field &f)
{
    const std::string key = sstr(f.variable.name);
    const nlohmann::json value = m_values.value(key, nlohmann::json());
    if (f.json) {
        f.jsonEdit->setJson(value);
    } else {
        const QString text = value.is_string() ? qstr(value.get<std::string>())
                                               : value.is_null() ? QString() : qstr(value.dump());
        if (f.text->toPlainText() != text)
            f.text->setPlainText(text);
    }
}

void VariablesPanel::rebuild()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    m_loading = true;
    for (const TemplateVariable &v : m_variables) {
        Field f;
        f.variable = v;
        f.json = TemplateAnalysis::needsJson(v);
        f.label = new QLabel(QStringLiteral("<b>%1</b>&nbsp;&nbsp;<span style='color:%2'>%3</span>")
                                 .arg(v.name.toHtmlEscaped(),
                                      ThemeColors::fromPalette(palette()).muted.name(),
                                      kindHint(v).toHtmlEscaped()));
        f.label->setToolTip(kindTip(v));
        const std::string key = sstr(v.name);
        if (f.json) {
            f.jsonEdit = new JsonEdit;
            f.jsonEdit->setAllowEmpty(false);
            setLines(f.jsonEdit->editor(), 6);
            connect(f.jsonEdit, &JsonEdit::edited, this, [this, edit = f.jsonEdit, key] {
                if (m_loading || !edit->json())
                    return;
                m_values[key] = *edit->json();
                Q_EMIT valuesEdited();
            });
            m_form->addRow(f.label, f.jsonEdit);
        } else {
            f.text = new QPlainTextEdit;
            f.text->setTabChangesFocus(true);
            f.text->setPlaceholderText(tr("Value of %1").arg(v.name));
            setLines(f.text, 3);
            connect(f.text, &QPlainTextEdit::textChanged, this, [this, edit = f.text, key] {
                if (m_loading)
                    return;
                m_values[key] = sstr(edit->toPlainText());
                Q_EMIT valuesEdited();
            });
            m_form->addRow(f.label, f.text);
        }
        fillField(f);
        m_fields.append(f);
    }
    m_loading = false;
    m_empty->setVisible(m_fields.isEmpty());
}

} // namespace ts
