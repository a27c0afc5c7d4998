#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <deque>
#include <utility>

namespace ts {

/// GenAI log events (POST /v1/logs) whose span has not been stored yet. Exporters send logs and
/// traces on schedules of their own (Python batches logs every second, spans every five), so
/// the messages of a call usually arrive before its span; they wait here, in memory, until the
/// span comes or they are too old. Bounded: the oldest are dropped first.
class PendingGenAiEvents
{
public:
    struct Limits
    {
        qint64 maxEvents = 50'000;
        qint64 maxAgeMs = 10 * 60 * 1000;
    };

    PendingGenAiEvents();
    explicit PendingGenAiEvents(Limits limits);

    /// Keeps one event (an OTLP/JSON log record as the join reads it) for span `key`
    /// ("traceid:spanid") that arrived at `nowMs`.
    void hold(const QString &key, nlohmann::json logRecord, qint64 nowMs);
    /// The events waiting for `key`, in arrival order, removed from here (empty when none).
    QList<nlohmann::json> take(const QString &key);
    bool isEmpty() const { return m_byKey.isEmpty(); }
    qint64 eventCount() const { return m_events; }
    /// Drops the events that waited longer than maxAgeMs at `nowMs`, then the oldest beyond
    /// maxEvents. Returns how many events were dropped.
    qint64 expire(qint64 nowMs);

private:
    struct Waiting
    {
        QList<nlohmann::json> events;
        qint64 sinceMs = 0; ///< arrival of the first event
    };

    Limits m_limits;
    QHash<QString, Waiting> m_byKey;
    /// Keys in order of their first event; an entry whose key was taken (or taken and held
    /// again later) is skipped when it reaches the front.
    std::deque<std::pair<qint64, QString>> m_order;
    qint64 m_events = 0;
};

} // namespace ts
