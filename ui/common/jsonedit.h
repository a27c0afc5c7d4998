#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

class QLabel;
class QPlainTextEdit;

namespace ts {

/// A monospace JSON editor with a validation line under it ("Valid JSON", or where it breaks).
class JsonEdit final : public QWidget
{
    Q_OBJECT

public:
    /// An extra check on parsed JSON; returns a problem to show, or an empty string.
    using Check = std::function<QString(const nlohmann::json &)>;

    explicit JsonEdit(QWidget *parent = nullptr);

    void setPlaceholderText(const QString &text);
    /// Empty text is allowed and means "no value" (json() is nullopt, isValid() is true).
    void setAllowEmpty(bool allow) { m_allowEmpty = allow; }
    void setCheck(Check check) { m_check = std::move(check); }

    void setText(const QString &text);
    QString text() const;
    void setJson(const std::optional<nlohmann::json> &json);
    /// The parsed value; nullopt when empty or invalid.
    std::optional<nlohmann::json> json() const { return m_value; }
    bool isValid() const { return m_problem.isEmpty(); }
    QString problem() const { return m_problem; }
    QPlainTextEdit *editor() const { return m_edit; }

Q_SIGNALS:
    /// The user changed the text (also when it became invalid).
    void edited();

private:
    void validate();
    QPlainTextEdit *m_edit = nullptr;
    QLabel *m_status = nullptr;
    Check m_check;
    std::optional<nlohmann::json> m_value;
    QString m_problem;
    bool m_allowEmpty = true;
    bool m_settingText = false;
};

} // namespace ts
