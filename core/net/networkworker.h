#pragma once

// Internal: the network thread behind NetworkClient.

#include "common/httprequest.h"
#include "net/calloptions.h"

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ts::detail {

struct CallChannel;
struct Transfer;

/// Owns the thread, the libcurl multi handle and every transfer. Callers talk to it only
/// through submit()/requestCancel(), which queue a command and wake the thread.
class NetworkWorker final
{
public:
    NetworkWorker();
    ~NetworkWorker();
    NetworkWorker(const NetworkWorker &) = delete;
    NetworkWorker &operator=(const NetworkWorker &) = delete;

    quint64 nextId() { return ++m_lastId; }
    void submit(std::shared_ptr<CallChannel> channel, const HttpRequest &request,
                const CallOptions &options);
    void requestCancel(quint64 id);

private:
    struct Command
    {
        std::shared_ptr<CallChannel> channel; // set for a new call
        HttpRequest request;
        CallOptions options;
        quint64 cancelId = 0; // set for a cancel
    };
    struct KeyState
    {
        int active = 0;
        std::deque<quint64> waiting;
    };

    void run();
    void wake();
    void takeCommands();
    void admit(std::unique_ptr<Transfer> transfer);
    void startAttempt(Transfer &transfer);
    void readMessages();
    void checkDeadlines(qint64 now, qint64 &nextWakeMs);
    void attemptEnded(Transfer &transfer, int curlCode);
    void scheduleRetry(Transfer &transfer, int delayMs, const QString &reason);
    void resumeAfterWait(Transfer &transfer);
    void finish(Transfer &transfer);
    void cancel(quint64 id);
    void releaseSlot(Transfer &transfer);
    void shutdown();

    void *m_multi = nullptr; // CURLM*, kept opaque so the header needs no curl include
    std::mutex m_commandMutex;
    std::vector<Command> m_commands;
    std::atomic<bool> m_stop {false};
    std::atomic<quint64> m_lastId {0};
    std::map<quint64, std::unique_ptr<Transfer>> m_transfers;
    std::map<QString, KeyState> m_keys;
    std::thread m_thread;
};

} // namespace ts::detail
