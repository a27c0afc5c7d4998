#include "runs/generationwriter.h"

#include "common/json.h"
#include "models/keystore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QHash>
#include <QPointer>
#include <QThread>
#include <QTimer>

namespace ts {

QString generationColumns()
{
    return QStringLiteral(
        "id, run_id, test_case_id, sample_index, variables, request, output, reasoning, "
        "tool_calls, finish_reason, finish_kind, status, input_tokens, output_tokens, ttft_ms, "
        "latency_ms, cost, error_code, error_message, cache_hit, cache_key, created_at");
}

Generation generationFromRow(const Statement &s)
{
    Generation g;
    g.id = s.int64(0);
    g.runId = s.int64(1);
    g.testCaseId = s.optionalInt(2);
    g.sampleIndex = int(s.int64(3));
    g.variables = parseJson(s.text(4)).value_or(nlohmann::json::object());
    g.request = parseJson(s.text(5)).value_or(nlohmann::json::object());
    if (auto lp = g.request.find("response_logprobs"); lp != g.request.end() && lp->is_array()) {
        QList<double> values;
        for (const nlohmann::json &v : *lp)
            if (v.is_number())
                values.append(v.get<double>());
        g.logProbs = values;
    }
    g.output = s.text(6);
    g.reasoning = s.text(7);
    g.toolCalls = parseJson(s.text(8)).value_or(nlohmann::json::array());
    g.finishReason = s.text(9);
    const QString kind = s.text(10);
    g.finish = FinishReason::Unknown;
    for (FinishReason r : {FinishReason::Stop, FinishReason::Length, FinishReason::ToolCalls,
                           FinishReason::ContentFilter, FinishReason::Refusal, FinishReason::Error,
                           FinishReason::Cancelled, FinishReason::Incomplete})
        if (finishReasonName(r) == kind)
            g.finish = r;
    g.status = parseGenerationStatus(s.text(11));
    g.inputTokens = s.optionalInt(12);
    g.outputTokens = s.optionalInt(13);
    g.ttftMs = s.optionalReal(14);
    g.latencyMs = s.optionalReal(15);
    g.cost = s.optionalReal(16);
    if (auto message = s.optionalText(18)) {
        ErrorCode code = ErrorCode::Unknown;
        const QString name = s.text(17);
        for (int c = int(ErrorCode::Unknown); c <= int(ErrorCode::Cancelled); ++c)
            if (errorCodeName(ErrorCode(c)) == name)
                code = ErrorCode(c);
        g.error = Error{code, *message};
    }
    g.cacheHit = s.int64(19) != 0;
    g.cacheKey = s.text(20);
    g.createdAt = s.text(21);
    return g;
}

namespace detail {

/// Lives in the writer thread and owns its connection.
class WriterWorker final : public QObject
{
public:
    struct Pending
    {
        Generation generation;
        GenerationWriter::AfterInsert also;
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void(Result<qint64>)> done;
    };

    explicit WriterWorker(QString path)
        : m_path(std::move(path))
    {}

    GenerationWriter *front = nullptr;

    Result<Database *> connection()
    {
        if (!m_db.isOpen()) {
            auto db = Database::open(m_path, Database::Access::ReadWrite, 10000);
            if (!db)
                return fail(db.error());
            m_db = std::move(*db);
            (void)m_db.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
            (void)m_db.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
        }
        return &m_db;
    }

    void enqueue(Pending pending)
    {
        if (!pending.generation.cacheKey.isEmpty() && pending.generation.ok() && !pending.generation.cacheHit)
            m_recent.insert(pending.generation.cacheKey, pending.generation);
        m_pending.append(std::move(pending));
        if (m_pending.size() >= 256) {
            flushNow();
            return;
        }
        if (!m_timer) {
            m_timer = new QTimer(this);
            m_timer->setSingleShot(true);
            m_timer->setInterval(20);
            QObject::connect(m_timer, &QTimer::timeout, this, [this] { flushNow(); });
        }
        if (!m_timer->isActive())
            m_timer->start();
    }

    Result<void> flushNow()
    {
        if (m_timer)
            m_timer->stop();
        if (m_pending.isEmpty())
            return {};
        QList<Pending> batch;
        batch.swap(m_pending);
        QList<Result<qint64>> ids;
        auto result = writeBatch(batch, ids);
        if (!result) {
            reportError(result.error());
            for (Pending &p : batch)
                deliver(p, fail(result.error()));
            return result;
        }
        for (qsizetype i = 0; i < batch.size(); ++i)
            deliver(batch[i], ids[i]);
        m_recent.clear();
        return {};
    }

    void deliver(Pending &p, Result<qint64> id)
    {
        if (!p.done)
            return;
        if (p.hasContext && !p.context)
            return;
        QObject *target = p.hasContext ? p.context.data() : front;
        QMetaObject::invokeMethod(target, [done = std::move(p.done), id] { done(id); },
                                  Qt::QueuedConnection);
    }

    void reportError(const Error &error)
    {
        QMetaObject::invokeMethod(front, [f = front, error] { Q_EMIT f->writeFailed(error); },
                                  Qt::QueuedConnection);
    }

    Result<void> writeBatch(const QList<Pending> &batch, QList<Result<qint64>> &ids)
    {
        auto db = connection();
        if (!db)
            return fail(db.error());
        auto tx = Transaction::begin(**db);
        if (!tx)
            return fail(tx.error());
        if (!m_insert.has_value()) {
            auto stmt = (*db)->prepare(QStringLiteral(
                "INSERT INTO generations(run_id, test_case_id, sample_index, variables, request, "
                "output, reasoning, tool_calls, finish_reason, finish_kind, status, input_tokens, "
                "output_tokens, ttft_ms, latency_ms, cost, error_code, error_message, cache_hit, "
                "cache_key, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
            if (!stmt)
                return fail(stmt.error());
            m_insert.emplace(std::move(*stmt));
        }
        const QString now = nowUtc();
        for (const Pending &p : batch) {
            const Generation &g = p.generation;
            Statement &s = *m_insert;
            s.reset();
            s.bind(1, g.runId).bind(2, g.testCaseId).bind(3, g.sampleIndex)
                .bind(4, toJsonText(g.variables)).bind(5, toJsonText(g.request))
                .bind(6, g.output).bind(7, g.reasoning).bind(8, toJsonText(g.toolCalls))
                .bind(9, g.finishReason).bind(10, finishReasonName(g.finish))
                .bind(11, generationStatusName(g.status)).bind(12, g.inputTokens)
                .bind(13, g.outputTokens).bind(14, g.ttftMs).bind(15, g.latencyMs).bind(16, g.cost);
            if (g.error)
                s.bind(17, errorCodeName(g.error->code)).bind(18, g.error->message);
            else
                s.bindNull(17).bindNull(18);
            s.bind(19, g.cacheHit);
            if (g.cacheKey.isEmpty())
                s.bindNull(20);
            else
                s.bind(20, g.cacheKey);
            s.bind(21, g.createdAt.isEmpty() ? now : g.createdAt);
            if (auto ok = s.run(); !ok)
                return fail(ok.error());
            const qint64 id = (*db)->lastInsertId();
            if (p.also)
                if (auto ok = p.also(**db, id); !ok)
                    return fail(ok.error());
            ids.append(id);
        }
        return tx->commit();
    }

    std::optional<Generation> cached(const QString &key)
    {
        if (key.isEmpty())
            return std::nullopt;
        if (auto it = m_recent.constFind(key); it != m_recent.constEnd())
            return *it;
        auto db = connection();
        if (!db)
            return std::nullopt;
        auto stmt = (*db)->prepare(QStringLiteral("SELECT ") + generationColumns()
                                   + QStringLiteral(" FROM generations WHERE cache_key = ? AND "
                                                    "status = 'ok' ORDER BY id DESC LIMIT 1"));
        if (!stmt)
            return std::nullopt;
        stmt->bind(1, key);
        auto row = stmt->step();
        if (!row || !*row)
            return std::nullopt;
        return generationFromRow(*stmt);
    }

    Result<QString> apiKey(const QString &keyRef)
    {
        if (auto it = m_keys.constFind(keyRef); it != m_keys.constEnd())
            return *it;
        auto key = KeyStore::resolve(keyRef);
        if (key)
            m_keys.insert(keyRef, *key);
        return key;
    }

    Database &db() { return m_db; }

private:
    QString m_path;
    Database m_db;
    std::optional<Statement> m_insert;
    QList<Pending> m_pending;
    QHash<QString, Generation> m_recent; // queued but not yet committed, for the cache
    QHash<QString, QString> m_keys;
    QTimer *m_timer = nullptr;
};

} // namespace detail

GenerationWriter::GenerationWriter(const QString &projectPath, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new detail::WriterWorker(projectPath))
{
    qRegisterMetaType<ts::Error>("ts::Error");
    m_thread->setObjectName(QStringLiteral("touchstone-writer"));
    m_worker->front = this;
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

GenerationWriter::~GenerationWriter()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { (void)w->flushNow(); },
                              Qt::QueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void GenerationWriter::createRun(const RunRecord &run, QObject *context,
                                 std::function<void(Result<qint64>)> done)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, run, ctx = QPointer<QObject>(context), done] {
        auto result = [&]() -> Result<qint64> {
            if (auto flushed = w->flushNow(); !flushed)
                return fail(flushed.error());
            auto db = w->connection();
            if (!db)
                return fail(db.error());
            auto stmt = (*db)->prepare(QStringLiteral(
                "INSERT INTO runs(kind, prompt_version_id, model_id, model_snapshot, dataset_id, "
                "params, samples, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            if (!stmt)
                return fail(stmt.error());
            stmt->bind(1, run.kind).bind(2, run.promptVersionId).bind(3, run.modelId)
                .bind(4, toJsonText(run.modelSnapshot)).bind(5, run.datasetId)
                .bind(6, toJsonText(run.params)).bind(7, run.samples).bind(8, run.status)
                .bind(9, run.createdAt.isEmpty() ? nowUtc() : run.createdAt);
            if (auto ok = stmt->run(); !ok)
                return fail(ok.error());
            return (*db)->lastInsertId();
        }();
        if (ctx)
            QMetaObject::invokeMethod(ctx, [done, result] { done(result); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void GenerationWriter::finishRun(qint64 runId, const QString &status)
{
    post([runId, status](Database &db) {
        auto stmt = db.prepare(QStringLiteral("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?"));
        if (stmt)
            (void)stmt->bind(1, status).bind(2, nowUtc()).bind(3, runId).run();
    });
}

void GenerationWriter::write(const Generation &generation, AfterInsert also, QObject *context,
                             std::function<void(Result<qint64>)> done)
{
    detail::WriterWorker::Pending p{generation, std::move(also), QPointer<QObject>(context),
                                    context != nullptr, std::move(done)};
    QMetaObject::invokeMethod(m_worker, [w = m_worker, p = std::move(p)]() mutable {
        w->enqueue(std::move(p));
    }, Qt::QueuedConnection);
}

void GenerationWriter::prepare(const QString &keyRef, const QString &cacheKey, QObject *context,
                               std::function<void(Preparation)> done)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, keyRef, cacheKey,
                                         ctx = QPointer<QObject>(context), done] {
        Preparation prep{w->apiKey(keyRef), w->cached(cacheKey)};
        if (ctx)
            QMetaObject::invokeMethod(ctx, [done, prep] { done(prep); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void GenerationWriter::post(std::function<void(Database &)> work)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, work] {
        (void)w->flushNow();
        auto db = w->connection();
        if (db)
            work(**db);
    }, Qt::QueuedConnection);
}

void GenerationWriter::flush(QObject *context, std::function<void(Result<void>)> done)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, ctx = QPointer<QObject>(context), done] {
        auto result = w->flushNow();
        if (ctx)
            QMetaObject::invokeMethod(ctx, [done, result] { done(result); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

} // namespace ts
