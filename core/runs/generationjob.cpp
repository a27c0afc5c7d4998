#include "runs/generationjob.h"

#include "common/json.h"
#include "models/keystore.h"
#include "net/backoff.h"
#include "net/networkclient.h"
#include "net/redact.h"
#include "providers/providererror.h"
#include "providers/requestbuilder.h"
#include "providers/responseparser.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"

#include <QTimer>

namespace ts {

namespace {

constexpr int batchIntervalMs = 33; // ~30 updates a second per view
constexpr int maxStreamRetries = 3;

nlohmann::json toolCallsJson(const QList<ToolCall> &calls)
{
    nlohmann::json list = nlohmann::json::array();
    for (const ToolCall &c : calls)
        list.push_back({{"id", sstr(c.id)},
                        {"name", sstr(c.name)},
                        {"arguments", sstr(c.arguments)},
                        {"arguments_json", c.argumentsJson}});
    return list;
}

RetryVerdict classifyFailure(ProviderKind kind, int status, const HttpHeaders &headers,
                             const QByteArray &body)
{
    if (!headerValue(headers, "x-should-retry").isEmpty())
        return Backoff::defaultClassify(status, headers, body); // the server's word wins
    return parseErrorBody(kind, status, body).retryable ? RetryVerdict::Retry : RetryVerdict::Fail;
}

} // namespace

GenerationJob::GenerationJob(GenerationSpec spec, GenerationWriter *writer, NetworkClient *network,
                             QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_writer(writer)
    , m_network(network)
    , m_batchTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setInterval(batchIntervalMs);
    connect(m_batchTimer, &QTimer::timeout, this, &GenerationJob::emitPending);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &GenerationJob::onRetryTimer);
}

GenerationJob::~GenerationJob()
{
    if (m_call)
        m_call->cancel();
}

ChatRequest GenerationJob::chatRequest() const
{
    ChatRequest r;
    r.kind = m_spec.model.provider;
    r.baseUrl = m_spec.model.baseUrl;
    r.model = m_spec.model.modelId;
    r.messages = m_spec.messages;
    r.params = m_spec.params;
    r.stream = m_spec.stream;
    return r;
}

Generation GenerationJob::baseGeneration() const
{
    Generation g;
    g.runId = m_spec.runId;
    g.testCaseId = m_spec.testCaseId;
    g.sampleIndex = m_spec.sampleIndex;
    g.variables = m_spec.variables;
    const ChatRequest request = chatRequest();
    const HttpRequest http = buildChatRequest(request, QString());
    g.request = {{"provider", sstr(providerKindName(request.kind))},
                 {"url", http.url.toStdString()},
                 {"model", sstr(request.model)},
                 {"body", parseJson(http.body.toStdString()).value_or(nlohmann::json())}};
    g.cacheKey = m_cacheKey;
    return g;
}

void GenerationJob::begin()
{
    m_clock.start();
    const ChatRequest request = chatRequest();
    m_cacheKey = RunEngine::cacheKey(request, m_spec.sampleIndex);
    const QString keyRef = m_spec.keyRefOverride.value_or(m_spec.model.keyRef);
    // Without a cache look-up, an environment (or no) key needs no trip to the writer thread.
    const bool quickKey = keyRef.isEmpty() || keyRef.startsWith(QLatin1String("env:"));
    if (!m_writer || (!m_spec.useCache && quickKey)) {
        auto key = KeyStore::resolve(keyRef);
        if (!key) {
            Generation g = baseGeneration();
            g.status = GenerationStatus::Error;
            g.finish = FinishReason::Error;
            g.error = key.error();
            QTimer::singleShot(0, this, [this, g] { complete(g); });
            return;
        }
        m_apiKey = *key;
        QTimer::singleShot(0, this, &GenerationJob::send);
        return;
    }
    m_writer->prepare(keyRef, m_spec.useCache ? m_cacheKey : QString(), this,
                      [this](GenerationWriter::Preparation prep) {
                          if (m_cancelled)
                              return;
                          if (prep.cached) {
                              Generation g = *prep.cached;
                              const Generation base = baseGeneration();
                              g.id = 0;
                              g.runId = base.runId;
                              g.testCaseId = base.testCaseId;
                              g.sampleIndex = base.sampleIndex;
                              g.variables = base.variables;
                              g.cacheHit = true;
                              g.cost = 0.0; // nothing was spent on a cached answer
                              g.latencyMs = double(m_clock.elapsed());
                              g.ttftMs = g.latencyMs;
                              g.createdAt.clear();
                              m_text = g.output;
                              m_reasoning = g.reasoning;
                              Q_EMIT progress(g.output, g.reasoning);
                              complete(g);
                              return;
                          }
                          if (!prep.apiKey) {
                              Generation g = baseGeneration();
                              g.status = GenerationStatus::Error;
                              g.finish = FinishReason::Error;
                              g.error = prep.apiKey.error();
                              complete(g);
                              return;
                          }
                          m_apiKey = *prep.apiKey;
                          send();
                      });
}

void GenerationJob::send()
{
    if (m_cancelled || m_done)
        return;
    const ChatRequest request = chatRequest();
    const HttpRequest http = buildChatRequest(request, m_apiKey);

    CallOptions options;
    options.concurrencyKey = m_spec.model.name + QLatin1Char('|') + m_spec.model.baseUrl;
    options.maxConcurrency = m_spec.model.maxConcurrency;
    if (m_spec.maxRetries || m_spec.retryCutShort) {
        options.retry.maxRetries = std::max(0, retryBudget() - m_attemptsUsed);
        options.retry.baseDelayMs = m_spec.retryBaseDelayMs;
    }
    if (m_spec.yieldWhileWaiting)
        options.retry.maxRetries = 0; // onFinished() retries, so the wait holds no slot
    // Runs on the network thread: it must not touch the job.
    options.retry.classify
        = [kind = request.kind](int status, const HttpHeaders &headers, const QByteArray &body) {
              return classifyFailure(kind, status, headers, body);
          };
    m_parser = makeResponseParser(request.kind, request.stream);
    m_call = m_network->start(http, options, this);
    connect(m_call, &HttpCall::dataReceived, this, &GenerationJob::onData);
    connect(m_call, &HttpCall::retrying, this, &GenerationJob::retrying);
    connect(m_call, &HttpCall::finished, this, &GenerationJob::onFinished);
}

void GenerationJob::onData(const QByteArray &chunk)
{
    m_parser->feed(chunk);
    const StreamDelta delta = m_parser->takeDelta();
    if (delta.text.isEmpty() && delta.reasoning.isEmpty())
        return;
    if (m_firstTokenMs < 0)
        m_firstTokenMs = m_clock.elapsed();
    m_text += delta.text;
    m_reasoning += delta.reasoning;
    m_pendingText += delta.text;
    m_pendingReasoning += delta.reasoning;
    if (!m_batchTimer->isActive())
        m_batchTimer->start();
}

void GenerationJob::emitPending()
{
    m_batchTimer->stop();
    if (m_pendingText.isEmpty() && m_pendingReasoning.isEmpty())
        return;
    const QString text = std::exchange(m_pendingText, QString());
    const QString reasoning = std::exchange(m_pendingReasoning, QString());
    Q_EMIT progress(text, reasoning);
}

void GenerationJob::onFinished(const HttpOutcome &outcome)
{
    if (m_done)
        return;
    if (m_call)
        m_call->deleteLater();
    Generation g = baseGeneration();
    if (outcome.status > 0)
        g.request["http_status"] = outcome.status;
    const ProviderKind kind = m_spec.model.provider;
    if (outcome.ok() && m_parser)
        m_parser->finish();
    const ChatResult result = m_parser ? m_parser->result() : ChatResult {};
    m_attemptsUsed += std::max(outcome.attempts, 1);
    if ((m_spec.retryCutShort || m_spec.yieldWhileWaiting) && retryCutShort(outcome, result))
        return;

    // An overload reported inside a 200 stream before any text: back off and re-send.
    if (outcome.ok() && result.error && result.error->retryable && m_text.isEmpty()
        && m_reasoning.isEmpty() && m_streamRetries < maxStreamRetries && !m_cancelled) {
        ++m_streamRetries;
        RetryPolicy policy;
        retryAfter(Backoff::delayMs(m_streamRetries, policy), result.error->displayMessage());
        return;
    }

    g.output = result.text.isEmpty() ? m_text : result.text;
    g.reasoning = result.reasoning.isEmpty() ? m_reasoning : result.reasoning;
    // A whole (non-streamed) body arrives at the end: show it as the final progress.
    if (g.output.size() > m_text.size() && g.output.startsWith(m_text)) {
        m_pendingText += g.output.mid(m_text.size());
        m_text = g.output;
    }
    if (g.reasoning.size() > m_reasoning.size() && g.reasoning.startsWith(m_reasoning)) {
        m_pendingReasoning += g.reasoning.mid(m_reasoning.size());
        m_reasoning = g.reasoning;
    }
    g.toolCalls = toolCallsJson(result.toolCalls);
    g.finishReason = result.finishReason;
    g.finish = result.finish;
    if (result.logProbs) {
        g.logProbs = result.logProbs;
        nlohmann::json list = nlohmann::json::array();
        for (double lp : *result.logProbs)
            list.push_back(lp);
        g.request["response_logprobs"] = std::move(list);
    }
    if (result.inputTokens)
        g.inputTokens = *result.inputTokens;
    if (result.outputTokens)
        g.outputTokens = *result.outputTokens;
    g.latencyMs = double(m_clock.elapsed());
    if (m_firstTokenMs >= 0)
        g.ttftMs = double(m_firstTokenMs);
    else if (!g.output.isEmpty() || !g.reasoning.isEmpty())
        g.ttftMs = g.latencyMs; // a whole body: the first token came with the last
    g.cost = m_spec.model.cost(g.inputTokens, g.outputTokens);

    if (outcome.cancelled || m_cancelled) {
        g.status = GenerationStatus::Cancelled;
        g.finish = FinishReason::Cancelled;
        g.error = Error {ErrorCode::Cancelled, QStringLiteral("Stopped by the user")};
    } else if (!outcome.ok()) {
        Error error = *outcome.error;
        if (outcome.status >= 400 && !outcome.errorBody.isEmpty()) {
            const ProviderError pe = parseErrorBody(kind, outcome.status, outcome.errorBody);
            error = pe.toError();
            if (error.code == ErrorCode::RateLimited) {
                if (auto wait = Backoff::retryAfterMs(outcome.headers))
                    error.message += QStringLiteral(" (the server asked to wait %1 s)")
                                         .arg(double(*wait) / 1000.0, 0, 'f', 1);
            }
        }
        error.message = redactSecrets(error.message);
        g.error = error;
        g.status = m_text.isEmpty() ? GenerationStatus::Error : GenerationStatus::Incomplete;
        g.finish = m_text.isEmpty() ? FinishReason::Error : FinishReason::Incomplete;
    } else if (result.error) {
        g.error = result.error->toError();
        g.status = GenerationStatus::Error;
        g.finish = FinishReason::Error;
    } else if (result.incomplete) {
        g.status = GenerationStatus::Incomplete;
        g.finish = FinishReason::Incomplete;
        g.error = Error {ErrorCode::Protocol,
                         QStringLiteral("The stream ended before %1 said it was done; the text "
                                        "may be cut short")
                             .arg(providerDisplayName(kind))};
    }
    if (m_spec.retryCutShort && g.status == GenerationStatus::Incomplete) {
        // Every attempt was cut short: an error, and the fragment is not an answer to score.
        g.status = GenerationStatus::Error;
        g.finish = FinishReason::Error;
        g.output.clear();
        g.reasoning.clear();
        g.toolCalls = nlohmann::json::array();
        if (g.error)
            g.error->message += QStringLiteral(" (the partial answer was discarded)");
    }
    if (m_spec.retryCutShort && g.error && m_attemptsUsed > 1
        && !g.error->message.contains(QLatin1String(" attempts")))
        g.error->message += QStringLiteral(" (after %1 attempts)").arg(m_attemptsUsed);
    if (g.status != GenerationStatus::Ok)
        g.cacheKey.clear(); // only complete answers may be served from the cache
    complete(g);
}

void GenerationJob::retryAfter(int delayMs, const QString &reason)
{
    Q_EMIT retrying(m_attemptsUsed, delayMs, reason);
    m_retryTimer->start(delayMs);
}

void GenerationJob::onRetryTimer()
{
    if (m_cancelled || m_done)
        return;
    if (!m_spec.yieldWhileWaiting) {
        send();
        return;
    }
    m_awaitingResume = true;
    Q_EMIT retryDue();
}

void GenerationJob::resume()
{
    if (!m_awaitingResume || m_cancelled || m_done)
        return;
    m_awaitingResume = false;
    send();
}

int GenerationJob::retryBudget() const
{
    return std::max(0, m_spec.maxRetries.value_or(RetryPolicy {}.maxRetries));
}

bool GenerationJob::retryCutShort(const HttpOutcome &outcome, const ChatResult &result)
{
    if (outcome.cancelled || m_cancelled)
        return false;
    QString reason;
    std::optional<int> serverWait;
    if (!outcome.ok()) {
        const ErrorCode code = outcome.error->code;
        if (outcome.status >= 400) {
            // Without yieldWhileWaiting the network layer already retried what it could.
            if (m_spec.yieldWhileWaiting
                && classifyFailure(m_spec.model.provider, outcome.status, outcome.headers,
                                   outcome.errorBody)
                    == RetryVerdict::Retry) {
                serverWait = Backoff::retryAfterMs(outcome.headers);
                if (!serverWait || *serverWait <= RetryPolicy {}.maxRetryAfterMs)
                    reason = outcome.error->message;
            }
        } else if (code == ErrorCode::Network || code == ErrorCode::Timeout) {
            // A connection that failed, broke or went silent. Once the answer had begun it is
            // retried only in evals (retryCutShort); a connection that never got an answer is
            // retried here when the network layer left the retries to us.
            if (m_spec.retryCutShort || outcome.bodyBytes == 0)
                reason = outcome.error->message;
        }
    } else if (!m_spec.retryCutShort) {
        return false;
    } else if (result.error && result.error->retryable) {
        reason = result.error->displayMessage();
    } else if (!result.error && result.incomplete) {
        reason = QStringLiteral("the answer from %1 was cut short")
                     .arg(providerDisplayName(m_spec.model.provider));
    }
    if (reason.isEmpty() || m_attemptsUsed > retryBudget())
        return false;
    // Start over: nothing of the broken attempt may leak into the answer.
    m_text.clear();
    m_reasoning.clear();
    m_pendingText.clear();
    m_pendingReasoning.clear();
    m_batchTimer->stop();
    m_firstTokenMs = -1;
    RetryPolicy policy;
    policy.baseDelayMs = m_spec.retryBaseDelayMs;
    retryAfter(serverWait.value_or(Backoff::delayMs(m_attemptsUsed, policy)),
               redactSecrets(reason));
    return true;
}

void GenerationJob::complete(Generation generation)
{
    if (m_done)
        return;
    m_done = true;
    emitPending();
    if (m_writer && generation.runId > 0)
        m_writer->write(generation);
    Q_EMIT finished(generation);
}

void GenerationJob::cancel()
{
    if (m_done)
        return;
    m_cancelled = true;
    m_retryTimer->stop();
    if (m_call && !m_call->isFinished()) {
        m_call->cancel(); // onFinished follows with the partial text
        return;
    }
    Generation g = baseGeneration();
    g.output = m_text;
    g.status = GenerationStatus::Cancelled;
    g.finish = FinishReason::Cancelled;
    g.error = Error {ErrorCode::Cancelled, QStringLiteral("Stopped by the user")};
    g.cacheKey.clear();
    complete(g);
}

} // namespace ts
