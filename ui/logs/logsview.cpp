#include "logs/logsview.h"

#include "common/designsystem.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/themecolors.h"
#include "logs/addtodatasetdialog.h"
#include "logs/logdetailview.h"
#include "logs/logfilterbar.h"
#include "logs/logimportdialog.h"
#include "logs/logimportjob.h"
#include "logs/logscontroller.h"
#include "logs/logtablemodel.h"
#include "logs/receiverpanel.h"

#include <QDragEnterEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace ts {

namespace {
QString logFileFilter()
{
    return QObject::tr("Trace and log files (*.json *.jsonl *.ndjson *.csv *.gz);;All files (*)");
}

/// Local files other than projects (a dropped project is opened by the window).
QStringList droppedLogFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (path.endsWith(QStringLiteral(".touchstone"), Qt::CaseInsensitive))
            return {};
        files << path;
    }
    return files;
}

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(formatCount(n), n == 1 ? one : many);
}
} // namespace

LogsView::LogsView(LogsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    setAcceptDrops(true);
    auto *outer = new QVBoxLayout(this);
    // The same breathing room as the banner above and the other sections.
    outer->setContentsMargins(design::space::s, design::space::xs, design::space::s,
                              design::space::s);
    outer->setSpacing(fontMetrics().height() / 3);

    // Header: title and count, the receiver, the actions.
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Logs"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("logCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_receiver = new ReceiverPanel(controller, this);
    m_importButton = new QPushButton(tr("Import…"), this);
    QPushButton *import = m_importButton;
    import->setToolTip(tr("Import trace and log files (OTLP, OpenInference, Langfuse, OpenAI, "
                          "LangSmith, promptfoo); you can also drop them here"));
    m_addButton = new QPushButton(tr("Add to Dataset…"), this);
    m_addButton->setToolTip(tr("Make test cases from the selected records, the filter's records "
                               "or a random sample"));
    header->addWidget(title);
    header->addSpacing(fontMetrics().averageCharWidth());
    header->addWidget(m_count, 0, Qt::AlignBaseline);
    header->addStretch(1);
    header->addWidget(m_receiver);
    header->addSpacing(fontMetrics().averageCharWidth() * 2);
    header->addWidget(import);
    header->addWidget(m_addButton);
    outer->addLayout(header);

    m_filters = new LogFilterBar(this);
    outer->addWidget(m_filters);
    m_messages = new MessageBar(this);
    outer->addWidget(m_messages);

    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack, 1);

    m_split = new QSplitter(Qt::Horizontal, m_stack);
    m_split->setChildrenCollapsible(false);
    m_table = new QTableView(m_split);
    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setModel(controller.model());
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setStretchLastSection(true);
    const int ch = fontMetrics().averageCharWidth();
    // Fixed columns as wide as their typical content; input and output share the rest, so the
    // table never scrolls sideways.
    const QFontMetrics fm = m_table->fontMetrics();
    const int pad = ch * 2;
    const QList<std::pair<int, QString>> widths = {
        {LogTableModel::Time, QStringLiteral("Mar 30, 14:47:05")},
        {LogTableModel::Model, QStringLiteral("claude-3-5-haik")},
        {LogTableModel::Prompt, QStringLiteral("support-reply v4")},
        {LogTableModel::Status, QStringLiteral("● Error")},
        {LogTableModel::Tokens, QStringLiteral("1,204 → 312")},
        {LogTableModel::Latency, QStringLiteral("Latency ▾")},
    };
    for (const auto &[column, sample] : widths)
        m_table->setColumnWidth(column, fm.horizontalAdvance(sample) + pad);
    columns->setSectionResizeMode(LogTableModel::Input, QHeaderView::Stretch);
    columns->setSectionResizeMode(LogTableModel::Output, QHeaderView::Stretch);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setSortingEnabled(true);
    {
        const auto [column, order] = LogTableModel::indicatorFor(controller.model()->logSort());
        columns->setSortIndicator(column, order);
    }
    m_detail = new LogDetailView(m_split);
    m_split->addWidget(m_table);
    m_split->addWidget(m_detail);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_split->setSizes({840, 440});
    m_stack->addWidget(m_split);

    // Empty state: one sentence, one action.
    m_empty = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch(2);
    m_emptyTitle = new QLabel(m_empty);
    design::setTextRole(m_emptyTitle, design::TextRole::SectionTitle);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyText = new QLabel(m_empty);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    design::setTextRole(m_emptyText, design::TextRole::Secondary);
    m_emptyText->setMinimumWidth(ch * 50);
    m_emptyText->setMaximumWidth(ch * 72);
    m_emptyAction = new QPushButton(m_empty);
    m_emptyAction->setDefault(true);
    m_emptyAction->setProperty("primary", true);
    emptyLayout->addWidget(m_emptyTitle);
    // Centred by stretches, not by alignment: an aligned label loses its height for width.
    auto *textRow = new QHBoxLayout;
    textRow->addStretch(1);
    textRow->addWidget(m_emptyText, 4);
    textRow->addStretch(1);
    emptyLayout->addLayout(textRow);
    emptyLayout->addSpacing(fontMetrics().height() / 2);
    emptyLayout->addWidget(m_emptyAction, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);
    m_stack->addWidget(m_empty);

    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, &LogsView::focusSearch);
    m_filters->searchBox()->installEventFilter(this);

    connect(import, &QPushButton::clicked, this, &LogsView::importLogs);
    connect(m_addButton, &QPushButton::clicked, this, &LogsView::addToDataset);
    connect(m_emptyAction, &QPushButton::clicked, this, [this] {
        if (m_controller.model()->filter().isEmpty())
            importLogs();
        else
            m_filters->clearFilters();
    });
    connect(m_filters, &LogFilterBar::filterChanged, &controller, &LogsController::setFilter);
    connect(&controller, &LogsController::choicesChanged, this,
            [this] { m_filters->setChoices(m_controller.choices()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogsView::currentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LogsView::updateCount);
    connect(columns, &QHeaderView::sortIndicatorChanged, this, [this, columns](int column) {
        // Only time, tokens and latency sort (in the store); the others keep the indicator.
        if (!LogTableModel::sortFor(column, Qt::AscendingOrder)) {
            const auto [c, order] = LogTableModel::indicatorFor(m_controller.model()->logSort());
            const QSignalBlocker blocker(columns);
            columns->setSortIndicator(c, order);
        }
    });
    LogTableModel *model = controller.model();
    connect(model, &LogTableModel::totalCountChanged, this, [this] {
        updateCount();
        updateEmptyState();
    });
    connect(model, &LogTableModel::rowsLoaded, this, &LogsView::showFirstRecord);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_detail->clear();
        updateCount();
    });
    connect(&controller, &LogsController::recordLoaded, this,
            [this](const LogDetail &detail) { m_detail->showRecord(detail.record, detail.spans); });
    connect(&controller, &LogsController::recordCleared, m_detail, &LogDetailView::clear);
    connect(m_detail, &LogDetailView::recordRequested, this, &LogsView::selectRecord);
    connect(&controller, &LogsController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(&controller, &LogsController::notice, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Info, message);
    });
    connect(&controller, &LogsController::importFinished, this, [this] {
        if (const LogImportJob *job = m_controller.importJob(); job && job->result())
            m_messages->showMessage(MessageBar::Kind::Info,
                                    LogImportDialog::summaryLine(*job->result()));
    });
    connect(&controller.session(), &ProjectSession::projectOpened, this,
            &LogsView::updateEmptyState);
    connect(&controller.session(), &ProjectSession::projectClosed, this,
            &LogsView::updateEmptyState);
    m_filters->setChoices(controller.choices());
    updateCount();
    updateEmptyState();
    showFirstRecord();
}

void LogsView::showFirstRecord()
{
    // The first page of a new query: show its first record.
    if (!m_table->currentIndex().isValid() && m_controller.model()->rowCount() > 0
        && !m_detail->recordId())
        m_table->setCurrentIndex(m_controller.model()->index(0, 0));
}

bool LogsView::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString LogsView::emptyStateText() const
{
    return m_emptyTitle->text() + QLatin1Char('\n') + m_emptyText->text();
}

void LogsView::focusSearch()
{
    m_filters->searchBox()->setFocus(Qt::ShortcutFocusReason);
    m_filters->searchBox()->selectAll();
}

void LogsView::currentRowChanged()
{
    const LogRow *row = m_controller.model()->rowAt(m_table->currentIndex().row());
    if (row && row->id != m_detail->recordId().value_or(0))
        m_controller.loadRecord(row->id);
}

void LogsView::selectRecord(qint64 id)
{
    const int row = m_controller.model()->rowOf(id);
    if (row >= 0) {
        m_table->setCurrentIndex(m_controller.model()->index(row, 0));
        m_table->scrollTo(m_table->currentIndex());
        return;
    }
    // Not among the rows read so far (or filtered out): show it in the detail pane anyway.
    m_table->selectionModel()->clearCurrentIndex();
    m_controller.loadRecord(id);
}

void LogsView::updateCount()
{
    const LogTableModel *model = m_controller.model();
    const qint64 total = model->totalCount();
    QString text;
    if (total >= 0) {
        text = model->filter().isEmpty()
            ? plural(total, tr("record"), tr("records"))
            : tr("%1 match").arg(plural(total, tr("record"), tr("records")));
        const int selected = int(m_table->selectionModel()->selectedRows().size());
        if (selected > 1)
            text += tr(" · %1 selected").arg(formatCount(selected));
    } else if (m_controller.session().hasProject()) {
        text = tr("Reading…");
    }
    m_count->setText(text);
    m_addButton->setEnabled(total > 0);
}

void LogsView::updateEmptyState()
{
    const LogTableModel *model = m_controller.model();
    const bool project = m_controller.session().hasProject();
    const bool filtered = !model->filter().isEmpty();
    const bool empty = !project || model->totalCount() == 0;
    // With nothing to browse, the empty state's button is the one action on the page.
    const bool nothingStored = empty && !filtered;
    m_filters->setVisible(project && !nothingStored);
    m_importButton->setVisible(!nothingStored);
    m_addButton->setVisible(!nothingStored);
    m_count->setVisible(!nothingStored);
    m_stack->setCurrentWidget(empty ? m_empty : m_split);
    if (!project) {
        m_emptyTitle->setText(tr("No project is open"));
        m_emptyText->setText(tr("Open or create a project to import its production logs."));
        m_emptyAction->hide();
    } else if (filtered) {
        m_emptyTitle->setText(tr("No records match"));
        m_emptyText->setText(tr("Nothing logged matches this search and these filters."));
        m_emptyAction->setText(tr("Clear Filters"));
        m_emptyAction->show();
    } else {
        m_emptyTitle->setText(tr("No production logs yet"));
        m_emptyText->setText(
            tr("Import traces exported from OpenTelemetry, Phoenix, Langfuse, OpenAI, LangSmith or "
               "promptfoo — or drop the files here. To collect them live, turn on Receive traces "
               "and point your application's OTLP exporter at it."));
        m_emptyAction->setText(tr("Import Logs…"));
        m_emptyAction->show();
    }
}

void LogsView::importLogs()
{
    if (!m_controller.session().hasProject()) {
        m_messages->showMessage(MessageBar::Kind::Error,
                                tr("Open or create a project before importing logs."));
        return;
    }
    const QStringList files
        = QFileDialog::getOpenFileNames(this, tr("Import Logs"), {}, logFileFilter());
    if (!files.isEmpty())
        importFiles(files);
}

LogImportDialog *LogsView::importFiles(const QStringList &files)
{
    if (!m_controller.importFiles(files))
        return nullptr;
    auto *dialog = new LogImportDialog(m_controller.importJob(), this);
    dialog->show();
    return dialog;
}

QList<qint64> LogsView::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        if (const LogRow *row = m_controller.model()->rowAt(index.row()))
            ids << row->id;
    std::sort(ids.begin(), ids.end());
    if (ids.isEmpty())
        if (const LogRow *row = m_controller.model()->rowAt(m_table->currentIndex().row()))
            ids << row->id;
    return ids;
}

void LogsView::addToDataset()
{
    if (m_controller.model()->totalCount() <= 0)
        return;
    auto *dialog
        = new AddToDatasetDialog(m_controller, selectedIds(), m_controller.model()->filter(),
                                 m_controller.model()->totalCount(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

bool LogsView::eventFilter(QObject *watched, QEvent *event)
{
    // ↓ in the search box goes on to the results.
    if (watched == m_filters->searchBox() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_table->isVisible()) {
        m_table->setFocus(Qt::TabFocusReason);
        if (!m_table->currentIndex().isValid() && m_controller.model()->rowCount() > 0)
            m_table->setCurrentIndex(m_controller.model()->index(0, 0));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void LogsView::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_controller.session().hasProject() && !droppedLogFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        event->ignore();
}

void LogsView::dropEvent(QDropEvent *event)
{
    const QStringList files = droppedLogFiles(event->mimeData());
    if (files.isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    importFiles(files);
}

} // namespace ts
