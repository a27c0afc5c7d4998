#pragma once

// Internal: state shared between FakeLlmServer (any thread) and its server thread.

#include "fakellmserver.h"

#include <QHash>

#include <mutex>

namespace ts::test {

struct FakeServerState
{
    mutable std::mutex mutex;
    FakeServerConfig config;
    QList<FakeRequest> requests;
    QHash<QString, int> attempts; ///< per model/fault key, for "fail the first N"
    QHash<QString, int> current; ///< in flight per model ("" = all)
    QHash<QString, int> maximum;
    int connections = 0;

    void begin(const QString &model)
    {
        std::lock_guard lock(mutex);
        for (const QString &key : {QString(), model}) {
            const int now = ++current[key];
            maximum[key] = std::max(maximum.value(key), now);
            if (model.isEmpty())
                break;
        }
    }
    void end(const QString &model)
    {
        std::lock_guard lock(mutex);
        --current[QString()];
        if (!model.isEmpty())
            --current[model];
    }
};

} // namespace ts::test
