#pragma once

#include "template/mustache.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace ts {

class JsonEdit;

/// One input per template variable: a text field for plain values, a JSON editor for sections
/// (lists of few-shot examples) and dotted names. Values of variables that disappear are kept,
/// so deleting and retyping a tag does not lose what was entered.
class VariablesPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit VariablesPanel(QWidget *parent = nullptr);

    void setVariables(const QList<TemplateVariable> &variables);
    /// Replaces every value (when another prompt is selected).
    void setValues(const nlohmann::json &values);
    /// All values, including defaults filled in for new variables.
    nlohmann::json values() const { return m_values; }
    QStringList variableNames() const;
    /// The input for `name` (a QPlainTextEdit or a JsonEdit), or nullptr.
    QWidget *inputFor(const QString &name) const;

Q_SIGNALS:
    void valuesEdited();

private:
    struct Field
    {
        TemplateVariable variable;
        bool json = false;
        QLabel *label = nullptr;
        QPlainTextEdit *text = nullptr;
        JsonEdit *jsonEdit = nullptr;
    };
    void rebuild();
    void fillField(Field &field);
    void ensureDefaults();

    QFormLayout *m_form = nullptr;
    QLabel *m_empty = nullptr;
    QList<TemplateVariable> m_variables;
    QList<Field> m_fields;
    nlohmann::json m_values = nlohmann::json::object();
    bool m_loading = false;
};

} // namespace ts
