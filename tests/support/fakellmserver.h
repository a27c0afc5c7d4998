#pragma once

#include "fakebehavior.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <memory>
#include <utility>

namespace ts::test {

class FakeServerCore;
struct FakeServerState;

/// How the whole fake server behaves; per-request settings in the model name or the
/// `x-fake-fault` header override `behavior`.
struct FakeServerConfig
{
    int latencyMs = 0; ///< wait before the first content token
    double tokensPerSec = 0; ///< 0 = send tokens as fast as possible
    int outputTokens = 16; ///< answer length unless the request's max tokens cut it short
    /// When set, OpenAI, Anthropic and Gemini routes answer 401 unless the request carries
    /// this key (Authorization: Bearer / x-api-key / x-goog-api-key or ?key=).
    QByteArray expectedKey;
    FakeBehavior behavior;
    QStringList models = {QStringLiteral("fake-small"), QStringLiteral("fake-large"),
                          QStringLiteral("fake-embed")};
    /// Embeddings of these exact texts (any other text gets a vector derived from its hash).
    QHash<QString, QList<double>> embeddings;
    /// Log probability of output token i is logProbs[i % size], sent when a request asks for
    /// log probabilities (never by the Anthropic route, which has none).
    QList<double> logProbs = {-0.1, -0.2, -0.3, -0.4};
};

/// One request as the fake server received it.
struct FakeRequest
{
    QByteArray method;
    QByteArray path; ///< target as sent, query included
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names lowercased
    QByteArray body;
    quint64 connectionId = 0; ///< same id = same TCP connection (keep-alive)
    QString model; ///< from the body or the path, as sent

    QByteArray header(QByteArrayView name) const;
};

/// A deterministic LLM server on 127.0.0.1 speaking the OpenAI, Anthropic, Gemini and
/// Ollama wire formats, with fault injection. Runs in its own thread, so a test that blocks
/// its own thread does not stall it. Every accessor is thread-safe.
///
/// Built on QTcpServer rather than Qt 6.4's QHttpServer: 6.4's responder cannot send a
/// response in timed pieces from later event-loop turns, cannot drop a connection mid-body
/// and cannot leave a request unanswered, and those are exactly the faults tests need.
class FakeLlmServer final : public QObject
{
    Q_OBJECT
public:
    explicit FakeLlmServer(const FakeServerConfig &config = {}, QObject *parent = nullptr);
    ~FakeLlmServer() override;

    /// Starts listening on 127.0.0.1:`port` (0 = any free port). Returns false on failure.
    bool listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    /// "http://127.0.0.1:PORT"
    QString baseUrl() const;

    void setConfig(const FakeServerConfig &config);
    FakeServerConfig config() const;

    QList<FakeRequest> requests() const;
    int requestCount() const;
    /// Forgets recorded requests, "fail the first N" counters and concurrency maxima.
    void reset();

    /// Most requests ever in flight at once for `model` (as sent); empty = all requests.
    int maxConcurrency(const QString &model = {}) const;
    int currentConcurrency(const QString &model = {}) const;
    int connectionsAccepted() const;

private:
    std::shared_ptr<FakeServerState> m_state;
    QThread m_thread;
    FakeServerCore *m_core = nullptr;
    quint16 m_port = 0;
};

} // namespace ts::test
