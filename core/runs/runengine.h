#pragma once

#include "runs/generationjob.h"

#include <QObject>

namespace ts {

/// Starts model calls for every view (playground, evals, judges, CLI). Jobs share one
/// NetworkClient (per-model concurrency limits apply across all of them) and, when a project
/// is open, one GenerationWriter that stores their generations.
class RunEngine final : public QObject
{
    Q_OBJECT

public:
    /// `writer` may be null: nothing is stored and the cache is off (the CLI's `complete`).
    RunEngine(GenerationWriter *writer, NetworkClient *network, QObject *parent = nullptr);

    /// Starts a job owned by `parent` (or by the engine when null).
    GenerationJob *start(const GenerationSpec &spec, QObject *parent = nullptr);

    GenerationWriter *writer() const { return m_writer; }

    /// Hash of the normalized request and sample index: identical requests share it.
    static QString cacheKey(const ChatRequest &request, int sampleIndex);

private:
    GenerationWriter *m_writer;
    NetworkClient *m_network;
};

} // namespace ts
