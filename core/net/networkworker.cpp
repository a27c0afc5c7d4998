#include "net/networkworker.h"

#include "net/backoff.h"
#include "net/callchannel.h"
#include "net/httperrors.h"
#include "net/redact.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace ts::detail {

namespace {

struct EasyDeleter
{
    void operator()(CURL *easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter
{
    void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

constexpr qsizetype maxErrorBody = 256 * 1024;
constexpr qint64 maxPollMs = 1000;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

CURLM *asMulti(void *multi)
{
    return static_cast<CURLM *>(multi);
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

} // namespace

struct Transfer
{
    enum class Phase { Queued, Running, Waiting, Done };

    std::shared_ptr<CallChannel> channel;
    HttpRequest request;
    CallOptions options;
    QList<QByteArray> secrets;
    QString host;
    EasyPtr easy;
    SlistPtr headerList;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    Phase phase = Phase::Queued;
    bool holdsSlot = false;
    int attempts = 0;
    qint64 submittedAt = 0;
    qint64 attemptStartedAt = 0;
    qint64 retryDueAt = 0;
    qint64 firstByteAt = -1;
    qint64 lastByteAt = -1;
    int status = 0;
    HttpHeaders headers;
    QByteArray errorBody;
    QByteArray collected;
    qint64 bodyBytes = 0;
    bool started = false;
    std::optional<Error> error;
    bool cancelled = false;

    void touch()
    {
        lastByteAt = nowMs();
        if (firstByteAt < 0)
            firstByteAt = lastByteAt;
    }
};

namespace {

size_t onHeader(char *data, size_t size, size_t count, void *user)
{
    auto *transfer = static_cast<Transfer *>(user);
    const size_t length = size * count;
    transfer->touch();
    const QByteArray line = QByteArray(data, qsizetype(length)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new response (an interim 1xx or the real one): start its headers afresh.
        transfer->headers.clear();
        const QList<QByteArray> parts = line.split(' ');
        transfer->status = parts.size() > 1 ? parts.at(1).toInt() : 0;
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        transfer->headers.append(
            {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return length;
}

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    auto *transfer = static_cast<Transfer *>(user);
    const size_t length = size * count;
    transfer->touch();
    if (isSuccess(transfer->status)) {
        if (!transfer->started) {
            transfer->started = true;
            CallEvent event;
            event.kind = CallEvent::Kind::Started;
            event.status = transfer->status;
            event.headers = transfer->headers;
            transfer->channel->push(std::move(event));
        }
        CallEvent event;
        event.kind = CallEvent::Kind::Data;
        event.data = QByteArray(data, qsizetype(length));
        if (transfer->options.collectBody)
            transfer->collected.append(event.data);
        transfer->bodyBytes += qint64(length);
        transfer->channel->push(std::move(event));
    } else if (transfer->errorBody.size() < maxErrorBody) {
        transfer->errorBody.append(data, qsizetype(length));
    }
    return length;
}

} // namespace

NetworkWorker::NetworkWorker()
{
    static std::once_flag globalInit;
    std::call_once(globalInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_multi = curl_multi_init();
    curl_multi_setopt(asMulti(m_multi), CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    m_thread = std::thread([this] { run(); });
}

NetworkWorker::~NetworkWorker()
{
    m_stop = true;
    wake();
    m_thread.join();
    curl_multi_cleanup(asMulti(m_multi));
}

void NetworkWorker::submit(std::shared_ptr<CallChannel> channel, const HttpRequest &request,
                           const CallOptions &options)
{
    {
        std::lock_guard lock(m_commandMutex);
        m_commands.push_back(Command {std::move(channel), request, options, 0});
    }
    wake();
}

void NetworkWorker::requestCancel(quint64 id)
{
    {
        std::lock_guard lock(m_commandMutex);
        m_commands.push_back(Command {nullptr, {}, {}, id});
    }
    wake();
}

void NetworkWorker::wake()
{
    curl_multi_wakeup(asMulti(m_multi));
}

void NetworkWorker::run()
{
    while (!m_stop) {
        takeCommands();
        int running = 0;
        curl_multi_perform(asMulti(m_multi), &running);
        readMessages();
        const qint64 now = nowMs();
        qint64 nextWake = now + maxPollMs;
        checkDeadlines(now, nextWake);
        const int waitMs = int(std::clamp<qint64>(nextWake - nowMs(), 0, maxPollMs));
        curl_multi_poll(asMulti(m_multi), nullptr, 0, waitMs, nullptr);
    }
    shutdown();
}

void NetworkWorker::takeCommands()
{
    std::vector<Command> commands;
    {
        std::lock_guard lock(m_commandMutex);
        commands.swap(m_commands);
    }
    for (Command &command : commands) {
        if (!command.channel) {
            cancel(command.cancelId);
            continue;
        }
        auto transfer = std::make_unique<Transfer>();
        transfer->channel = std::move(command.channel);
        transfer->request = std::move(command.request);
        transfer->options = std::move(command.options);
        transfer->secrets = secretsOf(transfer->request);
        transfer->host = hostLabel(transfer->request.url);
        transfer->submittedAt = nowMs();
        admit(std::move(transfer));
    }
}

void NetworkWorker::admit(std::unique_ptr<Transfer> owned)
{
    Transfer &transfer = *owned;
    const quint64 id = transfer.channel->id;
    m_transfers.emplace(id, std::move(owned));
    const QString &key = transfer.options.concurrencyKey;
    if (!key.isEmpty() && transfer.options.maxConcurrency > 0) {
        KeyState &state = m_keys[key];
        if (state.active >= transfer.options.maxConcurrency) {
            transfer.phase = Transfer::Phase::Queued;
            state.waiting.push_back(id);
            return;
        }
        ++state.active;
        transfer.holdsSlot = true;
    }
    startAttempt(transfer);
}

void NetworkWorker::startAttempt(Transfer &transfer)
{
    ++transfer.attempts;
    transfer.status = 0;
    transfer.headers.clear();
    transfer.errorBody.clear();
    transfer.firstByteAt = -1;
    transfer.lastByteAt = -1;
    transfer.errorBuffer[0] = '\0';
    transfer.attemptStartedAt = nowMs();
    transfer.easy.reset(curl_easy_init());
    CURL *easy = transfer.easy.get();
    const HttpRequest &request = transfer.request;

    curl_easy_setopt(easy, CURLOPT_URL, request.url.constData());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(transfer.options.connectTimeoutMs));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);

    const QByteArray method = request.method.toUpper();
    if (method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        if (method == "HEAD")
            curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        else if (method != "POST")
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.constData());
        if (method == "POST" || !request.body.isEmpty()) {
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.constData());
        }
    }

    curl_slist *list = nullptr;
    for (const auto &[name, value] : request.headers) {
        const QByteArray line = name + ": " + value;
        list = curl_slist_append(list, line.constData());
    }
    // A 100-continue round trip only adds latency for the small JSON bodies we send.
    list = curl_slist_append(list, "Expect:");
    transfer.headerList.reset(list);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);

    transfer.phase = Transfer::Phase::Running;
    curl_multi_add_handle(asMulti(m_multi), easy);
}

void NetworkWorker::readMessages()
{
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(asMulti(m_multi), &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode code = message->data.result;
        Transfer *transfer = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &transfer);
        curl_multi_remove_handle(asMulti(m_multi), easy);
        if (transfer)
            attemptEnded(*transfer, int(code));
    }
}

void NetworkWorker::checkDeadlines(qint64 now, qint64 &nextWakeMs)
{
    std::vector<Transfer *> due;
    std::vector<Transfer *> expired;
    for (auto &[id, owned] : m_transfers) {
        Transfer &transfer = *owned;
        if (transfer.phase == Transfer::Phase::Waiting) {
            if (now >= transfer.retryDueAt)
                due.push_back(&transfer);
            else
                nextWakeMs = std::min(nextWakeMs, transfer.retryDueAt);
            continue;
        }
        if (transfer.phase != Transfer::Phase::Running)
            continue;
        qint64 deadline = 0;
        if (transfer.firstByteAt < 0) {
            curl_off_t sentUs = 0;
            curl_easy_getinfo(transfer.easy.get(), CURLINFO_PRETRANSFER_TIME_T, &sentUs);
            // Until the request is out only the connect timeout applies; the earliest the
            // first-byte deadline can be is one full timeout after the attempt began.
            deadline
                = transfer.attemptStartedAt + sentUs / 1000 + transfer.options.firstByteTimeoutMs;
            if (sentUs > 0 && now >= deadline) {
                transfer.error = Error {
                    ErrorCode::Timeout,
                    QStringLiteral("No response from %1 within %2")
                        .arg(transfer.host, formatSeconds(transfer.options.firstByteTimeoutMs))};
                expired.push_back(&transfer);
                continue;
            }
        } else {
            deadline = transfer.lastByteAt + transfer.options.idleTimeoutMs;
            if (now >= deadline) {
                transfer.error = Error {
                    ErrorCode::Timeout,
                    QStringLiteral("Stream from %1 stalled: no data for %2")
                        .arg(transfer.host, formatSeconds(transfer.options.idleTimeoutMs))};
                expired.push_back(&transfer);
                continue;
            }
        }
        nextWakeMs = std::min(nextWakeMs, std::max(deadline, now + 1));
    }
    for (Transfer *transfer : expired) {
        curl_multi_remove_handle(asMulti(m_multi), transfer->easy.get());
        finish(*transfer);
    }
    for (Transfer *transfer : due)
        resumeAfterWait(*transfer);
}

void NetworkWorker::resumeAfterWait(Transfer &transfer)
{
    // The slot was handed back for the wait; a retry goes ahead of calls not yet started, so a
    // busy key cannot starve it.
    const QString &key = transfer.options.concurrencyKey;
    if (!key.isEmpty() && transfer.options.maxConcurrency > 0) {
        KeyState &state = m_keys[key];
        if (state.active >= transfer.options.maxConcurrency) {
            transfer.phase = Transfer::Phase::Queued;
            state.waiting.push_front(transfer.channel->id);
            return;
        }
        ++state.active;
        transfer.holdsSlot = true;
    }
    startAttempt(transfer);
}

void NetworkWorker::attemptEnded(Transfer &transfer, int curlCode)
{
    const auto code = CURLcode(curlCode);
    const RetryPolicy &policy = transfer.options.retry;
    const bool retriesLeft = transfer.attempts <= policy.maxRetries;
    if (code == CURLE_OK && isSuccess(transfer.status)) {
        finish(transfer);
        return;
    }
    if (code == CURLE_OK) {
        const RetryVerdict verdict = policy.classify
            ? policy.classify(transfer.status, transfer.headers, transfer.errorBody)
            : Backoff::defaultClassify(transfer.status, transfer.headers, transfer.errorBody);
        const std::optional<int> wait = Backoff::retryAfterMs(transfer.headers);
        const bool waitAcceptable = !wait || *wait <= policy.maxRetryAfterMs;
        if (verdict == RetryVerdict::Retry && retriesLeft && waitAcceptable) {
            const QString excerpt = bodyExcerpt(transfer.errorBody);
            QString reason
                = QStringLiteral("HTTP %1 from %2").arg(transfer.status).arg(transfer.host);
            if (!excerpt.isEmpty())
                reason += QStringLiteral(": ") + excerpt;
            scheduleRetry(transfer, wait ? *wait : Backoff::delayMs(transfer.attempts, policy),
                          reason);
            return;
        }
        transfer.error = statusError(transfer.status, transfer.headers, transfer.errorBody,
                                     transfer.host, transfer.attempts);
        finish(transfer);
        return;
    }
    const QString curlMessage = transfer.errorBuffer[0]
        ? QString::fromUtf8(transfer.errorBuffer)
        : QString::fromUtf8(curl_easy_strerror(code));
    if (!transfer.started && isConnectionFailure(code) && retriesLeft) {
        const Error error = transferError(code, curlMessage, transfer.host, false, 0,
                                          transfer.options.connectTimeoutMs, 1);
        scheduleRetry(transfer, Backoff::delayMs(transfer.attempts, policy), error.message);
        return;
    }
    transfer.error
        = transferError(code, curlMessage, transfer.host, transfer.started, transfer.bodyBytes,
                        transfer.options.connectTimeoutMs, transfer.attempts);
    finish(transfer);
}

void NetworkWorker::scheduleRetry(Transfer &transfer, int delayMs, const QString &reason)
{
    transfer.easy.reset();
    transfer.headerList.reset();
    transfer.phase = Transfer::Phase::Waiting;
    transfer.retryDueAt = nowMs() + delayMs;
    CallEvent event;
    event.kind = CallEvent::Kind::Retrying;
    event.attempt = transfer.attempts;
    event.delayMs = delayMs;
    event.reason = redactSecrets(reason, transfer.secrets);
    transfer.channel->push(std::move(event));
    // A call sleeping out a backoff sends nothing: its slot serves a waiting call meanwhile.
    releaseSlot(transfer);
}

void NetworkWorker::finish(Transfer &transfer)
{
    const qint64 now = nowMs();
    if (!transfer.error && !transfer.started && isSuccess(transfer.status)) {
        CallEvent started;
        started.kind = CallEvent::Kind::Started;
        started.status = transfer.status;
        started.headers = transfer.headers;
        transfer.channel->push(std::move(started));
    }
    CallEvent event;
    event.kind = CallEvent::Kind::Finished;
    HttpOutcome &outcome = event.outcome;
    outcome.status = transfer.status;
    outcome.headers = transfer.headers;
    outcome.errorBody = transfer.errorBody;
    outcome.body = transfer.collected;
    outcome.error = transfer.error;
    if (outcome.error)
        outcome.error->message = redactSecrets(outcome.error->message, transfer.secrets);
    outcome.cancelled = transfer.cancelled;
    outcome.attempts = transfer.attempts;
    outcome.bodyBytes = transfer.bodyBytes;
    outcome.firstByteMs
        = transfer.firstByteAt >= 0 ? transfer.firstByteAt - transfer.attemptStartedAt : -1;
    outcome.totalMs = now - transfer.submittedAt;
    transfer.channel->push(std::move(event));
    transfer.channel->detachWorker();

    releaseSlot(transfer);
    transfer.phase = Transfer::Phase::Done;
    m_transfers.erase(transfer.channel->id); // destroys `transfer`
}

void NetworkWorker::cancel(quint64 id)
{
    const auto found = m_transfers.find(id);
    if (found == m_transfers.end())
        return;
    Transfer &transfer = *found->second;
    if (transfer.phase == Transfer::Phase::Running) {
        curl_multi_remove_handle(asMulti(m_multi), transfer.easy.get());
    } else if (transfer.phase == Transfer::Phase::Queued) {
        auto state = m_keys.find(transfer.options.concurrencyKey);
        if (state != m_keys.end())
            std::erase(state->second.waiting, id);
    }
    transfer.cancelled = true;
    transfer.error = Error {ErrorCode::Cancelled,
                            QStringLiteral("Request to %1 was cancelled").arg(transfer.host)};
    finish(transfer);
}

void NetworkWorker::releaseSlot(Transfer &transfer)
{
    if (!transfer.holdsSlot)
        return;
    transfer.holdsSlot = false;
    const auto found = m_keys.find(transfer.options.concurrencyKey);
    if (found == m_keys.end())
        return;
    KeyState &state = found->second;
    --state.active;
    while (state.active < transfer.options.maxConcurrency && !state.waiting.empty()) {
        const quint64 next = state.waiting.front();
        state.waiting.pop_front();
        const auto waiting = m_transfers.find(next);
        if (waiting == m_transfers.end())
            continue;
        ++state.active;
        waiting->second->holdsSlot = true;
        startAttempt(*waiting->second);
    }
    if (state.active == 0 && state.waiting.empty())
        m_keys.erase(found);
}

void NetworkWorker::shutdown()
{
    std::vector<Command> commands;
    {
        std::lock_guard lock(m_commandMutex);
        commands.swap(m_commands);
    }
    for (Command &command : commands) {
        if (!command.channel)
            continue;
        CallEvent event;
        event.kind = CallEvent::Kind::Finished;
        event.outcome.cancelled = true;
        event.outcome.error
            = Error {ErrorCode::Cancelled, QStringLiteral("The network client was shut down")};
        command.channel->push(std::move(event));
        command.channel->detachWorker();
    }
    while (!m_transfers.empty()) {
        Transfer &transfer = *m_transfers.begin()->second;
        if (transfer.phase == Transfer::Phase::Running)
            curl_multi_remove_handle(asMulti(m_multi), transfer.easy.get());
        transfer.holdsSlot = false; // nothing may start any more
        transfer.cancelled = true;
        transfer.error
            = Error {ErrorCode::Cancelled, QStringLiteral("The network client was shut down")};
        finish(transfer);
    }
}

} // namespace ts::detail
