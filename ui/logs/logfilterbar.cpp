#include "logs/logfilterbar.h"

#include "logs/logscontroller.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace ts {

namespace {
// Long enough to skip the searches in between while someone types a word.
constexpr int searchDebounceMs = 300;

QComboBox *compactBox(QWidget *parent, const QString &toolTip)
{
    auto *box = new QComboBox(parent);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    box->setToolTip(toolTip);
    return box;
}
} // namespace

LogFilterBar::LogFilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(fontMetrics().averageCharWidth());

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search inputs and outputs"));
    m_search->setToolTip(tr("Full-text search (Ctrl+F). Every word must occur."));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView),
                        QLineEdit::LeadingPosition);
    m_search->setMinimumWidth(fontMetrics().averageCharWidth() * 28);
    row->addWidget(m_search, 1);

    m_range = compactBox(this, tr("When the calls started"));
    m_range->addItem(tr("Any time"), int(Range::Any));
    m_range->addItem(tr("Last hour"), int(Range::LastHour));
    m_range->addItem(tr("Last 24 hours"), int(Range::LastDay));
    m_range->addItem(tr("Last 7 days"), int(Range::LastWeek));
    m_range->addItem(tr("Last 30 days"), int(Range::LastMonth));
    m_range->addItem(tr("Between…"), int(Range::Custom));
    row->addWidget(m_range);
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    m_since = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this);
    m_until = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(3600), this);
    for (QDateTimeEdit *edit : {m_since, m_until}) {
        edit->setDisplayFormat(format);
        edit->setCalendarPopup(true);
        edit->hide();
        row->addWidget(edit);
    }
    m_since->setToolTip(tr("From (local time)"));
    m_until->setToolTip(tr("Until (local time, not included)"));

    m_model = compactBox(this, tr("The model that answered"));
    m_status = compactBox(this, tr("Whether the call succeeded"));
    m_status->addItem(tr("Any status"));
    m_status->addItem(tr("OK"), true);
    m_status->addItem(tr("Error"), false);
    m_prompt = compactBox(this, tr("The prompt the application logged with the call"));
    m_version = compactBox(this, tr("Prompt version, as logged (e.g. 3 or production)"));
    m_version->setEditable(true);
    m_version->lineEdit()->setPlaceholderText(tr("any version"));
    m_version->setMinimumContentsLength(10);
    m_version->setVisible(false);
    m_source = compactBox(this, tr("The format the records were imported from"));
    m_tools = compactBox(this, tr("Calls with tool calls in their input or output"));
    m_tools->addItem(tr("With or without tools"));
    m_tools->addItem(tr("With tool calls"), true);
    m_tools->addItem(tr("Without tool calls"), false);
    fill(m_model, tr("All models"), {});
    fill(m_prompt, tr("All prompts"), {});
    fill(m_source, tr("All sources"), {});
    for (QWidget *w : {static_cast<QWidget *>(m_model), static_cast<QWidget *>(m_status),
                       static_cast<QWidget *>(m_prompt), static_cast<QWidget *>(m_version),
                       static_cast<QWidget *>(m_source), static_cast<QWidget *>(m_tools)})
        row->addWidget(w);

    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear filters"));
    m_clear->setAutoRaise(true);
    m_clear->setVisible(false);
    row->addWidget(m_clear);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(searchDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &LogFilterBar::changed);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    // Enter searches now rather than after the pause.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_debounce->isActive()) {
            m_debounce->stop();
            changed();
        }
    });
    connect(m_version->lineEdit(), &QLineEdit::textChanged, m_debounce,
            qOverload<>(&QTimer::start));
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_range->currentData().toInt() == int(Range::Custom);
        m_since->setVisible(custom);
        m_until->setVisible(custom);
        changed();
    });
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, &LogFilterBar::changed);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &LogFilterBar::changed);
    connect(m_prompt, &QComboBox::currentIndexChanged, this, [this] {
        m_version->setVisible(m_prompt->currentIndex() > 0);
        if (m_prompt->currentIndex() <= 0) {
            const QSignalBlocker blocker(m_version);
            m_version->setEditText({});
        }
        changed();
    });
    for (QComboBox *box : {m_model, m_status, m_source, m_tools})
        connect(box, &QComboBox::currentIndexChanged, this, &LogFilterBar::changed);
    connect(m_clear, &QToolButton::clicked, this, &LogFilterBar::clearFilters);
}

void LogFilterBar::fill(QComboBox *box, const QString &anyText, const QStringList &values)
{
    const QString keep = box->currentIndex() > 0 ? box->currentText() : QString();
    const QSignalBlocker blocker(box);
    box->clear();
    box->addItem(anyText);
    for (const QString &v : values)
        box->addItem(v, v);
    // A chosen value stays chosen even when the project no longer lists it.
    if (!keep.isEmpty()) {
        int index = box->findData(keep);
        if (index < 0) {
            box->addItem(keep, keep);
            index = box->count() - 1;
        }
        box->setCurrentIndex(index);
    }
}

void LogFilterBar::setChoices(const LogChoices &choices)
{
    m_quiet = true;
    fill(m_model, tr("All models"), choices.models);
    fill(m_prompt, tr("All prompts"), choices.prompts);
    fill(m_source, tr("All sources"), choices.sources);
    m_quiet = false;
}

void LogFilterBar::setCustomRange(const QDateTime &since, const QDateTime &until)
{
    m_quiet = true;
    m_since->setDateTime(since);
    m_until->setDateTime(until);
    m_range->setCurrentIndex(m_range->findData(int(Range::Custom)));
    m_quiet = false;
    changed();
}

void LogFilterBar::clearFilters()
{
    m_quiet = true;
    m_debounce->stop();
    m_search->clear();
    m_debounce->stop();
    for (QComboBox *box : {m_range, m_model, m_status, m_prompt, m_source, m_tools})
        box->setCurrentIndex(0);
    m_version->setEditText({});
    m_debounce->stop();
    m_quiet = false;
    changed();
}

LogFilter LogFilterBar::filter() const
{
    LogFilter f;
    f.search = m_search->text().trimmed();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (Range(m_range->currentData().toInt())) {
    case Range::Any:
        break;
    case Range::LastHour:
        f.sinceMs = now.addSecs(-3600).toMSecsSinceEpoch();
        break;
    case Range::LastDay:
        f.sinceMs = now.addDays(-1).toMSecsSinceEpoch();
        break;
    case Range::LastWeek:
        f.sinceMs = now.addDays(-7).toMSecsSinceEpoch();
        break;
    case Range::LastMonth:
        f.sinceMs = now.addDays(-30).toMSecsSinceEpoch();
        break;
    case Range::Custom:
        f.sinceMs = m_since->dateTime().toMSecsSinceEpoch();
        f.untilMs = m_until->dateTime().toMSecsSinceEpoch();
        break;
    }
    if (m_model->currentIndex() > 0)
        f.model = m_model->currentData().toString();
    if (m_status->currentIndex() > 0)
        f.ok = m_status->currentData().toBool();
    if (m_prompt->currentIndex() > 0) {
        f.promptName = m_prompt->currentData().toString();
        const QString version = m_version->currentText().trimmed();
        if (!version.isEmpty())
            f.promptVersion = version.startsWith(QLatin1Char('v')) && version.size() > 1
                    && version.at(1).isDigit()
                ? version.mid(1)
                : version;
    }
    if (m_source->currentIndex() > 0)
        f.sourceFormat = m_source->currentData().toString();
    if (m_tools->currentIndex() > 0)
        f.hasToolCalls = m_tools->currentData().toBool();
    return f;
}

void LogFilterBar::changed()
{
    if (m_quiet)
        return;
    const LogFilter f = filter();
    m_clear->setVisible(!f.isEmpty());
    Q_EMIT filterChanged(f);
}

} // namespace ts
