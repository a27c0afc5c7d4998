// The eval runner feeds model-graded, embedding, response and comparison assertions: the
// rendered prompt, the finish reason, the tool calls and the prompt's tools reach them,
// llm-rubric and select-best are graded by the eval's judge model, `similar` embeds through
// the embedder the caller installs, and select-best is decided once both variants answered.
//
// A small scripted OpenAI-compatible server plays every model: "plain" answers in text,
// "tools" calls a tool, "grader" grades (it passes an output that names Paris and picks the
// output that does) and "embed" embeds (a vector of which of Paris/France a text names).

#include "evalfixture.h"
#include "insights/embeddingcache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>

using namespace ts;

namespace {

QJsonObject chatAnswer(const QJsonObject &message, const QString &finish)
{
    QJsonObject choice {{QStringLiteral("index"), 0},
                        {QStringLiteral("message"), message},
                        {QStringLiteral("finish_reason"), finish}};
    return {{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
            {QStringLiteral("object"), QStringLiteral("chat.completion")},
            {QStringLiteral("choices"), QJsonArray {choice}},
            {QStringLiteral("usage"),
             QJsonObject {{QStringLiteral("prompt_tokens"), 10},
                          {QStringLiteral("completion_tokens"), 5}}}};
}

QJsonArray vectorOf(const QString &text)
{
    return {text.contains(QLatin1String("Paris")) ? 1.0 : 0.0,
            text.contains(QLatin1String("France")) ? 1.0 : 0.0, 1.0};
}

QJsonObject answerFor(const QByteArray &path, const QJsonObject &request)
{
    if (path.endsWith("/embeddings")) {
        const QJsonValue input = request.value(QStringLiteral("input"));
        const QJsonArray inputs = input.isArray() ? input.toArray() : QJsonArray {input};
        QJsonArray data;
        for (qsizetype i = 0; i < inputs.size(); ++i)
            data.append(
                QJsonObject {{QStringLiteral("object"), QStringLiteral("embedding")},
                             {QStringLiteral("index"), int(i)},
                             {QStringLiteral("embedding"), vectorOf(inputs.at(i).toString())}});
        return {{QStringLiteral("object"), QStringLiteral("list")},
                {QStringLiteral("data"), data},
                {QStringLiteral("model"), QStringLiteral("embed")}};
    }
    const QString model = request.value(QStringLiteral("model")).toString();
    const QJsonArray messages = request.value(QStringLiteral("messages")).toArray();
    const QString prompt = messages.isEmpty()
        ? QString()
        : messages.last().toObject().value(QStringLiteral("content")).toString();
    if (model == QLatin1String("tools")) {
        QJsonObject call {
            {QStringLiteral("id"), QStringLiteral("call_1")},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject {{QStringLiteral("name"), QStringLiteral("get_weather")},
                          {QStringLiteral("arguments"), QStringLiteral("{\"city\":\"Paris\"}")}}}};
        return chatAnswer({{QStringLiteral("role"), QStringLiteral("assistant")},
                           {QStringLiteral("content"), QJsonValue::Null},
                           {QStringLiteral("tool_calls"), QJsonArray {call}}},
                          QStringLiteral("tool_calls"));
    }
    QString text;
    if (model == QLatin1String("plain")) {
        text = QStringLiteral("Paris is the capital of France.");
    } else if (prompt.contains(QLatin1String("choose the one that best meets"))) {
        static const QRegularExpression best(
            QStringLiteral("<output index=\"(\\d+)\">\\s*Paris is the capital"));
        const auto m = best.match(prompt);
        text = QStringLiteral("The one naming Paris.\n%1")
                   .arg(m.hasMatch() ? m.captured(1) : QStringLiteral("9"));
    } else {
        // llm-rubric (and the eval's own judge): pass what names the capital.
        static const QRegularExpression output(QStringLiteral("<output>([\\s\\S]*?)</output>"));
        const auto m = output.match(prompt);
        const bool pass = m.hasMatch() && m.captured(1).contains(QLatin1String("Paris is"));
        text = QStringLiteral("{\"reason\": \"%1\", \"pass\": %2, \"score\": %3}")
                   .arg(pass ? QStringLiteral("It names Paris.") : QStringLiteral("No capital."),
                        pass ? QStringLiteral("true") : QStringLiteral("false"),
                        pass ? QStringLiteral("0.9") : QStringLiteral("0.1"));
    }
    return chatAnswer(
        {{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), text}},
        QStringLiteral("stop"));
}

/// Answers each HTTP/1.1 request with answerFor() and closes the connection.
class ScriptedServer final : public QTcpServer
{
public:
    ScriptedServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] { serve(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(serverPort()); }

private:
    static void serve(QTcpSocket *socket)
    {
        QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
        socket->setProperty("buffer", buffer);
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        static const QRegularExpression lengthHeader(QStringLiteral("content-length:\\s*(\\d+)"),
                                                     QRegularExpression::CaseInsensitiveOption);
        const auto m = lengthHeader.match(QString::fromLatin1(buffer.left(headerEnd)));
        const qsizetype length = m.hasMatch() ? m.captured(1).toLongLong() : 0;
        if (buffer.size() < headerEnd + 4 + length)
            return;
        const QByteArray requestLine = buffer.left(buffer.indexOf("\r\n"));
        const QByteArray path = requestLine.split(' ').value(1);
        const QJsonObject request
            = QJsonDocument::fromJson(buffer.mid(headerEnd + 4, length)).object();
        const QByteArray body = QJsonDocument(answerFor(path, request)).toJson();
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }
};

} // namespace

class TestEvalGraded final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;
    ScriptedServer m_scripted;

    qint64 addModel(const QString &modelId)
    {
        ModelConfig m;
        m.name = modelId;
        m.provider = ProviderKind::OpenAI;
        m.baseUrl = m_scripted.baseUrl();
        m.modelId = modelId;
        m.maxConcurrency = 4;
        return ModelStore(f.db()).add(m).value().id;
    }

    qint64 addVersion(const QString &name, std::optional<nlohmann::json> tools)
    {
        PromptStore prompts(f.db());
        const qint64 id = prompts.createPrompt(name).value().id;
        PromptContent content;
        content.messages = {{QStringLiteral("user"), QStringLiteral("{{question}}")}};
        content.tools = tools;
        return prompts.saveVersion(id, content, {}, QStringLiteral("test")).value().version.id;
    }

    /// type -> pass of the stored assertion results of one sample.
    static QHash<QString, bool> verdicts(const EvalSample &sample)
    {
        QHash<QString, bool> out;
        for (const AssertionResult &a : sample.assertions)
            out.insert(a.type, a.pass);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        qRegisterMetaType<ts::EvalProgress>();
        QVERIFY(f.open(QStringLiteral("graded.touchstone")));
        QVERIFY(m_scripted.listen(QHostAddress::LocalHost));
    }

    void theRunnerFeedsGradedAndComparisonAssertions()
    {
        const nlohmann::json tools = nlohmann::json::parse(R"([{"type": "function", "function": {
            "name": "get_weather", "parameters": {"type": "object",
            "properties": {"city": {"type": "string"}}, "required": ["city"]}}}])");
        const qint64 plainVersion = addVersion(QStringLiteral("ask"), std::nullopt);
        const qint64 toolsVersion = addVersion(QStringLiteral("ask-with-tools"), tools);
        const qint64 plain = addModel(QStringLiteral("plain"));
        const qint64 toolModel = addModel(QStringLiteral("tools"));
        const qint64 grader = addModel(QStringLiteral("grader"));

        PromptStore prompts(f.db());
        const qint64 judgePrompt = prompts.createPrompt(QStringLiteral("judge")).value().id;
        PromptContent judgeContent;
        judgeContent.messages
            = {{QStringLiteral("user"), QStringLiteral("Grade <output>{{output}}</output>")}};
        prompts.saveVersion(judgePrompt, judgeContent, {}, QStringLiteral("test")).value();
        JudgeConfig judge;
        judge.name = QStringLiteral("grader");
        judge.kind = JudgeKind::Pointwise;
        judge.promptId = judgePrompt;
        judge.modelId = grader;
        judge.rubric = QStringLiteral("Names the capital.");
        const qint64 judgeId = JudgeStore(f.db()).add(judge).value().id;

        const qint64 dataset
            = DatasetStore(f.db()).createDataset(QStringLiteral("capitals")).value().id;
        TestCaseData c;
        c.vars = {{"question", "What is the capital of France?"}};
        DatasetStore(f.db()).importCases(dataset, {c}).value();
        AssertionStore store(f.db());
        QVERIFY(store.add(dataset, std::nullopt,
                          {QStringLiteral("llm-rubric"), "Names the capital of France"}));
        QVERIFY(store.add(dataset, std::nullopt, {QStringLiteral("similar"), "Paris, France"}));
        QVERIFY(store.add(dataset, std::nullopt, {QStringLiteral("finish-reason"), "tool_calls"}));
        QVERIFY(store.add(dataset, std::nullopt,
                          {QStringLiteral("is-valid-openai-tools-call"), nullptr}));
        QVERIFY(store.add(dataset, std::nullopt,
                          {QStringLiteral("select-best"), "the answer that names the city"}));

        EvalConfig config;
        config.variants = {{plainVersion, plain}, {toolsVersion, toolModel}};
        config.datasetId = dataset;
        config.judgeIds = {judgeId};
        config.concurrency = 2;
        config.useCache = false;
        config.resume = false;
        EvalRunner runner(f.engine.get());
        ModelConfig embedModel;
        embedModel.name = QStringLiteral("embed");
        embedModel.provider = ProviderKind::OpenAI;
        embedModel.baseUrl = m_scripted.baseUrl();
        embedModel.modelId = QStringLiteral("embed");
        const EmbedFunction embed = networkEmbedder(embedModel, f.network.get());
        runner.setEmbedder([embed](const QStringList &texts) -> Result<QList<QList<double>>> {
            auto vectors = embed(texts);
            if (!vectors)
                return tl::unexpected(vectors.error());
            QList<QList<double>> out;
            for (const QList<float> &v : *vectors)
                out.append(QList<double>(v.cbegin(), v.cend()));
            return out;
        });
        QCOMPARE(f.run(runner, config), QStringLiteral("completed"));

        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        const EvalSample &text = r.cell(0, 0).samples.first();
        const EvalSample &call = r.cell(0, 1).samples.first();
        for (const EvalSample *s : {&text, &call}) {
            QStringList reasons;
            for (const AssertionResult &a : s->assertions)
                reasons << a.type + QStringLiteral(": ") + a.reason;
            QVERIFY2(s->assertions.size() == 5, qPrintable(reasons.join(QLatin1Char('\n'))));
        }
        const QHash<QString, bool> plainVerdicts = verdicts(text);
        const QHash<QString, bool> toolVerdicts = verdicts(call);
        // The grading model read each output.
        QCOMPARE(plainVerdicts.value(QStringLiteral("llm-rubric")), true);
        QCOMPARE(toolVerdicts.value(QStringLiteral("llm-rubric")), false);
        // Embedded through the installed embedder: identical vectors, then cosine 0.58.
        QCOMPARE(plainVerdicts.value(QStringLiteral("similar")), true);
        QCOMPARE(toolVerdicts.value(QStringLiteral("similar")), false);
        // The provider's finish reason and tool calls, checked against the version's tools.
        QCOMPARE(plainVerdicts.value(QStringLiteral("finish-reason")), false);
        QCOMPARE(toolVerdicts.value(QStringLiteral("finish-reason")), true);
        QCOMPARE(plainVerdicts.value(QStringLiteral("is-valid-openai-tools-call")), false);
        QCOMPARE(toolVerdicts.value(QStringLiteral("is-valid-openai-tools-call")), true);
        // select-best compared both variants' outputs once both were in.
        QCOMPARE(plainVerdicts.value(QStringLiteral("select-best")), true);
        QCOMPARE(toolVerdicts.value(QStringLiteral("select-best")), false);
        QVERIFY(!text.pass);
        QVERIFY(!call.pass);
    }
};

QTEST_GUILESS_MAIN(TestEvalGraded)
#include "test_eval_graded.moc"
