// The "Receive traces" switch: the OTLP/HTTP receiver started from the Logs section, a span
// posted over real HTTP, and the record showing in the table.

#include "common/projectsession.h"
#include "logs/logscontroller.h"
#include "logs/logsview.h"
#include "logs/logtablemodel.h"
#include "logs/receiverpanel.h"
#include "storage/project.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace ts;

namespace {

constexpr int waitMs = 20000;

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

class TestLogsReceiverSwitch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void receivedTracesAppearInTheTable();
};

void TestLogsReceiverSwitch::receivedTracesAppearInTheTable()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.touchstone"));
    QVERIFY(Project::create(path));
    ProjectSession session;
    LogsController controller(session);
    QSignalSpy opened(&session, &ProjectSession::projectOpened);
    session.open(path);
    QVERIFY(opened.wait(waitMs));
    LogsView view(controller);
    view.resize(1200, 700);
    view.show();
    LogTableModel *model = controller.model();
    QVERIFY(QTest::qWaitFor([model] { return model->totalCount() == 0; }, waitMs));
    QVERIFY(view.isShowingEmptyState());

    QSignalSpy receiving(&controller, &LogsController::receivingChanged);
    controller.startReceiving(0); // any free port
    QVERIFY(receiving.wait(waitMs));
    QCOMPARE(receiving.last().first().toBool(), true);
    const QString endpoint = view.receiver()->endpointText();
    QVERIFY2(endpoint.startsWith(QStringLiteral("http://127.0.0.1:"))
                 && !endpoint.contains(QStringLiteral("/v1/")),
             qPrintable(endpoint)); // the base address, as OTEL_EXPORTER_OTLP_ENDPOINT takes it
    QVERIFY(view.receiver()->toggle()->isChecked());

    QNetworkAccessManager network;
    QNetworkRequest request {QUrl(endpoint + QStringLiteral("/v1/traces"))};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply
        = network.post(request,
                       otlpLine(QStringLiteral("99999999999999999999999999999999"),
                                QStringLiteral("4444444444444444"), QStringLiteral("Live question"),
                                QStringLiteral("Live answer")));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(waitMs));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
    // Stored before the answer; shown without any action from the user.
    QVERIFY(QTest::qWaitFor([model] { return model->totalCount() == 1 && model->rowCount() == 1; },
                            waitMs));
    QCOMPARE(model->rowAt(0)->inputPreview, QStringLiteral("Live question"));
    QVERIFY(!view.isShowingEmptyState());
    QVERIFY(view.receiver()->statusText().contains(QStringLiteral("1 call")));

    view.receiver()->toggle()->click();
    QVERIFY(!controller.isReceiving());
    QVERIFY(view.receiver()->endpointText().isEmpty());
}

QTEST_MAIN(TestLogsReceiverSwitch)
#include "test_logs_receiver_switch.moc"
