#pragma once

#include "logs/logfilter.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QTimer;
class QToolButton;

namespace ts {

struct LogChoices;

/// The search box and filters above the Logs table. Typing in the search box is debounced;
/// every other change applies at once. filterChanged() carries the whole filter.
class LogFilterBar final : public QWidget
{
    Q_OBJECT

public:
    enum class Range { Any, LastHour, LastDay, LastWeek, LastMonth, Custom };

    explicit LogFilterBar(QWidget *parent = nullptr);

    /// The filter as set now (relative time ranges end now).
    LogFilter filter() const;
    /// Fills the model, prompt and source menus, keeping what is chosen.
    void setChoices(const LogChoices &choices);
    /// Back to every record.
    void clearFilters();

    QLineEdit *searchBox() const { return m_search; }
    QComboBox *modelBox() const { return m_model; }
    QComboBox *statusBox() const { return m_status; }
    QComboBox *promptBox() const { return m_prompt; }
    QComboBox *versionBox() const { return m_version; }
    QComboBox *sourceBox() const { return m_source; }
    QComboBox *toolsBox() const { return m_tools; }
    QComboBox *rangeBox() const { return m_range; }
    /// For a custom range.
    void setCustomRange(const QDateTime &since, const QDateTime &until);

Q_SIGNALS:
    void filterChanged(const ts::LogFilter &filter);

private:
    void changed();
    void fill(QComboBox *box, const QString &anyText, const QStringList &values);

    QLineEdit *m_search = nullptr;
    QTimer *m_debounce = nullptr;
    QComboBox *m_range = nullptr;
    QDateTimeEdit *m_since = nullptr;
    QDateTimeEdit *m_until = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_prompt = nullptr;
    QComboBox *m_version = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_tools = nullptr;
    QToolButton *m_clear = nullptr;
    bool m_quiet = false;
};

} // namespace ts
