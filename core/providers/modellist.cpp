#include "providers/modellist.h"

#include "providers/jsonutil.h"
#include "providers/requestbuilder.h"

#include <QUrl>

namespace ts {

using jsonutil::json;
using jsonutil::member;
using jsonutil::str;

namespace {

QString withSuffix(const QString &base, const QString &suffixIfMissing, const QString &rest)
{
    return base.endsWith(suffixIfMissing) ? QString(base + rest) : QString(base + suffixIfMissing + rest);
}

QDateTime parseTime(const json &j, const char *key)
{
    if (const json *v = member(j, key)) {
        if (v->is_number_integer())
            return QDateTime::fromSecsSinceEpoch(v->get<qint64>(), Qt::UTC);
        if (v->is_string())
            return QDateTime::fromString(jsonutil::toQString(v->get<std::string>()), Qt::ISODateWithMs);
    }
    return {};
}

} // namespace

HttpRequest buildModelListRequest(ProviderKind kind, const QString &baseUrl,
                                      const QString &apiKey, const QString &pageToken)
{
    const QString base = normalizedBaseUrl(kind, baseUrl);
    const QByteArray key = apiKey.trimmed().toUtf8();
    const QByteArray token = QUrl::toPercentEncoding(pageToken);
    HttpRequest spec;
    spec.method = "GET";
    switch (kind) {
    case ProviderKind::OpenAI: {
        const QString versioned = QUrl(base).path().isEmpty() ? base + QStringLiteral("/v1") : base;
        spec.url = (versioned + QStringLiteral("/models")).toUtf8();
        if (!key.isEmpty())
            spec.headers.append(std::pair(QByteArray("Authorization"), "Bearer " + key));
        break;
    }
    case ProviderKind::Anthropic:
        spec.url = withSuffix(base, QStringLiteral("/v1"), QStringLiteral("/models?limit=1000")).toUtf8();
        if (!token.isEmpty())
            spec.url += "&after_id=" + token;
        if (!key.isEmpty())
            spec.headers.append(std::pair(QByteArray("x-api-key"), key));
        spec.headers.append(std::pair(QByteArray("anthropic-version"), QByteArray("2023-06-01")));
        break;
    case ProviderKind::Gemini: {
        const QString versioned = base.endsWith(QLatin1String("/v1beta")) || base.endsWith(QLatin1String("/v1"))
                                      ? base
                                      : base + QStringLiteral("/v1beta");
        spec.url = (versioned + QStringLiteral("/models?pageSize=1000")).toUtf8();
        if (!token.isEmpty())
            spec.url += "&pageToken=" + token;
        if (!key.isEmpty())
            spec.headers.append(std::pair(QByteArray("x-goog-api-key"), key));
        break;
    }
    case ProviderKind::Ollama:
        spec.url = withSuffix(base, QStringLiteral("/api"), QStringLiteral("/tags")).toUtf8();
        break;
    }
    return spec;
}

Result<ModelList> parseModelList(ProviderKind kind, QByteArrayView body)
{
    const json j = jsonutil::parse(std::string_view(body.data(), size_t(body.size())));
    if (j.is_discarded() || !j.is_object())
        return fail(ErrorCode::Protocol, QStringLiteral("The model list from %1 is not valid JSON.")
                                             .arg(providerDisplayName(kind)));
    const char *arrayKey = kind == ProviderKind::OpenAI || kind == ProviderKind::Anthropic ? "data"
                                                                                            : "models";
    const json *items = member(j, arrayKey);
    if (!items || !items->is_array())
        return fail(ErrorCode::Protocol, QStringLiteral("The model list from %1 has no \"%2\".")
                                             .arg(providerDisplayName(kind), QLatin1String(arrayKey)));
    ModelList list;
    for (const auto &m : *items) {
        if (!m.is_object())
            continue;
        ModelInfo info;
        switch (kind) {
        case ProviderKind::OpenAI:
            info.id = str(m, "id");
            info.ownedBy = str(m, "owned_by");
            info.created = parseTime(m, "created");
            break;
        case ProviderKind::Anthropic:
            info.id = str(m, "id");
            info.displayName = str(m, "display_name");
            info.created = parseTime(m, "created_at");
            break;
        case ProviderKind::Gemini:
            info.id = str(m, "name");
            if (info.id.startsWith(QLatin1String("models/")))
                info.id.remove(0, 7);
            info.displayName = str(m, "displayName");
            info.inputTokenLimit = jsonutil::optInt(m, "inputTokenLimit");
            info.outputTokenLimit = jsonutil::optInt(m, "outputTokenLimit");
            if (const json *methods = member(m, "supportedGenerationMethods"); methods && methods->is_array()) {
                for (const auto &method : *methods) {
                    if (method.is_string())
                        info.methods << jsonutil::toQString(method.get<std::string>());
                }
            }
            break;
        case ProviderKind::Ollama:
            info.id = str(m, "model");
            if (info.id.isEmpty())
                info.id = str(m, "name");
            info.displayName = str(m, "name");
            info.sizeBytes = jsonutil::optInt64(m, "size");
            info.created = parseTime(m, "modified_at");
            if (const json *d = member(m, "details")) {
                info.family = str(*d, "family");
                info.parameterSize = str(*d, "parameter_size");
                info.quantization = str(*d, "quantization_level");
            }
            break;
        }
        if (info.id.isEmpty())
            continue;
        if (info.displayName.isEmpty())
            info.displayName = info.id;
        list.models << info;
    }
    if (kind == ProviderKind::Gemini)
        list.nextPageToken = str(j, "nextPageToken");
    else if (kind == ProviderKind::Anthropic && jsonutil::isTrue(j, "has_more"))
        list.nextPageToken = str(j, "last_id");
    return list;
}

} // namespace ts
