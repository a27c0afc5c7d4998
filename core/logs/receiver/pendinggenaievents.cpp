#include "logs/receiver/pendinggenaievents.h"

namespace ts {

PendingGenAiEvents::PendingGenAiEvents()
    : PendingGenAiEvents(Limits {})
{
}

PendingGenAiEvents::PendingGenAiEvents(Limits limits)
    : m_limits(limits)
{
}

void PendingGenAiEvents::hold(const QString &key, nlohmann::json logRecord, qint64 nowMs)
{
    auto it = m_byKey.find(key);
    if (it == m_byKey.end()) {
        it = m_byKey.insert(key, Waiting {{}, nowMs});
        m_order.emplace_back(nowMs, key);
    }
    it->events.append(std::move(logRecord));
    ++m_events;
    expire(nowMs);
    // Taken keys leave their entries behind; keep them from outgrowing the live ones.
    if (m_order.size() > 2 * size_t(m_byKey.size()) + 1024) {
        std::deque<std::pair<qint64, QString>> live;
        for (auto &entry : m_order) {
            const auto found = m_byKey.constFind(entry.second);
            if (found != m_byKey.constEnd() && found->sinceMs == entry.first)
                live.push_back(std::move(entry));
        }
        m_order = std::move(live);
    }
}

QList<nlohmann::json> PendingGenAiEvents::take(const QString &key)
{
    auto it = m_byKey.find(key);
    if (it == m_byKey.end())
        return {};
    QList<nlohmann::json> events = std::move(it->events);
    m_events -= events.size();
    m_byKey.erase(it);
    // Its entry in m_order goes when it reaches the front.
    if (m_byKey.isEmpty())
        m_order.clear();
    return events;
}

qint64 PendingGenAiEvents::expire(qint64 nowMs)
{
    qint64 dropped = 0;
    while (!m_order.empty()) {
        const auto &[sinceMs, key] = m_order.front();
        auto it = m_byKey.find(key);
        if (it == m_byKey.end() || it->sinceMs != sinceMs) {
            m_order.pop_front(); // taken since
            continue;
        }
        if (nowMs - sinceMs <= m_limits.maxAgeMs && m_events <= m_limits.maxEvents)
            break;
        m_events -= it->events.size();
        dropped += it->events.size();
        m_byKey.erase(it);
        m_order.pop_front();
    }
    return dropped;
}

} // namespace ts
