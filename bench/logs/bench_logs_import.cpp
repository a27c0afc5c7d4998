// `touchstone-cli logs import` against the floor of parsing the same file with nlohmann-json
// alone. Writes N OTLP/JSON Lines records (one TracesData with one GenAI chat span per line,
// system instructions + user message + output as the current conventions carry them, about
// 1.5 KB each: 100,000 records are ~150 MB), then
//   1. reads the file line by line and nlohmann::json::parse()s every line (best of 2 runs),
//   2. runs the built touchstone-cli on a fresh project and measures its wall time and peak
//      RSS (wait4's ru_maxrss of the child).
// Goals (issue 8): import within 2x of the parse floor, peak memory under 200 MB.
// The child's CPU time (user + system) is printed beside its wall time: on a loaded machine the
// wall time says little, the CPU time still compares runs.
// Usage: bench_logs_import [--records N] [--dir DIR] [--keep] [--cli PATH]. Never run by CTest.

#include "logs/inputfile.h"
#include "logs/logformat.h"
#include "logs/logrowvalues.h"
#include "logs/logsink.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const std::vector<std::string> &vocabulary()
{
    static const std::vector<std::string> words = {
        "order",    "refund",  "invoice",  "shipping",     "parcel",   "account",  "password",
        "login",    "charge",  "twice",    "subscription", "cancel",   "upgrade",  "plan",
        "delivery", "late",    "damaged",  "return",       "label",    "address",  "change",
        "payment",  "card",    "declined", "coupon",       "discount", "warranty", "repair",
        "screen",   "battery", "app",      "crash",        "settings", "email",    "notification",
        "tracking", "number",  "courier",  "weekend",      "store",    "pickup",   "exchange",
        "size",     "colour",  "missing",  "item",         "box",      "manager",  "urgent",
        "please",   "thanks",  "help",     "today",        "tomorrow", "week",     "again"};
    return words;
}

std::string sentence(std::mt19937_64 &rng, int words)
{
    const auto &v = vocabulary();
    std::string s;
    for (int i = 0; i < words; ++i) {
        if (i)
            s += ' ';
        s += v[rng() % v.size()];
    }
    return s;
}

json kv(const std::string &key, json value)
{
    return {{"key", key}, {"value", std::move(value)}};
}
json str(const std::string &s)
{
    return {{"stringValue", s}};
}
json integer(long long i)
{
    return {{"intValue", std::to_string(i)}};
}

std::string hex(std::mt19937_64 &rng, int bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < bytes * 2; ++i)
        s += digits[rng() % 16];
    return s;
}

/// One line: a TracesData with one chat span, ~1.5 KB.
std::string recordLine(std::mt19937_64 &rng, long long index)
{
    const long long startNs
        = (1786492800LL + index * 3) * 1000000000LL + (rng() % 1000) * 1000000LL;
    const long long durNs = (300 + rng() % 4000) * 1000000LL;
    const std::string system = "You are a support agent for Example Corp. Answer in two short "
                               "paragraphs, cite the policy that applies, never promise a refund "
                               "before checking the order, and escalate anything about "
        + sentence(rng, 4) + ".";
    const std::string user = "Ticket #" + std::to_string(100000 + index) + " from customer "
        + std::to_string(rng() % 50000) + ": " + sentence(rng, 22);
    const std::string output = "Thanks for reaching out. " + sentence(rng, 24) + ".";
    json input
        = json::array({{{"role", "user"}, {"parts", {{{"type", "text"}, {"content", user}}}}}});
    json out = json::array({{{"role", "assistant"},
                             {"parts", {{{"type", "text"}, {"content", output}}}},
                             {"finish_reason", "stop"}}});
    json sys = json::array({{{"type", "text"}, {"content", system}}});
    json span = {
        {"traceId", hex(rng, 16)},
        {"spanId", hex(rng, 8)},
        {"name", "chat gpt-4o-mini"},
        {"kind", 3},
        {"startTimeUnixNano", std::to_string(startNs)},
        {"endTimeUnixNano", std::to_string(startNs + durNs)},
        {"attributes",
         json::array(
             {kv("gen_ai.operation.name", str("chat")), kv("gen_ai.provider.name", str("openai")),
              kv("gen_ai.request.model", str("gpt-4o-mini")),
              kv("gen_ai.response.model", str("gpt-4o-mini-2024-07-18")),
              kv("gen_ai.response.finish_reasons", {{"arrayValue", {{"values", {str("stop")}}}}}),
              kv("gen_ai.usage.input_tokens", integer(120 + long(rng() % 200))),
              kv("gen_ai.usage.output_tokens", integer(40 + long(rng() % 120))),
              kv("gen_ai.system_instructions", str(sys.dump())),
              kv("gen_ai.input.messages", str(input.dump())),
              kv("gen_ai.output.messages", str(out.dump())),
              kv("server.address", str("api.openai.com"))})},
        {"status", json::object()}};
    json doc = {{"resourceSpans",
                 {{{"resource",
                    {{"attributes",
                      {kv("service.name", str("support-bot")),
                       kv("deployment.environment", str("production"))}}}},
                   {"scopeSpans",
                    {{{"scope",
                       {{"name", "opentelemetry.instrumentation.openai_v2"}, {"version", "2.1b0"}}},
                      {"spans", {span}}}}}}}}};
    return doc.dump();
}

/// Counts what a reader hands over and serializes it as the importer's reading thread does
/// (LogRowValues), storing nothing.
class CountingSink final : public ts::LogSink
{
public:
    void record(ts::LogRecord record) override
    {
        const ts::LogRowValues row = ts::LogRowValues::from(record);
        bytes += row.messages.size();
        ++records;
    }
    void otherSpan(ts::TraceSpan) override { }
    void malformed(qint64, const QString &) override { ++bad; }
    long long records = 0;
    long long bad = 0;
    long long bytes = 0;
};

/// The 1-minute load average (other work competing for the two cores), or -1.
double loadAverage()
{
    std::ifstream in("/proc/loadavg");
    double load = -1;
    in >> load;
    return load;
}

struct ChildRun
{
    int exitCode = -1;
    double seconds = 0;
    double cpuSeconds = 0; ///< user + system
    double peakMb = 0;
};

/// Runs a command, its output to /dev/null, measuring wall time and peak RSS.
ChildRun runChild(const std::vector<std::string> &args)
{
    std::fflush(stdout); // or the child would print what is still buffered here again
    std::fflush(stderr);
    const double start = now();
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char *> argv;
        for (const std::string &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
            _exit(127);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage {};
    wait4(pid, &status, 0, &usage);
    ChildRun r;
    r.seconds = now() - start;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.peakMb = double(usage.ru_maxrss) / 1024.0; // Linux: kilobytes
    r.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    long long records = 100000;
    fs::path dir = fs::temp_directory_path() / "touchstone-bench-logs-import";
    bool keep = false;
    std::string cli = TOUCHSTONE_CLI_PATH;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--records") && i + 1 < argc)
            records = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!std::strcmp(argv[i], "--keep"))
            keep = true;
        else if (!std::strcmp(argv[i], "--cli") && i + 1 < argc)
            cli = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--records N] [--dir DIR] [--keep] [--cli PATH]\n",
                         argv[0]);
            return 2;
        }
    }
    fs::create_directories(dir);
    const double loadAtStart = loadAverage();
    const fs::path file = dir / ("otlp-" + std::to_string(records) + ".jsonl");

    if (!fs::exists(file)) {
        const double t = now();
        std::ofstream out(file, std::ios::binary);
        std::mt19937_64 rng(20261130);
        for (long long i = 0; i < records; ++i)
            out << recordLine(rng, i) << '\n';
        out.close();
        std::printf("generated %lld records in %.1f s\n", records, now() - t);
    }
    const double mb = double(fs::file_size(file)) / 1e6;
    std::printf("file: %s (%.1f MB, %.0f bytes/record)\n", file.c_str(), mb,
                mb * 1e6 / double(records));

    // The floor: nlohmann-json alone parsing every line (the file is in the page cache after
    // the first run; the import below reads it warm too).
    double parseBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        const double t = now();
        std::ifstream in(file, std::ios::binary);
        std::string line;
        long long spans = 0;
        while (std::getline(in, line)) {
            const json doc = json::parse(line, nullptr, false);
            if (!doc.is_discarded())
                spans += long(doc["resourceSpans"][0]["scopeSpans"][0]["spans"].size());
        }
        const double seconds = now() - t;
        parseBest = std::min(parseBest, seconds);
        if (spans != records) {
            std::fprintf(stderr, "parsed %lld spans, expected %lld\n", spans, records);
            return 1;
        }
    }
    std::printf("nlohmann-json parse of every line: %.2f s (%.0f MB/s)\n", parseBest,
                mb / parseBest);

    // The format reader alone (into LogRecords, nothing stored): what the import costs before
    // the store.
    double readBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        const double t = now();
        auto input = ts::InputFile::open(QString::fromStdString(file.string()));
        const ts::LogFormat *format = input ? ts::detectLogFormat(input->head()) : nullptr;
        if (!format) {
            std::fprintf(stderr, "the reader does not recognise %s\n", file.c_str());
            return 1;
        }
        CountingSink sink;
        ts::LogJoinData join;
        if (!format->read(*input, sink, join) || sink.records != records) {
            std::fprintf(stderr, "the reader read %lld records, expected %lld\n", sink.records,
                         records);
            return 1;
        }
        readBest = std::min(readBest, now() - t);
    }
    std::printf("format reader alone (%s, records built and serialized as the importer's reading "
                "thread does, nothing stored): %.2f s = %.2fx the parse floor\n",
                "otlp", readBest, readBest / parseBest);

    double importBest = 1e9;
    double peak = 0;
    for (int run = 0; run < 2; ++run) {
        const fs::path project = dir / ("import-" + std::to_string(run) + ".touchstone");
        for (const char *suffix : {"", "-wal", "-shm"})
            fs::remove(project.string() + suffix);
        if (runChild({cli, "init", project.string()}).exitCode != 0) {
            std::fprintf(stderr, "touchstone-cli init failed\n");
            return 1;
        }
        const ChildRun r = runChild({cli, "logs", "import", project.string(), file.string()});
        if (r.exitCode != 0) {
            std::fprintf(stderr, "touchstone-cli logs import exited with %d\n", r.exitCode);
            return 1;
        }
        std::printf(
            "touchstone-cli logs import, run %d: %.2f s (%.0f records/s; CPU %.2f s on its two "
            "threads), peak RSS %.0f MB, project %.0f MB\n",
            run + 1, r.seconds, double(records) / r.seconds, r.cpuSeconds, r.peakMb,
            double(fs::file_size(project)) / 1e6);
        importBest = std::min(importBest, r.seconds);
        peak = std::max(peak, r.peakMb);
        if (!keep)
            for (const char *suffix : {"", "-wal", "-shm"})
                fs::remove(project.string() + suffix);
    }
    std::printf("\nimport / parse floor: %.2fx (goal <= 2x); of which reading %.2fx, storing "
                "(SQLite rows, FTS5, indexes) %.2fx\n",
                importBest / parseBest, readBest / parseBest, (importBest - readBest) / parseBest);
    std::printf("peak RSS: %.0f MB = %.2fx of the 200 MB budget\n", peak, peak / 200.0);
    std::printf("load average: %.2f at the start, %.2f at the end\n", loadAtStart, loadAverage());
    if (!keep)
        fs::remove(file);
    return 0;
}
