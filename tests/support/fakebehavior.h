#pragma once

#include <QString>

#include <optional>

namespace ts::test {

/// What a fake request should go wrong with.
enum class FakeFault {
    None,
    Status, ///< answer `status` (429, 500, 503, 529, 401, 403, 404, 400…) with the API's error JSON
    Quota, ///< 429 whose body says insufficient_quota
    Drop, ///< stream `afterTokens` tokens (a whole body: half of it), then drop the connection
    Stall, ///< like Drop, then send nothing more (keep the socket open)
    Trickle, ///< stream everything, one token every `trickleMs`
    StreamError, ///< stream `afterTokens` tokens, then the API's mid-stream error event
    Hang, ///< read the request and never answer (no first byte)
    Reset, ///< read the request and drop the connection without answering
    /// End the answer early but cleanly: a stream stops after `afterTokens` tokens without its
    /// closing events; a whole body is cut in half (its content-length says so).
    Truncate,
};

/// How the fake server answers one request. Comes from the server's configuration, the
/// model name (`fake-small+fault=429,retry-after=1,times=2`, or `fault-429`), the
/// `x-fake-fault` request header and a `[fake:fault=500]` marker anywhere in a chat request's
/// body (so one test case of a dataset can fault), later ones overriding earlier ones.
struct FakeBehavior
{
    FakeFault fault = FakeFault::None;
    int status = 0;
    int retryAfterSec = -1; ///< sends `retry-after: N` with a status fault when >= 0
    int retryAfterMs = -1; ///< sends `retry-after-ms: N` with a status fault when >= 0
    int failTimes = -1; ///< fault only the first N requests for this model; -1 = always
    /// With failTimes: count per distinct request body ("each"), so every different request
    /// faults its first N times.
    bool perRequest = false;
    int afterTokens = 2; ///< tokens streamed before Drop, Stall or StreamError
    int trickleMs = 200;
    std::optional<int> outputTokens;
    std::optional<int> latencyMs;
    std::optional<double> tokensPerSec;

    /// Applies `key=value,key=value` settings: fault=<429|500|503|529|401|403|404|quota|
    /// drop|stall|trickle|stream-error|hang|reset|truncate>, retry-after, retry-after-ms, times,
    /// each, after, trickle-ms, tokens, latency-ms, tps. Unknown keys are ignored.
    void apply(const QString &spec);
};

/// Splits a model name into the base model and the behaviour it asks for:
/// "fake-small+fault=429,times=2" → {"fake-small", 429 twice}; "fault-503" → 503.
std::pair<QString, FakeBehavior> parseModelSpec(const QString &model, FakeBehavior base = {});

} // namespace ts::test
