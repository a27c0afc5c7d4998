#pragma once

#include "common/modelparameters.h"

#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>

class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace ts {

class JsonEdit;

/// Sampling parameters and the response JSON schema of a prompt. Unset values (shown as
/// "Provider default") are left to the model.
class ParametersPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ParametersPanel(QWidget *parent = nullptr);

    void setParameters(const ModelParameters &params, const std::optional<nlohmann::json> &schema);
    ModelParameters parameters() const;
    /// The last valid schema (nullopt when empty).
    std::optional<nlohmann::json> responseSchema() const { return m_schemaValue; }
    /// Why the schema editor's text cannot be used, or an empty string.
    QString schemaProblem() const;
    JsonEdit *schemaEdit() const { return m_schema; }

    /// "\n" -> newline, "\t" -> tab, "\\" -> backslash: stop sequences are typed one per line.
    static QString unescape(const QString &text);
    static QString escape(const QString &text);

Q_SIGNALS:
    void edited();

private:
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QLineEdit *m_seed = nullptr;
    QPlainTextEdit *m_stop = nullptr;
    JsonEdit *m_schema = nullptr;
    std::optional<nlohmann::json> m_schemaValue;
    bool m_loading = false;
};

} // namespace ts
