// The Logs section as a user drives it: a project with thousands of records written through
// LogStore, the table paging as it scrolls, search and filters, server-side sorting, the
// detail pane, keyboard moves, import through the dialog, add to dataset, live receiving.

#include "common/projectsession.h"
#include "datasets/datasetstore.h"
#include "logs/addtodatasetdialog.h"
#include "logs/logdetailview.h"
#include "logs/logfilterbar.h"
#include "logs/logimportdialog.h"
#include "logs/logscontroller.h"
#include "logs/logstore.h"
#include "logs/logsview.h"
#include "logs/logtablemodel.h"
#include "logs/receiverpanel.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

#include <memory>

using namespace ts;

namespace {

constexpr int waitMs = 20000;
constexpr int recordCount = 5000;
constexpr qint64 baseMs = 1767225600000; // 2026-01-01T00:00:00Z

bool waitUntil(const std::function<bool()> &condition)
{
    return QTest::qWaitFor(condition, waitMs);
}

/// Record i of the generated project: every tenth is an error, even ones ask about refunds,
/// odd ones about shipping; models alternate between two names in thirds.
LogRecord generated(int i)
{
    LogRecord r;
    r.startMs = baseMs + qint64(i) * 1000;
    r.endMs = *r.startMs + 100 + (i * 37) % 1000;
    r.latencyMs = double(*r.endMs - *r.startMs);
    r.model = i % 3 == 0 ? QStringLiteral("claude-sonnet") : QStringLiteral("gpt-4o-mini");
    r.provider = QStringLiteral("openai");
    r.messages.append(
        {QStringLiteral("system"), QStringLiteral("You are a support agent."), {}, {}});
    r.messages.append(
        {QStringLiteral("user"),
         QStringLiteral("Question number %1 about %2")
             .arg(i)
             .arg(i % 2 == 0 ? QStringLiteral("refunds") : QStringLiteral("shipping")),
         {},
         {}});
    r.output = QStringLiteral("Answer %1").arg(i);
    r.inputTokens = 100 + i % 50;
    r.outputTokens = (i % 7) * 10;
    r.ok = i % 10 != 0;
    if (!r.ok)
        r.error = QStringLiteral("rate limited");
    r.traceId = QStringLiteral("%1").arg(i, 32, 16, QLatin1Char('0'));
    r.spanId = QStringLiteral("%1").arg(i + 1, 16, 16, QLatin1Char('0'));
    r.promptName = QStringLiteral("support");
    r.promptVersion = i % 2 == 0 ? QStringLiteral("1") : QStringLiteral("2");
    r.sourceFormat = QStringLiteral("otlp");
    return r;
}

/// A call with a tool round trip, JSON content, reasoning and a sibling span in its trace.
QList<LogRecord> toolConversation()
{
    const QString trace = QStringLiteral("abcdef00000000000000000000000001");
    LogRecord first;
    first.startMs = baseMs + qint64(recordCount + 10) * 1000;
    first.endMs = *first.startMs + 800;
    first.latencyMs = 800;
    first.model = QStringLiteral("gpt-4o");
    first.messages.append(
        {QStringLiteral("user"), QStringLiteral("What's the weather in Paris?"), {}, {}});
    first.outputToolCalls.append({QStringLiteral("call_1"), QStringLiteral("get_weather"),
                                  nlohmann::json {{"city", "Paris"}}});
    first.traceId = trace;
    first.spanId = QStringLiteral("00000000000000a1");
    first.parentSpanId = QStringLiteral("00000000000000a0");
    first.sourceFormat = QStringLiteral("otlp");

    LogRecord second;
    second.startMs = *first.startMs + 1000;
    second.endMs = *second.startMs + 1200;
    second.latencyMs = 1200;
    second.model = QStringLiteral("gpt-4o");
    second.messages.append(
        {QStringLiteral("user"), QStringLiteral("What's the weather in Paris?"), {}, {}});
    LogMessage call {QStringLiteral("assistant"), std::nullopt, {}, {}};
    call.toolCalls.append({QStringLiteral("call_1"), QStringLiteral("get_weather"),
                           nlohmann::json {{"city", "Paris"}}});
    second.messages.append(call);
    second.messages.append({QStringLiteral("tool"),
                            QStringLiteral(R"({"temperature_c": 18, "sky": "cloudy"})"),
                            {},
                            QStringLiteral("call_1")});
    second.output = QStringLiteral("It is **18 °C** and cloudy in Paris.");
    second.reasoning = QStringLiteral("The tool said eighteen degrees.");
    second.inputTokens = 52;
    second.outputTokens = 11;
    second.traceId = trace;
    second.spanId = QStringLiteral("00000000000000a2");
    second.parentSpanId = QStringLiteral("00000000000000a0");
    second.sourceFormat = QStringLiteral("otlp");
    return {first, second};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(bytes);
    return path;
}

/// One OTLP/JSON TracesData line with one GenAI chat span.
QByteArray otlpLine(const QString &traceId, const QString &spanId, const QString &question,
                    const QString &answer)
{
    nlohmann::json input = nlohmann::json::array(
        {{{"role", "user"}, {"parts", {{{"type", "text"}, {"content", question.toStdString()}}}}}});
    nlohmann::json output = nlohmann::json::array(
        {{{"role", "assistant"},
          {"parts", {{{"type", "text"}, {"content", answer.toStdString()}}}},
          {"finish_reason", "stop"}}});
    auto kv = [](const char *key, nlohmann::json value) {
        return nlohmann::json {{"key", key}, {"value", value}};
    };
    nlohmann::json span = {{"traceId", traceId.toStdString()},
                           {"spanId", spanId.toStdString()},
                           {"name", "chat gpt-4o-mini"},
                           {"kind", 3},
                           {"startTimeUnixNano", "1786550400120000000"},
                           {"endTimeUnixNano", "1786550401460000000"},
                           {"attributes",
                            {kv("gen_ai.operation.name", {{"stringValue", "chat"}}),
                             kv("gen_ai.request.model", {{"stringValue", "imported-model"}}),
                             kv("gen_ai.usage.input_tokens", {{"intValue", "38"}}),
                             kv("gen_ai.usage.output_tokens", {{"intValue", "14"}}),
                             kv("gen_ai.input.messages", {{"stringValue", input.dump()}}),
                             kv("gen_ai.output.messages", {{"stringValue", output.dump()}})}},
                           {"status", nlohmann::json::object()}};
    nlohmann::json doc
        = {{"resourceSpans",
            {{{"resource", {{"attributes", nlohmann::json::array()}}},
              {"scopeSpans", {{{"scope", {{"name", "test"}}}, {"spans", {span}}}}}}}}};
    return QByteArray::fromStdString(doc.dump()) + '\n';
}

} // namespace

class TestLogsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void modelPassesTheTesterAndPages();
    void deepPagesFollowTheSortToTheEnd();
    void sortingIsDoneByTheStore();
    void searchAndFiltersChangeTheRows();
    void detailShowsTheConversation();
    void arrowKeysMoveAndUpdateTheDetail();
    void ctrlFFocusesTheSearch();
    void emptyProjectShowsOneAction();
    void importThroughTheDialog();
    void addSelectedRecordsToANewDataset();
    void addASampleWithAPromptVersion();

private:
    bool openProject(const QString &path);
    void showView();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<LogsController> m_controller;
    std::unique_ptr<LogsView> m_view;
    QList<qint64> m_toolIds;
};

void TestLogsView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    // One project with many records, written once through the store as an import would.
    m_path = m_dir.filePath(QStringLiteral("logs.touchstone"));
    auto project = Project::create(m_path);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
    LogStore store(project->db());
    QList<LogRecord> records;
    for (int i = 0; i < recordCount; ++i)
        records << generated(i);
    auto added = store.add(records);
    QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
    QCOMPARE(added->added, recordCount);
    auto tools = store.add(toolConversation());
    QVERIFY(tools);
    m_toolIds = tools->ids;
    QVERIFY(store.addSpans(
        {{QStringLiteral("abcdef00000000000000000000000001"), QStringLiteral("00000000000000a0"),
          std::nullopt, QStringLiteral("POST /chat"), baseMs + qint64(recordCount + 9) * 1000,
          baseMs + qint64(recordCount + 13) * 1000, QStringLiteral("ok")}}));

    PromptStore prompts(project->db());
    auto prompt = prompts.createPrompt(QStringLiteral("support"));
    QVERIFY(prompt);
    PromptContent content;
    content.messages
        = {{QStringLiteral("system"), QStringLiteral("You are a support agent.")},
           {QStringLiteral("user"), QStringLiteral("Question number {{n}} about {{topic}}")}};
    QVERIFY(prompts.saveVersion(prompt->id, content, {}, QStringLiteral("test")));
}

bool TestLogsView::openProject(const QString &path)
{
    m_view.reset();
    m_controller.reset();
    m_session = std::make_unique<ProjectSession>();
    m_controller = std::make_unique<LogsController>(*m_session);
    QSignalSpy opened(m_session.get(), &ProjectSession::projectOpened);
    m_session->open(path);
    if (!opened.wait(waitMs))
        return false;
    return waitUntil([this] { return m_controller->model()->totalCount() >= 0; });
}

void TestLogsView::showView()
{
    m_view = std::make_unique<LogsView>(*m_controller);
    m_view->resize(1400, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestLogsView::init()
{
    QVERIFY(openProject(m_path));
}

void TestLogsView::cleanup()
{
    m_view.reset();
    m_controller.reset();
    m_session.reset();
}

void TestLogsView::deepPagesFollowTheSortToTheEnd()
{
    // Scrolling to the bottom pages after the last row shown (not by offset): every record
    // exactly once, in the store's order, for a sort with ties (latency) and a time sort.
    LogTableModel *model = m_controller->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->setPageSize(700);
    auto project = Project::open(m_path);
    QVERIFY(project);
    LogStore store(project->db());
    for (const LogSort sort : {LogSort::LatencyDescending, LogSort::TimeAscending}) {
        model->setQuery({}, sort);
        QVERIFY(waitUntil([model] { return !model->isLoading(); }));
        while (model->canFetchMore({})) {
            model->fetchMore({});
            QVERIFY(waitUntil([model] { return !model->isLoading(); }));
        }
        QCOMPARE(model->rowCount(), recordCount + 2);
        auto expected = store.ids({}, sort);
        QVERIFY(expected);
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->rowAt(row)->id, expected->at(row));
    }
}

void TestLogsView::modelPassesTheTesterAndPages()
{
    LogTableModel *model = m_controller->model();
    QCOMPARE(model->totalCount(), recordCount + 2);
    // The first page only, never the whole table; then one page per fetchMore.
    QCOMPARE(model->rowCount(), model->pageSize());
    for (int page = 2; page <= 3; ++page) {
        QVERIFY(model->canFetchMore({}));
        model->fetchMore({});
        QVERIFY(!model->canFetchMore({})); // one page at a time
        QVERIFY(waitUntil([model, page] { return model->rowCount() == page * model->pageSize(); }));
    }
    // The tester fetches more itself and checks every insertion.
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 3; ++i) {
        QVERIFY(waitUntil([model] { return !model->isLoading(); }));
        model->fetchMore({});
    }
    QVERIFY(waitUntil([model] { return !model->isLoading(); }));
    QVERIFY(model->rowCount() < model->totalCount());
    // Newest first, with what the columns show.
    const LogRow *newest = model->rowAt(0);
    QCOMPARE(newest->id, m_toolIds[1]);
    const LogRow *row = model->rowAt(2); // record 4999: shipping, gpt-4o-mini, ok
    QCOMPARE(model->index(2, LogTableModel::Model).data().toString(),
             QStringLiteral("gpt-4o-mini"));
    QCOMPARE(model->index(2, LogTableModel::Prompt).data().toString(),
             QStringLiteral("support v2"));
    QCOMPARE(model->index(2, LogTableModel::Status).data().toString(), QStringLiteral("OK"));
    QCOMPARE(model->index(2, LogTableModel::Tokens).data().toString(), QStringLiteral("149 → 10"));
    QCOMPARE(model->index(2, LogTableModel::Input).data().toString(),
             QStringLiteral("Question number 4999 about shipping"));
    QCOMPARE(model->index(2, LogTableModel::Output).data().toString(),
             QStringLiteral("Answer 4999"));
    QCOMPARE(row->latencyMs, std::optional<double>(100 + (4999 * 37) % 1000));
    // An error row is marked in words and colour.
    const int errorRow = 2 + 9; // record 4990
    QCOMPARE(model->index(errorRow, LogTableModel::Status).data().toString(),
             QStringLiteral("Error"));
    QVERIFY(model->index(errorRow, LogTableModel::Status).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model->index(2, LogTableModel::Status).data(Qt::ForegroundRole).isValid());

    // A view asks for more as it scrolls, a page at a time.
    showView();
    QTableView *table = m_view->table();
    const int before = model->rowCount();
    table->scrollToBottom();
    QVERIFY(waitUntil([model, before] { return model->rowCount() > before; }));
    QVERIFY(model->rowCount() < model->totalCount());
}

void TestLogsView::sortingIsDoneByTheStore()
{
    LogTableModel *model = m_controller->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->sort(LogTableModel::Latency, Qt::DescendingOrder);
    QCOMPARE(model->logSort(), LogSort::LatencyDescending);
    QVERIFY(waitUntil([model] { return model->rowCount() == model->pageSize(); }));
    // The slowest calls of all 5,002, not of the first page read before.
    QCOMPARE(*model->rowAt(0)->latencyMs, 1200.0);
    QCOMPARE(*model->rowAt(1)->latencyMs, 1099.0);
    for (int i = 1; i < model->rowCount(); ++i)
        QVERIFY(*model->rowAt(i - 1)->latencyMs >= *model->rowAt(i)->latencyMs);

    model->sort(LogTableModel::Time, Qt::AscendingOrder);
    QVERIFY(waitUntil([model] { return model->rowCount() == model->pageSize(); }));
    QCOMPARE(model->index(0, LogTableModel::Input).data().toString(),
             QStringLiteral("Question number 0 about refunds"));

    model->sort(LogTableModel::Tokens, Qt::AscendingOrder);
    QVERIFY(waitUntil([model] { return model->rowCount() == model->pageSize(); }));
    const auto total = [](const LogRow *r) {
        return r->inputTokens.value_or(0) + r->outputTokens.value_or(0);
    };
    for (int i = 1; i < model->rowCount(); ++i)
        QVERIFY(total(model->rowAt(i - 1)) <= total(model->rowAt(i)));

    // Columns the store cannot sort by leave the order alone.
    model->sort(LogTableModel::Model, Qt::AscendingOrder);
    QCOMPARE(model->logSort(), LogSort::TokensAscending);
}

void TestLogsView::searchAndFiltersChangeTheRows()
{
    showView();
    LogTableModel *model = m_controller->model();
    LogFilterBar *filters = m_view->filterBar();
    QVERIFY(waitUntil([this] { return m_controller->choices().models.size() == 3; }));
    QCOMPARE(filters->modelBox()->count(), 4); // "All models" and three

    QTest::keyClicks(filters->searchBox(), QStringLiteral("refunds"));
    // Debounced: the query runs once the typing pauses.
    QVERIFY(waitUntil([model] {
        return model->filter().search == QLatin1String("refunds") && model->totalCount() >= 0;
    }));
    QCOMPARE(model->totalCount(), recordCount / 2);
    for (int i = 0; i < model->rowCount(); ++i)
        QVERIFY(model->rowAt(i)->inputPreview->contains(QStringLiteral("refunds")));

    filters->statusBox()->setCurrentIndex(filters->statusBox()->findText(QStringLiteral("Error")));
    QVERIFY(waitUntil([model] { return model->totalCount() >= 0 && model->filter().ok == false; }));
    QCOMPARE(model->totalCount(), recordCount / 10); // every error is an even record
    QVERIFY(m_view->findChild<QLabel *>(QStringLiteral("logCount"))
                ->text()
                .contains(QStringLiteral("500 records match")));

    filters->clearFilters();
    filters->modelBox()->setCurrentIndex(
        filters->modelBox()->findText(QStringLiteral("claude-sonnet")));
    QVERIFY(waitUntil([model] { return model->totalCount() >= 0 && model->filter().model; }));
    QCOMPARE(model->totalCount(), (recordCount + 2) / 3);

    filters->clearFilters();
    filters->toolsBox()->setCurrentIndex(filters->toolsBox()->findData(true));
    QVERIFY(
        waitUntil([model] { return model->totalCount() >= 0 && model->filter().hasToolCalls; }));
    QCOMPARE(model->totalCount(), 2);

    filters->clearFilters();
    filters->promptBox()->setCurrentIndex(
        filters->promptBox()->findText(QStringLiteral("support")));
    filters->versionBox()->setEditText(QStringLiteral("v2"));
    QVERIFY(waitUntil([model] {
        return model->totalCount() >= 0 && model->filter().promptVersion == QStringLiteral("2");
    }));
    QCOMPARE(model->totalCount(), recordCount / 2);

    filters->clearFilters();
    filters->setCustomRange(QDateTime::fromMSecsSinceEpoch(baseMs + 60'000),
                            QDateTime::fromMSecsSinceEpoch(baseMs + 120'000));
    QVERIFY(waitUntil([model] { return model->totalCount() >= 0 && model->filter().sinceMs; }));
    QCOMPARE(model->totalCount(), 60); // records 60..119

    // Nothing matches: the empty state says so and offers to clear.
    filters->clearFilters();
    QTest::keyClicks(filters->searchBox(), QStringLiteral("zebra"));
    QVERIFY(waitUntil([this] { return m_view->isShowingEmptyState(); }));
    QVERIFY(m_view->emptyStateText().contains(QStringLiteral("No records match")));
    filters->clearFilters();
    QVERIFY(waitUntil([this, model] {
        return !m_view->isShowingEmptyState() && model->totalCount() == recordCount + 2;
    }));
}

void TestLogsView::detailShowsTheConversation()
{
    showView();
    LogDetailView *detail = m_view->detail();
    // The newest record (the tool round trip) is shown first.
    QVERIFY(waitUntil([detail, this] { return detail->recordId() == m_toolIds[1]; }));
    const QString text = detail->conversationText();
    QVERIFY2(text.contains(QStringLiteral("USER")), qPrintable(text));
    // Markdown with typographic quotes, as elsewhere in the app.
    QVERIFY(text.contains(QStringLiteral("What’s the weather in Paris?")));
    QVERIFY(text.contains(QStringLiteral("ASSISTANT")));
    QVERIFY(text.contains(QStringLiteral("→ get_weather")));
    QVERIFY(text.contains(QStringLiteral("\"city\": \"Paris\"")));
    // The tool's result names the call it answers and is pretty-printed JSON.
    QVERIFY(text.contains(QStringLiteral("TOOL RESULT get_weather · call_1")));
    QVERIFY(text.contains(QStringLiteral("\"temperature_c\": 18")));
    QVERIFY(text.contains(QStringLiteral("\"sky\": \"cloudy\",")));
    // Markdown is rendered, not shown as source.
    QVERIFY(text.contains(QStringLiteral("It is 18 °C and cloudy in Paris.")));
    QVERIFY(!text.contains(QStringLiteral("**18")));
    // Reasoning is folded until opened.
    QVERIFY(text.contains(QStringLiteral("Reasoning")));
    QVERIFY(!text.contains(QStringLiteral("eighteen degrees")));
    detail->conversation()->anchorClicked(QUrl(QStringLiteral("touchstone:toggle-reasoning")));
    QVERIFY(detail->conversationText().contains(QStringLiteral("eighteen degrees")));

    QVERIFY(detail->headerText().contains(QStringLiteral("gpt-4o")));
    QVERIFY(detail->headerText().contains(QStringLiteral("52 in → 11 out tokens")));
    QVERIFY(detail->headerText().contains(QStringLiteral("1.20 s latency")));
    QVERIFY(detail->rawText().contains(QStringLiteral("\"tool_call_id\": \"call_1\"")));
    QVERIFY(detail->metadataText().contains(QStringLiteral("abcdef00000000000000000000000001")));

    // The trace: the HTTP span around both calls, and the other call opens on Enter.
    QTreeWidget *trace = detail->trace();
    QCOMPARE(detail->tabs()->tabText(LogDetailView::TraceTab), QStringLiteral("Trace (3)"));
    // Both calls sit under the HTTP span that made them.
    QCOMPARE(trace->topLevelItemCount(), 1);
    QTreeWidgetItem *root = trace->topLevelItem(0);
    QCOMPARE(root->text(0), QStringLiteral("POST /chat"));
    QCOMPARE(root->childCount(), 2);
    QTreeWidgetItem *sibling = nullptr;
    for (int i = 0; i < root->childCount(); ++i)
        if (root->child(i)->data(0, Qt::UserRole).toLongLong() == m_toolIds[0])
            sibling = root->child(i);
    QVERIFY(sibling);
    QCOMPARE(sibling->text(0), QStringLiteral("llm: gpt-4o"));
    detail->tabs()->setCurrentIndex(LogDetailView::TraceTab);
    trace->setFocus();
    trace->setCurrentItem(sibling);
    QTest::keyClick(trace, Qt::Key_Return);
    QVERIFY(waitUntil([detail, this] { return detail->recordId() == m_toolIds[0]; }));
    QCOMPARE(m_view->table()->currentIndex().row(), 1);
    QVERIFY(detail->conversationText().contains(QStringLiteral("No output was logged")) == false);
    QVERIFY(detail->conversationText().contains(QStringLiteral("→ get_weather")));
}

void TestLogsView::arrowKeysMoveAndUpdateTheDetail()
{
    showView();
    LogDetailView *detail = m_view->detail();
    QTableView *table = m_view->table();
    QVERIFY(waitUntil([detail] { return detail->recordId().has_value(); }));
    table->setFocus();
    const LogTableModel *model = m_controller->model();
    for (int step = 1; step <= 11; ++step) {
        QTest::keyClick(table, Qt::Key_Down);
        const qint64 expected = model->rowAt(step)->id;
        QVERIFY(waitUntil([detail, expected] { return detail->recordId() == expected; }));
        if (step == 3) {
            QVERIFY(detail->conversationText().contains(
                QStringLiteral("Question number 4998 about refunds")));
            QVERIFY(detail->headerText().contains(QStringLiteral("OK")));
        }
    }
    // Row 11 is record 4990, a failed call.
    QVERIFY(
        detail->conversationText().contains(QStringLiteral("Question number 4990 about refunds")));
    QVERIFY(detail->headerText().contains(QStringLiteral("Error")));
    QVERIFY(detail->conversationText().contains(QStringLiteral("rate limited")));
    QTest::keyClick(table, Qt::Key_Up);
    const qint64 expected = model->rowAt(10)->id;
    QVERIFY(waitUntil([detail, expected] { return detail->recordId() == expected; }));
}

void TestLogsView::ctrlFFocusesTheSearch()
{
    showView();
    m_view->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
    m_view->table()->setFocus();
    QTest::keyClick(m_view->table(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(m_view->filterBar()->searchBox()->hasFocus());
    // ↓ goes back to the results.
    QTest::keyClick(m_view->filterBar()->searchBox(), Qt::Key_Down);
    QVERIFY(m_view->table()->hasFocus());
}

void TestLogsView::emptyProjectShowsOneAction()
{
    const QString path = m_dir.filePath(QStringLiteral("empty.touchstone"));
    QVERIFY(Project::create(path));
    QVERIFY(openProject(path));
    showView();
    QVERIFY(waitUntil([this] { return m_view->isShowingEmptyState(); }));
    QVERIFY(m_view->emptyStateText().contains(QStringLiteral("No production logs yet")));
    QList<QPushButton *> actions;
    for (QPushButton *b : m_view->findChildren<QPushButton *>())
        if (b->isVisibleTo(m_view.get()) && b->text() == QStringLiteral("Import Logs…"))
            actions << b;
    QCOMPARE(actions.size(), 1);
    QVERIFY(!m_view->filterBar()->isVisibleTo(m_view.get()));
}

void TestLogsView::importThroughTheDialog()
{
    const QString path = m_dir.filePath(QStringLiteral("import.touchstone"));
    QVERIFY(Project::create(path));
    QVERIFY(openProject(path));
    showView();
    QByteArray bytes = otlpLine(
        QStringLiteral("11111111111111111111111111111111"), QStringLiteral("2222222222222222"),
        QStringLiteral("Where is order 17?"), QStringLiteral("It shipped."));
    bytes += "{this is not json\n";
    bytes += otlpLine(QStringLiteral("11111111111111111111111111111111"),
                      QStringLiteral("3333333333333333"), QStringLiteral("Can I return shoes?"),
                      QStringLiteral("Within 30 days."));
    const QString file = writeFile(m_dir, QStringLiteral("traces.jsonl"), bytes);

    LogImportDialog *dialog = m_view->importFiles({file});
    QVERIFY(dialog);
    QPointer<LogImportDialog> guard(dialog);
    QVERIFY(waitUntil([guard] { return guard && guard->isFinished(); }));
    const QString summary = dialog->summaryText();
    QVERIFY2(summary.contains(QStringLiteral("Imported <b>2 records</b>")), qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("1 malformed record")));
    QVERIFY2(summary.contains(QStringLiteral("traces.jsonl:2:")), qPrintable(summary));
    LogTableModel *model = m_controller->model();
    QVERIFY(waitUntil([model] { return model->totalCount() == 2 && model->rowCount() == 2; }));
    QVERIFY(!m_view->isShowingEmptyState());
    QCOMPARE(model->index(0, LogTableModel::Model).data().toString(),
             QStringLiteral("imported-model"));

    // Importing the same file again adds nothing and says so.
    dialog->close();
    dialog = m_view->importFiles({file});
    QVERIFY(dialog);
    guard = dialog;
    QVERIFY(waitUntil([guard] { return guard && guard->isFinished(); }));
    QVERIFY2(dialog->summaryText().contains(QStringLiteral("Imported <b>0 records</b>")),
             qPrintable(dialog->summaryText()));
    QVERIFY(dialog->summaryText().contains(QStringLiteral("2 duplicates")));
    QCOMPARE(model->totalCount(), 2);

    // A file in no known format is refused with the reason.
    dialog->close();
    const QString junk = writeFile(m_dir, QStringLiteral("notes.txt"), "hello\n");
    dialog = m_view->importFiles({junk});
    guard = dialog;
    QVERIFY(waitUntil([guard] { return guard && guard->isFinished(); }));
    QVERIFY(dialog->summaryText().contains(QStringLiteral("Nothing was imported")));
    dialog->close();
}

void TestLogsView::addSelectedRecordsToANewDataset()
{
    showView();
    QTableView *table = m_view->table();
    LogTableModel *model = m_controller->model();
    QVERIFY(waitUntil([model] { return model->rowCount() > 5; }));
    // Rows 2..4: records 4999, 4998, 4997.
    table->selectionModel()->select(QItemSelection(model->index(2, 0), model->index(4, 0)),
                                    QItemSelectionModel::ClearAndSelect
                                        | QItemSelectionModel::Rows);
    const QList<qint64> ids = m_view->selectedIds();
    QCOMPARE(ids.size(), 3);

    AddToDatasetDialog dialog(*m_controller, ids, model->filter(), model->totalCount(),
                              m_view.get());
    QVERIFY(waitUntil([&dialog] { return dialog.isReady(); }));
    QCOMPARE(dialog.selection().ids, std::optional<QList<qint64>>(ids));
    QVERIFY(!dialog.options().expectedFromOutput); // off unless asked
    dialog.setDataset(QStringLiteral("From logs"));
    QVERIFY(dialog.options().create);
    QVERIFY(dialog.addButton()->isEnabled());
    QSignalSpy finished(&dialog, &AddToDatasetDialog::finished);
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QVERIFY(finished.wait(waitMs));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY2(dialog.resultText().contains(QStringLiteral("Added <b>3 cases</b>")),
             qPrintable(dialog.resultText()));

    auto project = Project::open(m_path);
    QVERIFY(project);
    DatasetStore datasets(project->db());
    auto dataset = datasets.dataset(QStringLiteral("From logs"));
    QVERIFY(dataset);
    auto cases = datasets.cases(dataset->id);
    QVERIFY(cases);
    QCOMPARE(cases->size(), 3);
    QStringList inputs;
    for (const TestCase &c : *cases) {
        inputs << QString::fromStdString(c.data.vars.value("input", std::string()));
        QVERIFY(!c.data.expected); // the output is kept as production output only
        QVERIFY(c.productionOutput && c.productionOutput->startsWith(QStringLiteral("Answer 49")));
        QVERIFY(c.logId && ids.contains(*c.logId));
        QCOMPARE(c.source, CaseSource::Log);
    }
    inputs.sort();
    QCOMPARE(inputs,
             QStringList({QStringLiteral("Question number 4997 about shipping"),
                          QStringLiteral("Question number 4998 about refunds"),
                          QStringLiteral("Question number 4999 about shipping")}));
}

void TestLogsView::addASampleWithAPromptVersion()
{
    showView();
    LogTableModel *model = m_controller->model();
    LogFilter filter;
    filter.search = QStringLiteral("refunds");
    m_controller->setFilter(filter);
    QVERIFY(waitUntil([model] { return model->totalCount() == recordCount / 2; }));

    AddToDatasetDialog dialog(*m_controller, {}, model->filter(), model->totalCount(),
                              m_view.get());
    QVERIFY(waitUntil([&dialog] { return dialog.isReady(); }));
    dialog.setSample(5, 42);
    dialog.setDataset(QStringLiteral("Refund sample"));
    dialog.setPromptVersion(QStringLiteral("support@1"));
    dialog.setExpectedFromOutput(true);
    const LogSelection selection = dialog.selection();
    QVERIFY(!selection.ids);
    QCOMPARE(selection.sampleSize, std::optional<int>(5));
    QCOMPARE(selection.seed, quint64(42));
    QCOMPARE(selection.filter.search, QStringLiteral("refunds"));
    QSignalSpy finished(&dialog, &AddToDatasetDialog::finished);
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QVERIFY(finished.wait(waitMs));
    QVERIFY2(dialog.resultText().contains(QStringLiteral("Added <b>5 cases</b>")),
             qPrintable(dialog.resultText()));
    QVERIFY(!dialog.resultText().contains(QStringLiteral("Could not recover")));

    auto project = Project::open(m_path);
    QVERIFY(project);
    DatasetStore datasets(project->db());
    auto dataset = datasets.dataset(QStringLiteral("Refund sample"));
    QVERIFY(dataset);
    auto cases = datasets.cases(dataset->id);
    QVERIFY(cases);
    QCOMPARE(cases->size(), 5);
    for (const TestCase &c : *cases) {
        // The template's variables, recovered from the logged message.
        QCOMPARE(QString::fromStdString(c.data.vars.value("topic", std::string())),
                 QStringLiteral("refunds"));
        const QString n = QString::fromStdString(c.data.vars.value("n", std::string()));
        QCOMPARE(c.data.expected, QStringLiteral("Answer %1").arg(n));
    }
}

QTEST_MAIN(TestLogsView)
#include "test_logs_view.moc"
