#pragma once

#include <QThreadPool>

#include <memory>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace ts {

/// Drops `data` on a pool thread when this is its last owner: freeing what a large eval held
/// (hundreds of thousands of small allocations) takes tens of milliseconds, too long for the UI
/// thread. glibc keeps what was freed for later allocations; trimming hands it back to the
/// system, so leaving a large eval returns the memory it took. `T` must not be a QObject or
/// hold thread-bound state.
template<typename T> void releaseLater(std::shared_ptr<T> data)
{
    if (!data || data.use_count() > 1)
        return; // someone else still holds it; the last owner frees it
    QThreadPool::globalInstance()->start([held = std::move(data)]() mutable {
        held.reset();
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    });
}

} // namespace ts
