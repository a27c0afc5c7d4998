#include "insights/driftpage.h"

#include "common/messagebar.h"
#include "insights/driftresultsview.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ts {

DriftPage::DriftPage(InsightsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    // Pickers: the reference on one line, current logs and options on the next.
    m_referenceKind = new QComboBox;
    m_referenceKind->addItem(tr("Logs in a time range"), QStringLiteral("logs"));
    m_referenceKind->addItem(tr("Dataset rendered with a prompt version"),
                             QStringLiteral("dataset"));
    m_dataset = new QComboBox;
    m_dataset->setMinimumContentsLength(14);
    m_prompt = new QComboBox;
    m_prompt->setMinimumContentsLength(14);
    m_refFrom = new QLineEdit;
    m_refTo = new QLineEdit;
    m_curFrom = new QLineEdit;
    m_curTo = new QLineEdit;
    for (QLineEdit *e : {m_refFrom, m_curFrom})
        e->setPlaceholderText(tr("from (YYYY-MM-DD), empty: the first"));
    for (QLineEdit *e : {m_refTo, m_curTo})
        e->setPlaceholderText(tr("to (YYYY-MM-DD, inclusive), empty: the last"));
    for (QLineEdit *e : {m_refFrom, m_refTo, m_curFrom, m_curTo})
        e->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("2026-01-01T00:00 "))
                           + 12);
    m_window = new QComboBox;
    m_window->addItem(tr("Overall"), QString());
    m_window->addItem(tr("Per day"), QStringLiteral("day"));
    m_window->addItem(tr("Per week"), QStringLiteral("week"));
    m_thresholds = new QComboBox;
    m_thresholds->addItem(tr("Fixed bands"), QStringLiteral("fixed"));
    m_thresholds->addItem(tr("Learned from the reference"), QStringLiteral("learned"));
    m_thresholds->setToolTip(tr("Learned: the reference split in 10 chunks; alert above the "
                                "chunks' mean + 3 standard deviations"));
    m_compare = new QPushButton(tr("Compare"));
    m_compare->setDefault(true);

    m_datasetPickers = new QWidget;
    auto *dp = new QHBoxLayout(m_datasetPickers);
    dp->setContentsMargins(0, 0, 0, 0);
    dp->addWidget(m_dataset);
    dp->addWidget(new QLabel(tr("with")));
    dp->addWidget(m_prompt);
    m_logPickers = new QWidget;
    auto *lp = new QHBoxLayout(m_logPickers);
    lp->setContentsMargins(0, 0, 0, 0);
    lp->addWidget(m_refFrom);
    lp->addWidget(new QLabel(QStringLiteral("–")));
    lp->addWidget(m_refTo);

    auto *row1 = new QHBoxLayout;
    auto *refLabel = new QLabel(tr("Reference"));
    auto *curLabel = new QLabel(tr("Current logs"));
    const int labelWidth = std::max(refLabel->sizeHint().width(), curLabel->sizeHint().width()) + 8;
    refLabel->setFixedWidth(labelWidth);
    curLabel->setFixedWidth(labelWidth);
    row1->addWidget(refLabel);
    row1->addWidget(m_referenceKind);
    row1->addWidget(m_datasetPickers);
    row1->addWidget(m_logPickers);
    row1->addStretch(1);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(curLabel);
    row2->addWidget(m_curFrom);
    row2->addWidget(new QLabel(QStringLiteral("–")));
    row2->addWidget(m_curTo);
    row2->addSpacing(12);
    row2->addWidget(m_window);
    row2->addWidget(m_thresholds);
    row2->addStretch(1);
    row2->addWidget(m_compare);

    m_messages = new MessageBar;

    // Empty state: one sentence, one action.
    m_empty = new QWidget;
    auto *el = new QVBoxLayout(m_empty);
    m_emptyText = new QLabel;
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setForegroundRole(QPalette::PlaceholderText);
    m_emptyAction = new QPushButton;
    el->addStretch(1);
    el->addWidget(m_emptyText);
    el->addWidget(m_emptyAction, 0, Qt::AlignHCenter);
    el->addStretch(2);

    m_results = new DriftResultsView(controller);
    connect(m_results, &DriftResultsView::logRecordWanted, this, &DriftPage::logRecordWanted);
    connect(m_results, &DriftResultsView::addToDatasetWanted, this, &DriftPage::addToDatasetWanted);

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_results);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row1);
    layout->addLayout(row2);
    layout->addWidget(m_messages);
    layout->addWidget(m_stack, 1);

    connect(m_referenceKind, &QComboBox::currentIndexChanged, this,
            &DriftPage::updateReferenceKind);
    connect(m_compare, &QPushButton::clicked, this, &DriftPage::compare);
    connect(m_messages, &MessageBar::cancelled, this, &DriftPage::cancel);
    connect(m_emptyAction, &QPushButton::clicked, this, [this] {
        if (m_choices.logCount == 0)
            Q_EMIT importLogsWanted();
        else
            compare();
    });
    connect(&controller, &InsightsController::projectChanged, this, [this] {
        cancel();
        m_results->clear();
        m_hasChoices = false;
        if (isVisible())
            reload();
    });
    updateReferenceKind();
    updateEmptyState();
}

DriftPage::~DriftPage() = default;

void DriftPage::reload()
{
    m_controller.loadDriftChoices(this, [this](Result<DriftChoices> choices) {
        if (!choices) {
            m_messages->showMessage(MessageBar::Kind::Error, choices.error().message);
            return;
        }
        fillChoices(*choices);
    });
}

void DriftPage::fillChoices(const DriftChoices &choices)
{
    const bool first = !m_hasChoices;
    m_choices = choices;
    m_hasChoices = true;
    const QString dataset = m_dataset->currentText();
    const QString prompt = m_prompt->currentText();
    m_dataset->clear();
    m_dataset->addItems(choices.datasets);
    m_prompt->clear();
    m_prompt->addItems(choices.promptVersions);
    if (!dataset.isEmpty())
        m_dataset->setCurrentText(dataset);
    if (!prompt.isEmpty())
        m_prompt->setCurrentText(prompt);
    // A first guess a person would make: the last week of logs against what came before, or
    // against the largest dataset when there is nothing before.
    if (first && choices.lastLogMs && m_curFrom->text().isEmpty() && m_curTo->text().isEmpty()) {
        const qint64 last = *choices.lastLogMs;
        const QDate lastDay = QDateTime::fromMSecsSinceEpoch(last, Qt::UTC).date();
        const QDate from = lastDay.addDays(-6);
        const qint64 fromMs = QDateTime(from, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        if (choices.firstLogMs && *choices.firstLogMs < fromMs) {
            m_curFrom->setText(from.toString(Qt::ISODate));
            m_curTo->setText(lastDay.toString(Qt::ISODate));
            m_refFrom->setText(QDateTime::fromMSecsSinceEpoch(*choices.firstLogMs, Qt::UTC)
                                   .date()
                                   .toString(Qt::ISODate));
            m_refTo->setText(from.addDays(-1).toString(Qt::ISODate));
        } else if (!choices.datasets.isEmpty() && !choices.promptVersions.isEmpty()) {
            m_referenceKind->setCurrentIndex(m_referenceKind->findData(QStringLiteral("dataset")));
        }
    }
    updateEmptyState();
}

void DriftPage::setReferenceDataset(const QString &dataset, const QString &promptVersion)
{
    m_referenceKind->setCurrentIndex(m_referenceKind->findData(QStringLiteral("dataset")));
    if (m_dataset->findText(dataset) < 0)
        m_dataset->addItem(dataset);
    m_dataset->setCurrentText(dataset);
    if (m_prompt->findText(promptVersion) < 0)
        m_prompt->addItem(promptVersion);
    m_prompt->setCurrentText(promptVersion);
}

void DriftPage::setReferenceLogs(const QString &from, const QString &to)
{
    m_referenceKind->setCurrentIndex(m_referenceKind->findData(QStringLiteral("logs")));
    m_refFrom->setText(from);
    m_refTo->setText(to);
}

void DriftPage::setCurrentLogs(const QString &from, const QString &to)
{
    m_curFrom->setText(from);
    m_curTo->setText(to);
}

void DriftPage::setWindow(const QString &window)
{
    m_window->setCurrentIndex(std::max(0, m_window->findData(window)));
}

bool DriftPage::isRunning() const
{
    return m_job && m_job->isRunning();
}

void DriftPage::updateReferenceKind()
{
    const bool dataset = m_referenceKind->currentData().toString() == QLatin1String("dataset");
    m_datasetPickers->setVisible(dataset);
    m_logPickers->setVisible(!dataset);
}

void DriftPage::updateEmptyState()
{
    if (m_results->outcome()) {
        m_stack->setCurrentIndex(1);
        return;
    }
    m_stack->setCurrentIndex(0);
    if (m_hasChoices && m_choices.logCount == 0) {
        m_emptyText->setText(tr("No production logs yet. Drift compares what users send with what "
                                "you tested: import logs to start."));
        m_emptyAction->setText(tr("Import Logs…"));
    } else {
        m_emptyText->setText(tr("Pick a reference (what you tested) and the current logs (what "
                                "users send now), then compare."));
        m_emptyAction->setText(tr("Compare"));
    }
    m_emptyAction->setEnabled(!isRunning());
}

void DriftPage::compare()
{
    if (isRunning())
        return;
    DriftRequest request;
    auto range = [](QLineEdit *from, QLineEdit *to) {
        return QStringLiteral("logs:%1..%2").arg(from->text().trimmed(), to->text().trimmed());
    };
    if (m_referenceKind->currentData().toString() == QLatin1String("dataset")) {
        if (m_dataset->currentText().isEmpty() || m_prompt->currentText().isEmpty()) {
            m_messages->showMessage(MessageBar::Kind::Error,
                                    tr("Pick a dataset and a prompt version to render it with."));
            return;
        }
        request.reference = QStringLiteral("dataset:%1@%2")
                                .arg(m_dataset->currentText(), m_prompt->currentText());
    } else {
        request.reference = range(m_refFrom, m_refTo);
    }
    request.current = range(m_curFrom, m_curTo);
    const QString window = m_window->currentData().toString();
    request.options.window = window == QLatin1String("day") ? DriftWindow::Day
        : window == QLatin1String("week")                   ? DriftWindow::Week
                                                            : DriftWindow::None;
    request.options.thresholds = m_thresholds->currentData().toString() == QLatin1String("learned")
        ? DriftThresholds::Learned
        : DriftThresholds::Fixed;

    delete m_job;
    m_job = new DriftJob(m_controller.session(), request, this);
    connect(m_job, &DriftJob::progressed, this,
            [this](const QString &stage) { m_messages->showProgress(stage); });
    connect(m_job, &DriftJob::failed, this, [this](const QString &message) {
        m_messages->hideProgress();
        m_compare->setEnabled(true);
        Q_EMIT running(false);
        m_messages->showMessage(MessageBar::Kind::Error, message);
        updateEmptyState();
    });
    connect(m_job, &DriftJob::succeeded, this, [this](const DriftOutcome &outcome) {
        m_messages->hideProgress();
        m_compare->setEnabled(true);
        Q_EMIT running(false);
        m_messages->clear();
        showOutcome(outcome);
    });
    connect(m_job, &DriftJob::cancelled, this, [this] {
        m_messages->hideProgress();
        m_compare->setEnabled(true);
        m_messages->showMessage(MessageBar::Kind::Info, tr("Comparison cancelled."));
        Q_EMIT running(false);
        updateEmptyState();
    });
    m_compare->setEnabled(false);
    m_emptyAction->setEnabled(false);
    Q_EMIT running(true);
    m_job->start();
}

void DriftPage::cancel()
{
    if (m_job)
        m_job->cancel();
}

void DriftPage::showOutcome(const DriftOutcome &outcome)
{
    m_results->showOutcome(outcome);
    updateEmptyState();
}

const std::optional<DriftOutcome> &DriftPage::outcome() const
{
    return m_results->outcome();
}

} // namespace ts
