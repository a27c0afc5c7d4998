#include "logs/formats/otlplogs.h"

#include "logs/formats/otlpjson.h"
#include "logs/formats/otlpstream.h"
#include "logs/inputfile.h"
#include "logs/logformat.h"
#include "logs/logsink.h"

namespace ts {

using nlohmann::json;

std::optional<JoinableEvent> joinableGenAiEvent(const json &logRecord, QString *problem)
{
    if (!logRecord.is_object()) {
        *problem = QStringLiteral("log record is not a JSON object");
        return std::nullopt;
    }
    bool badTrace = false;
    bool badSpan = false;
    const auto traceId
        = otlp::normalizeId(otlp::member(logRecord, "traceId", "trace_id"), 16, &badTrace);
    const auto spanId
        = otlp::normalizeId(otlp::member(logRecord, "spanId", "span_id"), 8, &badSpan);
    if (badTrace || badSpan) {
        *problem = QStringLiteral("log record has an invalid %1 id")
                       .arg(badTrace ? QStringLiteral("trace") : QStringLiteral("span"));
        return std::nullopt;
    }
    if (!traceId || !spanId)
        return std::nullopt; // an event of no span cannot be joined
    // Keep only what the join reads, not the resource and the rest.
    json kept = json::object();
    for (const auto &[camel, snake] :
         {std::pair {"eventName", "event_name"}, std::pair {"timeUnixNano", "time_unix_nano"},
          std::pair {"observedTimeUnixNano", "observed_time_unix_nano"},
          std::pair {"attributes", "attributes"}, std::pair {"body", "body"}}) {
        if (const json *v = otlp::member(logRecord, camel, snake))
            kept[camel] = *v;
    }
    bool genAi = false;
    if (auto it = kept.find("eventName"); it != kept.end() && it->is_string())
        genAi = it->get_ref<const std::string &>().compare(0, 7, "gen_ai.") == 0;
    if (!genAi) {
        const json attrs = otlp::plainAttributes(otlp::member(kept, "attributes", "attributes"));
        auto name = attrs.find("event.name");
        genAi = name != attrs.end() && name->is_string()
            && name->get_ref<const std::string &>().compare(0, 7, "gen_ai.") == 0;
    }
    if (!genAi)
        return std::nullopt;
    return JoinableEvent {*traceId + QLatin1Char(':') + *spanId, std::move(kept)};
}

Result<void> collectOtlpLogs(InputFile &file, LogSink &sink, LogJoinData &join)
{
    return otlp::readOtlpFile(file, otlp::Signal::Logs, sink,
                              [&](const json &logRecord, const json &, const json &, qint64 where) {
                                  QString problem;
                                  auto event = joinableGenAiEvent(logRecord, &problem);
                                  if (!problem.isEmpty())
                                      sink.malformed(where, problem);
                                  else if (event)
                                      join.otlpEvents[event->key].append(std::move(event->kept));
                                  return true;
                              });
}

bool looksLikeOtlpLogs(const QByteArray &head)
{
    return otlp::looksLikeOtlp(head, otlp::Signal::Logs);
}

} // namespace ts
