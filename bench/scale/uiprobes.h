#pragma once

// What the scale benchmarks measure in-process: resident memory, and how long the UI thread
// stayed busy between two ticks of a 1 ms timer.

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <time.h>

namespace ts::bench {

/// VmRSS of this process in MB (0 when /proc is unreadable).
inline double rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

/// The longest gap between two ticks of a 1 ms timer (how long the UI thread did not tick),
/// and how much of the longest gap the UI thread spent working rather than waiting for a core
/// (the machine has two, shared with the background reads).
class BlockProbe final : public QObject
{
public:
    BlockProbe()
    {
        m_timer.setInterval(1);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            const qint64 worked = cpu - m_lastCpu;
            m_longest = std::max(m_longest, now - m_last);
            m_longestWork = std::max(m_longestWork, worked);
            if (now - m_last > 16'000'000)
                m_blocks.append(QStringLiteral("%1 ms at %2 ms, %3 ms of it on the UI thread (%4)")
                                    .arg((now - m_last) / 1e6, 0, 'f', 1)
                                    .arg(m_last / 1e6, 0, 'f', 0)
                                    .arg(worked / 1e6, 0, 'f', 1)
                                    .arg(m_phase));
            m_last = now;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_longest = 0;
        m_longestWork = 0;
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuNs();
        m_timer.start();
    }
    /// Stops ticking and returns longestMs().
    double stopMs()
    {
        m_timer.stop();
        return longestMs();
    }
    double longestMs() const { return m_longest / 1e6; }
    /// The most CPU time the UI thread spent between two ticks.
    double longestWorkMs() const { return m_longestWork / 1e6; }
    /// Every block over 16 ms, with the phase it happened in.
    QStringList blocks() const { return m_blocks; }
    void setPhase(const QString &phase) { m_phase = phase; }

private:
    static qint64 threadCpuNs()
    {
        timespec t {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    }

    QStringList m_blocks;
    QString m_phase;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    qint64 m_longest = 0;
    qint64 m_longestWork = 0;
};

} // namespace ts::bench
