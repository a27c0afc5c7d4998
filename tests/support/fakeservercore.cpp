#include "fakeservercore.h"

#include "fakeconnection.h"
#include "fakeserverstate.h"

#include <QTcpSocket>
#include <QUrlQuery>

namespace ts::test {

namespace {

enum class Route { Chat, Embeddings, Models, Unknown };

struct Target
{
    Route route = Route::Unknown;
    FakeApi api = FakeApi::OpenAi;
    QString pathModel;
    bool geminiStream = false;
};

Target classify(const FakeRequest &request, const QString &path, const QUrlQuery &query)
{
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    if (post && path == QLatin1String("/v1/chat/completions"))
        return {Route::Chat, FakeApi::OpenAi};
    if (post && path == QLatin1String("/v1/messages"))
        return {Route::Chat, FakeApi::Anthropic};
    if (post && path == QLatin1String("/api/chat"))
        return {Route::Chat, FakeApi::Ollama};
    if (post && path == QLatin1String("/v1/embeddings"))
        return {Route::Embeddings, FakeApi::OpenAi};
    if (post && path == QLatin1String("/api/embed"))
        return {Route::Embeddings, FakeApi::Ollama};
    if (get && path == QLatin1String("/v1/models")) {
        const bool anthropic = !request.header("anthropic-version").isEmpty();
        return {Route::Models, anthropic ? FakeApi::Anthropic : FakeApi::OpenAi};
    }
    if (get && path == QLatin1String("/api/tags"))
        return {Route::Models, FakeApi::Ollama};
    if (get && path == QLatin1String("/v1beta/models"))
        return {Route::Models, FakeApi::Gemini};
    const QLatin1String geminiPrefix("/v1beta/models/");
    if (post && path.startsWith(geminiPrefix)) {
        const QString rest = path.mid(geminiPrefix.size());
        const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
        const QString model = rest.left(colon);
        const QString action = colon < 0 ? QString() : rest.mid(colon + 1);
        if (action == QLatin1String("generateContent"))
            return {Route::Chat, FakeApi::Gemini, model, false};
        if (action == QLatin1String("streamGenerateContent"))
            return {Route::Chat, FakeApi::Gemini, model, true};
        if (action == QLatin1String("embedContent"))
            return {Route::Embeddings, FakeApi::Gemini, model};
    }
    Q_UNUSED(query);
    return {};
}

bool authorized(const FakeRequest &request, FakeApi api, const QByteArray &key,
                const QUrlQuery &query)
{
    if (key.isEmpty())
        return true;
    switch (api) {
    case FakeApi::OpenAi:
        return request.header("authorization") == "Bearer " + key;
    case FakeApi::Anthropic:
        return request.header("x-api-key") == key;
    case FakeApi::Gemini:
        return request.header("x-goog-api-key") == key
            || query.queryItemValue(QStringLiteral("key")).toUtf8() == key;
    case FakeApi::Ollama:
        return true; // Ollama has no keys
    }
    return false;
}

QString modelInBody(const QByteArray &body)
{
    // Cheap look without a JSON parse: the model only labels the record.
    const qsizetype at = body.indexOf("\"model\"");
    if (at < 0)
        return {};
    const qsizetype open = body.indexOf('"', body.indexOf(':', at) + 1);
    const qsizetype close = open < 0 ? -1 : body.indexOf('"', open + 1);
    return close < 0 ? QString() : QString::fromUtf8(body.mid(open + 1, close - open - 1));
}

// A "[fake:fault=500,times=1]" marker in a chat body: the settings between "[fake:" and "]".
QByteArray markerSpec(const QByteArray &body)
{
    const qsizetype at = body.indexOf("[fake:");
    if (at < 0)
        return {};
    const qsizetype end = body.indexOf(']', at);
    return end < 0 ? QByteArray() : body.mid(at + 6, end - at - 6);
}

} // namespace

FakeServerCore::FakeServerCore(std::shared_ptr<FakeServerState> state)
    : m_state(std::move(state))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeServerCore::acceptConnections);
}

quint16 FakeServerCore::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port) ? m_server->serverPort() : 0;
}

void FakeServerCore::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        {
            std::lock_guard lock(m_state->mutex);
            ++m_state->connections;
        }
        new FakeConnection(socket, ++m_lastConnectionId, this);
    }
}

FakeReply FakeServerCore::route(FakeRequest request)
{
    const QUrl url = QUrl::fromEncoded(request.path);
    const QString path = url.path();
    const QUrlQuery query(url);
    const Target target = classify(request, path, query);
    request.model = target.pathModel.isEmpty() ? modelInBody(request.body) : target.pathModel;

    FakeServerConfig config;
    {
        std::lock_guard lock(m_state->mutex);
        m_state->requests.append(request);
        config = m_state->config;
    }
    if (target.route == Route::Unknown) {
        FakeReply reply = fakeErrorReply(FakeApi::OpenAi, 404, request.model);
        reply.model = request.model;
        return reply;
    }

    const QByteArray headerSpec = request.header("x-fake-fault");
    auto [baseModel, behavior] = parseModelSpec(request.model, config.behavior);
    behavior.apply(QString::fromUtf8(headerSpec));
    const QByteArray bodySpec
        = target.route == Route::Chat ? markerSpec(request.body) : QByteArray();
    behavior.apply(QString::fromUtf8(bodySpec));
    Q_UNUSED(baseModel);
    if (behavior.fault != FakeFault::None && behavior.failTimes >= 0) {
        QString key = request.model + QLatin1Char('|') + QString::fromUtf8(headerSpec)
            + QLatin1Char('|') + QString::fromUtf8(bodySpec);
        if (behavior.perRequest)
            key += QLatin1Char('|') + QString::number(qHash(request.body));
        std::lock_guard lock(m_state->mutex);
        const int attempt = ++m_state->attempts[key];
        if (attempt > behavior.failTimes)
            behavior.fault = FakeFault::None;
    }

    FakeReply reply;
    if (!authorized(request, target.api, config.expectedKey, query)) {
        reply = fakeErrorReply(target.api, 401, request.model);
    } else if (behavior.fault == FakeFault::Status || behavior.fault == FakeFault::Quota) {
        reply = fakeErrorReply(target.api, behavior.status, request.model,
                               behavior.fault == FakeFault::Quota, behavior);
    } else if (behavior.fault == FakeFault::Hang) {
        reply.hang = true;
    } else if (behavior.fault == FakeFault::Reset) {
        reply.reset = true;
    } else if (target.route == Route::Models) {
        reply = fakeModelsReply(target.api, config.models);
    } else if (target.route == Route::Embeddings) {
        reply = fakeEmbeddingsReply(target.api, request.body, target.pathModel, config.embeddings);
    } else {
        std::optional<FakeChat> chat = parseFakeChat(target.api, request.body, target.pathModel);
        if (!chat) {
            reply = fakeErrorReply(target.api, 400, request.model);
        } else {
            if (chat->wantsLogProbs)
                chat->logProbs = config.logProbs;
            if (target.api == FakeApi::Gemini) {
                chat->stream = target.geminiStream;
                chat->sse = query.queryItemValue(QStringLiteral("alt")) == QLatin1String("sse");
            }
            reply = fakeChatReply(*chat, behavior,
                                  behavior.outputTokens.value_or(config.outputTokens),
                                  behavior.latencyMs.value_or(config.latencyMs),
                                  behavior.tokensPerSec.value_or(config.tokensPerSec));
        }
    }
    reply.model = request.model;
    return reply;
}

} // namespace ts::test
