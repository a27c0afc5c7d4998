#pragma once

#include "common/error.h"
#include "models/modelconfig.h"
#include "providers/modellist.h"
#include "runs/generation.h"

#include <QObject>

#include <functional>

namespace ts {

class GenerationWriter;
class NetworkClient;
class RunEngine;

/// Talks to a server about a model configuration rather than through it: what models it
/// offers, and whether a tiny request gets an answer ("Test connection").
class ModelProbe final
{
public:
    /// Lists every model the server offers (all pages). With a writer, the key is resolved on
    /// its thread so the caller never waits on the OS keychain.
    static void listModels(NetworkClient *network, GenerationWriter *writer,
                           const ModelConfig &model, QObject *context,
                           std::function<void(Result<QList<ModelInfo>>)> done);

    /// Sends "Reply with OK." with a small token limit, bypassing the cache and the project.
    static void testConnection(RunEngine &engine, const ModelConfig &model, QObject *context,
                               std::function<void(Generation)> done);
};

} // namespace ts
