#pragma once

#include "common/error.h"
#include "runs/generation.h"
#include "runs/runrecord.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace ts {

class Database;

namespace detail {
class WriterWorker;
}

/// The project's writer: one thread with its own SQLite connection that stores runs and
/// generations in batched transactions (every ~20 ms), answers cache look-ups and resolves API
/// keys, so that neither the UI thread nor the network thread ever waits on the disk. Every
/// finished generation is committed within one batch interval: a crash loses only what was in
/// flight. Callbacks run in the thread of their `context` object.
class GenerationWriter final : public QObject
{
    Q_OBJECT

public:
    explicit GenerationWriter(const QString &projectPath, QObject *parent = nullptr);
    ~GenerationWriter() override; ///< flushes what is pending, then stops the thread

    /// Extra rows written in the same transaction as a generation, given its new id.
    using AfterInsert = std::function<Result<void>(Database &db, qint64 generationId)>;

    void createRun(const RunRecord &run, QObject *context,
                   std::function<void(Result<qint64>)> done);
    void finishRun(qint64 runId, const QString &status);
    /// Queues a generation; `done` (optional) receives its id once committed.
    void write(const Generation &generation, AfterInsert also = {}, QObject *context = nullptr,
               std::function<void(Result<qint64>)> done = {});
    /// The newest successful generation stored under `cacheKey`, if any, and the key for
    /// `keyRef` (resolved from the environment or the OS keychain).
    struct Preparation
    {
        Result<QString> apiKey;
        std::optional<Generation> cached;
    };
    void prepare(const QString &keyRef, const QString &cacheKey, QObject *context,
                 std::function<void(Preparation)> done);
    /// Runs arbitrary work on the writer's connection (batch flushed first).
    void post(std::function<void(Database &)> work);
    /// Commits everything queued so far, then calls `done`.
    void flush(QObject *context, std::function<void(Result<void>)> done);

Q_SIGNALS:
    /// A batch could not be written; the message says why (disk full, locked...).
    void writeFailed(const ts::Error &error);

private:
    QThread *m_thread = nullptr;
    detail::WriterWorker *m_worker = nullptr;
};

/// Reads a generation row (for the cache and for views).
Generation generationFromRow(const class Statement &row);
/// The columns generationFromRow() expects, for SELECT lists.
QString generationColumns();

} // namespace ts
