// The OTLP/HTTP receiver under load (issue 8: "keeps up with 2,000 spans/s posted by 8
// concurrent clients with no loss"). An in-process OtlpReceiver on a fresh project; 8 client
// threads (libcurl, keep-alive) post paced batches: half JSON, half protobuf, every other one
// gzip, three LLM calls with messages for each HTTP span around them. Two phases:
//   1. paced at the target rate for SECONDS: achieved rate as a ratio of the target, spans
//      lost (posted but not stored, or refused), request latency;
//   2. headroom: the same clients posting back to back for a few seconds, the most the
//      receiver took per second, as a ratio of the target.
// Every span is checked in the project afterwards (records and trace spans counted in SQL).
// Usage: bench_logs_receiver [--seconds 10] [--rate 2000] [--clients 8] [--batch 50]
//        [--headroom-seconds 5]. Never run by CTest.

#include "logs/receiver/otlpcodec.h"
#include "logs/receiver/otlpreceiver.h"
#include "logs/receiver/otlptrace.pb.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace ts;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options
{
    double seconds = 10;
    int rate = 2000;
    int clients = 8;
    int batch = 50;
    double headroomSeconds = 5;
};

struct Request
{
    QByteArray body;
    bool protobuf = false;
    bool gzipped = false;
    int llmSpans = 0;
    int otherSpans = 0;
};

std::string hexId(quint64 hi, quint64 lo, int bytes)
{
    char buffer[40];
    if (bytes == 16)
        std::snprintf(buffer, sizeof buffer, "%016llx%016llx", (unsigned long long)hi,
                      (unsigned long long)lo);
    else
        std::snprintf(buffer, sizeof buffer, "%016llx", (unsigned long long)lo);
    return buffer;
}

const std::string systemPrompt
    = "You are the support assistant of an online shop. Answer in two or three sentences, "
      "politely, and only about orders, deliveries, returns and refunds.";

std::string userText(quint64 n)
{
    return "Hello, my order #" + std::to_string(100000 + n)
        + " was supposed to arrive yesterday but the tracking page still says it is at the "
          "depot. Can you tell me when it will be delivered, and whether I can change the "
          "delivery address to my office instead?";
}

std::string answerText(quint64 n)
{
    return "I am sorry about the delay with order #" + std::to_string(100000 + n)
        + ". It left the depot this morning and should reach you tomorrow before noon. You "
          "can change the address from the tracking page until the courier picks it up.";
}

std::string inputMessages(quint64 n)
{
    return json::array({{{"role", "system"},
                         {"parts", json::array({{{"type", "text"}, {"content", systemPrompt}}})}},
                        {{"role", "user"},
                         {"parts", json::array({{{"type", "text"}, {"content", userText(n)}}})}}})
        .dump();
}

std::string outputMessages(quint64 n)
{
    return json::array({{{"role", "assistant"},
                         {"parts", json::array({{{"type", "text"}, {"content", answerText(n)}}})},
                         {"finish_reason", "stop"}}})
        .dump();
}

json attr(const char *key, const std::string &value)
{
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}

json intAttr(const char *key, qint64 value)
{
    return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

void protoAttr(google::protobuf::RepeatedPtrField<otlp::KeyValue> *attrs, const char *key,
               const std::string &value)
{
    otlp::KeyValue *kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_string_value(value);
}

void protoIntAttr(google::protobuf::RepeatedPtrField<otlp::KeyValue> *attrs, const char *key,
                  qint64 value)
{
    otlp::KeyValue *kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_int_value(value);
}

/// One request of `spans` spans: per trace, an HTTP server span and three LLM calls under it.
Request buildRequest(int client, quint64 firstSpan, int spans, bool protobuf, bool gzipped)
{
    Request r;
    r.protobuf = protobuf;
    r.gzipped = gzipped;
    const quint64 startNs = 1767225600000000000ull + firstSpan * 1000000ull;
    json jsonSpans = json::array();
    otlp::ExportTraceServiceRequest proto;
    otlp::ScopeSpans *scope = nullptr;
    if (protobuf) {
        otlp::ResourceSpans *rs = proto.add_resource_spans();
        protoAttr(rs->mutable_resource()->mutable_attributes(), "service.name", "shop");
        scope = rs->add_scope_spans();
        scope->mutable_scope()->set_name("bench");
    }
    for (int i = 0; i < spans; ++i) {
        const quint64 n = firstSpan + quint64(i);
        const quint64 traceNo = n / 4;
        const std::string trace = hexId(quint64(client + 1), traceNo + 1, 16);
        const std::string parent = hexId(0, (traceNo + 1) << 8, 8);
        const bool http = n % 4 == 0;
        const std::string span = http ? parent : hexId(0, ((traceNo + 1) << 8) | (n % 4), 8);
        const quint64 s = startNs + quint64(i) * 1000ull;
        const quint64 e = s + 850000000ull;
        if (http)
            ++r.otherSpans;
        else
            ++r.llmSpans;
        if (protobuf) {
            otlp::Span *p = scope->add_spans();
            p->set_trace_id(QByteArray::fromHex(QByteArray::fromStdString(trace)).toStdString());
            p->set_span_id(QByteArray::fromHex(QByteArray::fromStdString(span)).toStdString());
            p->set_start_time_unix_nano(s);
            p->set_end_time_unix_nano(e);
            if (http) {
                p->set_name("POST /support/chat");
                p->set_kind(otlp::Span::SPAN_KIND_SERVER);
                protoAttr(p->mutable_attributes(), "http.request.method", "POST");
                protoIntAttr(p->mutable_attributes(), "http.response.status_code", 200);
                continue;
            }
            p->set_parent_span_id(
                QByteArray::fromHex(QByteArray::fromStdString(parent)).toStdString());
            p->set_name("chat gpt-4o-mini");
            p->set_kind(otlp::Span::SPAN_KIND_CLIENT);
            auto *a = p->mutable_attributes();
            protoAttr(a, "gen_ai.operation.name", "chat");
            protoAttr(a, "gen_ai.provider.name", "openai");
            protoAttr(a, "gen_ai.request.model", "gpt-4o-mini");
            protoAttr(a, "gen_ai.response.model", "gpt-4o-mini-2024-07-18");
            protoAttr(a, "gen_ai.input.messages", inputMessages(n));
            protoAttr(a, "gen_ai.output.messages", outputMessages(n));
            protoIntAttr(a, "gen_ai.usage.input_tokens", 96);
            protoIntAttr(a, "gen_ai.usage.output_tokens", 48);
            continue;
        }
        json j = {{"traceId", trace},
                  {"spanId", span},
                  {"startTimeUnixNano", std::to_string(s)},
                  {"endTimeUnixNano", std::to_string(e)}};
        if (http) {
            j["name"] = "POST /support/chat";
            j["kind"] = 2;
            j["attributes"] = json::array(
                {attr("http.request.method", "POST"), intAttr("http.response.status_code", 200)});
        } else {
            j["parentSpanId"] = parent;
            j["name"] = "chat gpt-4o-mini";
            j["kind"] = 3;
            j["attributes"] = json::array({attr("gen_ai.operation.name", "chat"),
                                           attr("gen_ai.provider.name", "openai"),
                                           attr("gen_ai.request.model", "gpt-4o-mini"),
                                           attr("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
                                           attr("gen_ai.input.messages", inputMessages(n)),
                                           attr("gen_ai.output.messages", outputMessages(n)),
                                           intAttr("gen_ai.usage.input_tokens", 96),
                                           intAttr("gen_ai.usage.output_tokens", 48)});
        }
        jsonSpans.push_back(std::move(j));
    }
    if (protobuf) {
        r.body = QByteArray::fromStdString(proto.SerializeAsString());
    } else {
        const json request
            = {{"resourceSpans",
                json::array(
                    {{{"resource", {{"attributes", json::array({attr("service.name", "shop")})}}},
                      {"scopeSpans",
                       json::array({{{"scope", {{"name", "bench"}}},
                                     {"spans", std::move(jsonSpans)}}})}}})}};
        r.body = QByteArray::fromStdString(request.dump());
    }
    if (gzipped)
        r.body = gzip(r.body);
    return r;
}

size_t collect(char *data, size_t size, size_t n, void *out)
{
    static_cast<std::string *>(out)->append(data, size * n);
    return size * n;
}

struct ClientResult
{
    qint64 llmPosted = 0;
    qint64 otherPosted = 0;
    qint64 spansRefused = 0; ///< in requests not answered 200 with nothing rejected
    qint64 requests = 0;
    qint64 failures = 0;
    std::vector<double> latenciesMs;
    double maxSlipMs = 0; ///< how late a request left against its schedule
    /// From the client's first scheduled send to its last answer, but at least the length of
    /// its schedule (N requests x interval): keeping up exactly reads as the target rate.
    double seconds = 0;
};

/// Posts `requests` one after another, each at its scheduled time (or at once when
/// `interval` is zero).
ClientResult runClient(const std::string &url, const std::vector<Request> &requests,
                       Clock::time_point start, std::chrono::duration<double> interval,
                       Clock::time_point stopAt)
{
    ClientResult result;
    CURL *curl = curl_easy_init();
    std::string answer;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    for (size_t i = 0; i < requests.size(); ++i) {
        const Clock::time_point due
            = start + std::chrono::duration_cast<Clock::duration>(interval * double(i));
        if (due > Clock::now())
            std::this_thread::sleep_until(due);
        if (Clock::now() >= stopAt)
            break;
        const Request &r = requests[i];
        curl_slist *headers = nullptr;
        headers = curl_slist_append(headers,
                                    r.protobuf ? "Content-Type: application/x-protobuf"
                                               : "Content-Type: application/json");
        if (r.gzipped)
            headers = curl_slist_append(headers, "Content-Encoding: gzip");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r.body.constData());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.size()));
        answer.clear();
        const Clock::time_point sent = Clock::now();
        result.maxSlipMs = std::max(result.maxSlipMs,
                                    std::chrono::duration<double, std::milli>(sent - due).count());
        const CURLcode rc = curl_easy_perform(curl);
        const Clock::time_point done = Clock::now();
        curl_slist_free_all(headers);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        ++result.requests;
        result.llmPosted += r.llmSpans;
        result.otherPosted += r.otherSpans;
        // Everything accepted: 200 with partialSuccess unset ("{}" in JSON, empty protobuf).
        const bool accepted
            = rc == CURLE_OK && status == 200 && (r.protobuf ? answer.empty() : answer == "{}");
        if (!accepted) {
            ++result.failures;
            result.spansRefused += r.llmSpans + r.otherSpans;
            std::fprintf(stderr, "request failed: curl %d, HTTP %ld, %s\n", int(rc), status,
                         answer.substr(0, 200).c_str());
        }
        result.latenciesMs.push_back(
            std::chrono::duration<double, std::milli>(done - sent).count());
        result.seconds = std::max(std::chrono::duration<double>(done - start).count(),
                                  interval.count() * double(i + 1));
    }
    curl_easy_cleanup(curl);
    return result;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

long peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

qint64 countRows(Database &db, const char *sql)
{
    auto st = db.prepare(QString::fromUtf8(sql));
    if (!st || !st->step().value_or(false))
        return -1;
    return st->int64(0);
}

struct PhaseResult
{
    qint64 llmPosted = 0;
    qint64 otherPosted = 0;
    qint64 refused = 0;
    qint64 requests = 0;
    qint64 failures = 0;
    double seconds = 0;
    double maxSlipMs = 0;
    std::vector<double> latencies;
};

/// Runs the clients on their own threads while the receiver's owner thread (this one) keeps
/// its event loop turning.
PhaseResult runPhase(const std::string &url, const Options &o,
                     const std::vector<std::vector<Request>> &work, double intervalSeconds,
                     double maxSeconds)
{
    const Clock::time_point start = Clock::now() + std::chrono::milliseconds(50);
    const Clock::time_point stopAt = start
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(maxSeconds));
    std::vector<ClientResult> results(size_t(o.clients));
    std::vector<std::thread> threads;
    std::atomic<int> running {o.clients};
    for (int c = 0; c < o.clients; ++c)
        threads.emplace_back([&, c] {
            // Clients start staggered across one interval, as independent apps would.
            const auto offset = std::chrono::duration<double>(intervalSeconds * c / o.clients);
            results[size_t(c)] = runClient(
                url, work[size_t(c)], start + std::chrono::duration_cast<Clock::duration>(offset),
                std::chrono::duration<double>(intervalSeconds), stopAt);
            running.fetch_sub(1);
        });
    while (running.load() > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    for (std::thread &t : threads)
        t.join();
    PhaseResult p;
    for (const ClientResult &r : results) {
        p.llmPosted += r.llmPosted;
        p.otherPosted += r.otherPosted;
        p.refused += r.spansRefused;
        p.requests += r.requests;
        p.failures += r.failures;
        p.latencies.insert(p.latencies.end(), r.latenciesMs.begin(), r.latenciesMs.end());
        p.seconds = std::max(p.seconds, r.seconds);
        p.maxSlipMs = std::max(p.maxSlipMs, r.maxSlipMs);
    }
    return p;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString &name = args[i];
        const double value = args[i + 1].toDouble();
        if (name == QLatin1String("--seconds"))
            o.seconds = value;
        else if (name == QLatin1String("--rate"))
            o.rate = int(value);
        else if (name == QLatin1String("--clients"))
            o.clients = int(value);
        else if (name == QLatin1String("--batch"))
            o.batch = int(value);
        else if (name == QLatin1String("--headroom-seconds"))
            o.headroomSeconds = value;
        else {
            std::fprintf(stderr,
                         "usage: bench_logs_receiver [--seconds S] [--rate SPANS_PER_S] "
                         "[--clients N] [--batch SPANS] [--headroom-seconds S]\n");
            return 2;
        }
    }
    if (o.seconds <= 0 || o.rate <= 0 || o.clients <= 0 || o.batch <= 0) {
        std::fprintf(stderr, "every option must be positive\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("receiver.touchstone"));
    auto project = Project::create(path);
    if (!project) {
        std::fprintf(stderr, "cannot create project: %s\n", qPrintable(project.error().message));
        return 1;
    }
    OtlpReceiver receiver;
    OtlpReceiverOptions options;
    options.port = 0;
    if (auto ok = receiver.start(*project, options); !ok) {
        std::fprintf(stderr, "cannot start the receiver: %s\n", qPrintable(ok.error().message));
        return 1;
    }
    const std::string url = receiver.endpoint().toStdString();

    // Every request built before the clock starts, so the clients cost the receiver little CPU.
    const double perClientRate = double(o.rate) / o.clients;
    const double interval = o.batch / perClientRate;
    const int pacedRequests = int(o.seconds / interval + 0.5);
    const int headroomRequests = int(o.headroomSeconds * o.rate * 4 / o.clients / o.batch) + 1;
    std::vector<std::vector<Request>> paced(size_t(o.clients));
    std::vector<std::vector<Request>> headroom(size_t(o.clients));
    quint64 next = 0;
    qint64 bodyBytes = 0;
    for (int c = 0; c < o.clients; ++c) {
        const bool protobuf = c % 2 == 1;
        const bool gzipped = (c / 2) % 2 == 1;
        for (int i = 0; i < pacedRequests; ++i, next += quint64(o.batch)) {
            paced[size_t(c)].push_back(buildRequest(c, next, o.batch, protobuf, gzipped));
            bodyBytes += paced[size_t(c)].back().body.size();
        }
        for (int i = 0; i < headroomRequests; ++i, next += quint64(o.batch))
            headroom[size_t(c)].push_back(buildRequest(c, next, o.batch, protobuf, gzipped));
    }
    std::printf("OTLP/HTTP receiver on %s: %d clients (JSON and protobuf, gzip and not), %d spans "
                "per request (3 LLM calls with messages per HTTP span), %.1f KiB per request on "
                "average\n",
                url.c_str(), o.clients, o.batch,
                double(bodyBytes) / double(std::max(1, pacedRequests * o.clients)) / 1024.0);

    // Phase 1: the target rate.
    const PhaseResult p1 = runPhase(url, o, paced, interval, o.seconds * 3);
    const OtlpReceiverCounters afterPaced = receiver.counters();
    const qint64 posted1 = p1.llmPosted + p1.otherPosted;
    const qint64 stored1 = afterPaced.records + afterPaced.notLlm;
    const double achieved = double(stored1) / std::max(1e-9, p1.seconds);
    std::printf("\nPaced: %lld spans in %lld requests over %.2f s (target %d spans/s for %.0f s)\n",
                (long long)posted1, (long long)p1.requests, p1.seconds, o.rate, o.seconds);
    std::printf("  stored %lld (%lld LLM calls, %lld other spans), lost %lld, refused requests "
                "%lld\n",
                (long long)stored1, (long long)afterPaced.records, (long long)afterPaced.notLlm,
                (long long)(posted1 - stored1), (long long)p1.failures);
    std::printf("  achieved %.0f spans/s = %.3fx the target rate (goal: >= 1.0x with 0 lost)\n",
                achieved, achieved / o.rate);
    std::printf("  request latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; latest "
                "send %.1f ms behind schedule\n",
                percentile(p1.latencies, 0.5), percentile(p1.latencies, 0.95),
                percentile(p1.latencies, 0.99), percentile(p1.latencies, 1.0), p1.maxSlipMs);

    // Phase 2: headroom, back to back.
    PhaseResult p2;
    if (o.headroomSeconds > 0) {
        p2 = runPhase(url, o, headroom, 0.0, o.headroomSeconds);
        const OtlpReceiverCounters total = receiver.counters();
        const qint64 stored2 = total.records + total.notLlm - stored1;
        const double most = double(stored2) / std::max(1e-9, p2.seconds);
        std::printf("\nBack to back for %.1f s: %lld spans stored (%lld posted) = %.0f spans/s = "
                    "%.2fx the target rate\n",
                    p2.seconds, (long long)stored2, (long long)(p2.llmPosted + p2.otherPosted),
                    most, most / o.rate);
        std::printf("  request latency p50 %.1f ms, p99 %.1f ms\n", percentile(p2.latencies, 0.5),
                    percentile(p2.latencies, 0.99));
    }

    receiver.stop();
    const OtlpReceiverCounters c = receiver.counters();
    // What is in the file, counted by SQLite rather than by the receiver.
    const qint64 records = countRows(project->db(), "SELECT count(*) FROM logs");
    const qint64 spans = countRows(project->db(), "SELECT count(*) FROM trace_spans");
    const qint64 expectedRecords = p1.llmPosted + p2.llmPosted;
    const qint64 expectedSpans = p1.otherPosted + p2.otherPosted;
    const qint64 lost = (expectedRecords - records) + (expectedSpans - spans);
    std::printf("\nIn the project: %lld records (expected %lld), %lld trace spans (expected "
                "%lld); duplicates %lld, rejected %lld, 4xx %lld, 5xx %lld\n",
                (long long)records, (long long)expectedRecords, (long long)spans,
                (long long)expectedSpans, (long long)c.duplicates, (long long)c.rejected,
                (long long)c.badRequests, (long long)c.failedRequests);
    std::printf("Lost spans: %lld%s; peak RSS %ld MB\n", (long long)lost,
                lost == 0 ? " (goal met: no loss)" : " (GOAL MISSED)", peakRssMb());
    curl_global_cleanup();
    return lost == 0 && p1.failures == 0 ? 0 : 1;
}
