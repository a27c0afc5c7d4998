#include "runs/runengine.h"

#include "common/json.h"
#include "providers/requestbuilder.h"

#include <QCryptographicHash>

namespace ts {

RunEngine::RunEngine(GenerationWriter *writer, NetworkClient *network, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_network(network)
{}

GenerationJob *RunEngine::start(const GenerationSpec &spec, QObject *parent)
{
    auto *job = new GenerationJob(spec, m_writer, m_network, parent ? parent : this);
    job->begin();
    return job;
}

QString RunEngine::cacheKey(const ChatRequest &request, int sampleIndex)
{
    // Streaming or not gives the same answer; everything else that reaches the model counts.
    nlohmann::json messages = nlohmann::json::array();
    for (const ChatMessage &m : request.messages)
        messages.push_back({{"role", sstr(m.role)}, {"content", sstr(m.content)}});
    const nlohmann::json key = {{"provider", sstr(providerKindName(request.kind))},
                                {"base_url", sstr(normalizedBaseUrl(request.kind, request.baseUrl))},
                                {"model", sstr(request.model)},
                                {"messages", messages},
                                {"params", request.params.toJson()},
                                {"sample", sampleIndex}};
    const std::string text = key.dump();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(text.data(), qsizetype(text.size())),
                                 QCryptographicHash::Sha256)
            .toHex());
}

} // namespace ts
