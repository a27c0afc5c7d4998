#pragma once

#include "models/modelconfig.h"
#include "net/calloptions.h"
#include "providers/chattypes.h"
#include "runs/generation.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

class QTimer;

namespace ts {

class GenerationWriter;
class HttpCall;
class NetworkClient;
class ResponseParser;
struct ChatResult;
struct HttpOutcome;

/// What to generate: rendered messages for one model, and where the result belongs.
struct GenerationSpec
{
    ModelConfig model;
    QList<ChatMessage> messages;
    GenerationParams params;
    qint64 runId = 0; ///< 0: not stored in the project
    std::optional<qint64> testCaseId;
    int sampleIndex = 0;
    nlohmann::json variables = nlohmann::json::object();
    bool useCache = true;
    bool stream = true;
    /// Overrides the model's key reference (the CLI's --api-key-env).
    std::optional<QString> keyRefOverride;
    /// Evals: an answer cut short (the connection dropped after the response began, a stream
    /// or body that ended early, a timeout, an overload reported mid-stream) is asked again
    /// from the start like a 5xx, within the retry budget, and a partial answer never becomes
    /// the result: if every attempt is cut short the generation is an error with no output.
    /// Off (the playground), partial text is kept and marked incomplete.
    bool retryCutShort = false;
    /// Retries after the first attempt, shared by every cause (HTTP 408/409/429/5xx,
    /// connection failures and, with retryCutShort, answers cut short). Unset: the network
    /// default (RetryPolicy::maxRetries).
    std::optional<int> maxRetries;
    /// Backoff before the first retry (doubling each time) when maxRetries is set.
    int retryBaseDelayMs = 500;
    /// Evals: every retry wait (HTTP 408/409/429/5xx, connection failures and, with
    /// retryCutShort, answers cut short) happens in the job rather than in the network layer,
    /// and the caller's concurrency slot is free while it lasts: `retrying` says a wait began,
    /// `retryDue` that it is over, and the job sends again only when the caller calls resume()
    /// (once it has a slot again). Each attempt is a separate network call, so the model's
    /// slot is free during the wait too.
    bool yieldWhileWaiting = false;
};

/// One model call in flight: resolves the key, answers from the cache or streams the request,
/// retries an overload that arrives mid-stream before any text (and, with
/// GenerationSpec::retryCutShort, any answer cut short), and ends with exactly one
/// `finished`. Live text arrives through `progress` at most ~30 times a second.
class GenerationJob final : public QObject
{
    Q_OBJECT

public:
    ~GenerationJob() override;

    /// Stops now; the partial text is kept and the generation is marked cancelled.
    void cancel();
    bool isFinished() const { return m_done; }
    /// With GenerationSpec::yieldWhileWaiting, after retryDue: send the retry now.
    void resume();
    const GenerationSpec &spec() const { return m_spec; }
    /// Text and reasoning received so far.
    QString text() const { return m_text; }
    QString reasoning() const { return m_reasoning; }

Q_SIGNALS:
    /// New answer text and reasoning since the previous progress (batched).
    void progress(const QString &textDelta, const QString &reasoningDelta);
    void retrying(int attempt, int delayMs, const QString &reason);
    /// With GenerationSpec::yieldWhileWaiting: a retry wait is over; call resume() to send.
    void retryDue();
    void finished(const ts::Generation &generation);

private:
    friend class RunEngine;
    GenerationJob(GenerationSpec spec, GenerationWriter *writer, NetworkClient *network,
                  QObject *parent);
    void begin();
    void send();
    void onData(const QByteArray &chunk);
    void onFinished(const HttpOutcome &outcome);
    void emitPending();
    void complete(Generation generation);
    int retryBudget() const;
    bool retryCutShort(const HttpOutcome &outcome, const ChatResult &result);
    void retryAfter(int delayMs, const QString &reason);
    void onRetryTimer();
    Generation baseGeneration() const;
    ChatRequest chatRequest() const;

    GenerationSpec m_spec;
    QPointer<GenerationWriter> m_writer;
    NetworkClient *m_network = nullptr;
    QString m_apiKey;
    QString m_cacheKey;
    QPointer<HttpCall> m_call;
    std::unique_ptr<ResponseParser> m_parser;
    QTimer *m_batchTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    QElapsedTimer m_clock;
    qint64 m_firstTokenMs = -1;
    QString m_text;
    QString m_reasoning;
    QString m_pendingText;
    QString m_pendingReasoning;
    int m_streamRetries = 0;
    int m_attemptsUsed = 0; ///< requests sent by earlier send()s (their retries included)
    bool m_cancelled = false;
    bool m_done = false;
    bool m_awaitingResume = false; ///< yieldWhileWaiting: the wait is over, resume() not yet
};

} // namespace ts
