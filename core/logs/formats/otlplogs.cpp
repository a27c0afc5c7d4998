#include "logs/formats/otlplogs.h"

#include "logs/formats/otlpjson.h"
#include "logs/formats/otlpstream.h"
#include "logs/inputfile.h"
#include "logs/logformat.h"
#include "logs/logsink.h"

namespace ts {

using nlohmann::json;

Result<void> collectOtlpLogs(InputFile &file, LogSink &sink, LogJoinData &join)
{
    return otlp::readOtlpFile(
        file, otlp::Signal::Logs, sink,
        [&](const json &logRecord, const json &, const json &, qint64 where) {
            if (!logRecord.is_object()) {
                sink.malformed(where, QStringLiteral("log record is not a JSON object"));
                return true;
            }
            bool badTrace = false;
            bool badSpan = false;
            const auto traceId
                = otlp::normalizeId(otlp::member(logRecord, "traceId", "trace_id"), 16, &badTrace);
            const auto spanId
                = otlp::normalizeId(otlp::member(logRecord, "spanId", "span_id"), 8, &badSpan);
            if (badTrace || badSpan) {
                sink.malformed(
                    where,
                    QStringLiteral("log record has an invalid %1 id")
                        .arg(badTrace ? QStringLiteral("trace") : QStringLiteral("span")));
                return true;
            }
            if (!traceId || !spanId)
                return true; // an event of no span cannot be joined
            // Keep only what the join reads, not the resource and the rest.
            json kept = json::object();
            bool genAi = false;
            for (const auto &[camel, snake] :
                 {std::pair {"eventName", "event_name"},
                  std::pair {"timeUnixNano", "time_unix_nano"},
                  std::pair {"observedTimeUnixNano", "observed_time_unix_nano"},
                  std::pair {"attributes", "attributes"}, std::pair {"body", "body"}}) {
                if (const json *v = otlp::member(logRecord, camel, snake))
                    kept[camel] = *v;
            }
            if (auto it = kept.find("eventName"); it != kept.end() && it->is_string())
                genAi = it->get_ref<const std::string &>().compare(0, 7, "gen_ai.") == 0;
            if (!genAi) {
                const json attrs
                    = otlp::plainAttributes(otlp::member(kept, "attributes", "attributes"));
                auto name = attrs.find("event.name");
                genAi = name != attrs.end() && name->is_string()
                    && name->get_ref<const std::string &>().compare(0, 7, "gen_ai.") == 0;
            }
            if (genAi)
                join.otlpEvents[*traceId + QLatin1Char(':') + *spanId].append(std::move(kept));
            return true;
        });
}

bool looksLikeOtlpLogs(const QByteArray &head)
{
    return otlp::looksLikeOtlp(head, otlp::Signal::Logs);
}

} // namespace ts
