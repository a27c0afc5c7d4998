#include "providers/embeddings.h"

#include "providers/jsonutil.h"
#include "providers/requestbuilder.h"

#include <QUrl>
#include <QtEndian>

#include <cstring>

namespace ts {

using jsonutil::json;
using jsonutil::member;

namespace {

json inputArray(const QStringList &inputs)
{
    json arr = json::array();
    for (const QString &s : inputs)
        arr.push_back(s.toStdString());
    return arr;
}

std::optional<QList<float>> floatsFrom(const json &values)
{
    if (!values.is_array())
        return std::nullopt;
    QList<float> out;
    out.reserve(qsizetype(values.size()));
    for (const auto &v : values) {
        if (!v.is_number())
            return std::nullopt;
        out << v.get<float>();
    }
    return out;
}

// OpenAI's base64 encoding: little-endian float32 values, concatenated.
std::optional<QList<float>> floatsFromBase64(const std::string &b64)
{
    const QByteArray raw = QByteArray::fromBase64(QByteArray::fromStdString(b64));
    if (raw.size() % 4 != 0)
        return std::nullopt;
    QList<float> out(raw.size() / 4);
    for (qsizetype i = 0; i < out.size(); ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(raw.constData() + i * 4);
        std::memcpy(&out[i], &bits, sizeof(float));
    }
    return out;
}

Error bad(ProviderKind kind, const QString &what)
{
    return Error{ErrorCode::Protocol,
                 QStringLiteral("The embeddings response from %1 %2.").arg(providerDisplayName(kind), what)};
}

} // namespace

Result<HttpRequest> buildEmbeddingRequest(const EmbeddingRequest &r, const QString &apiKey)
{
    if (r.inputs.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Nothing to embed."));
    const QString base = normalizedBaseUrl(r.kind, r.baseUrl);
    const QByteArray key = apiKey.trimmed().toUtf8();
    HttpRequest spec;
    spec.method = "POST";
    spec.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("application/json")));
    json body;
    switch (r.kind) {
    case ProviderKind::Anthropic:
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Anthropic offers no embeddings API; choose another provider."));
    case ProviderKind::OpenAI: {
        const QString versioned = QUrl(base).path().isEmpty() ? base + QStringLiteral("/v1") : base;
        spec.url = (versioned + QStringLiteral("/embeddings")).toUtf8();
        body = {{"model", r.model.toStdString()}, {"input", inputArray(r.inputs)},
                {"encoding_format", r.base64 ? "base64" : "float"}};
        if (r.dimensions)
            body["dimensions"] = *r.dimensions;
        if (!key.isEmpty())
            spec.headers.append(std::pair(QByteArray("Authorization"), "Bearer " + key));
        break;
    }
    case ProviderKind::Ollama:
        spec.url = (base.endsWith(QLatin1String("/api")) ? base + QStringLiteral("/embed")
                                                          : base + QStringLiteral("/api/embed"))
                       .toUtf8();
        body = {{"model", r.model.toStdString()}, {"input", inputArray(r.inputs)}};
        if (r.dimensions)
            body["dimensions"] = *r.dimensions;
        break;
    case ProviderKind::Gemini: {
        QString model = r.model.trimmed();
        if (!model.contains(QLatin1Char('/')))
            model.prepend(QStringLiteral("models/"));
        const QString versioned = base.endsWith(QLatin1String("/v1beta")) || base.endsWith(QLatin1String("/v1"))
                                      ? base
                                      : base + QStringLiteral("/v1beta");
        const auto content = [](const QString &text) {
            return json{{"parts", json::array({{{"text", text.toStdString()}}})}};
        };
        if (r.inputs.size() == 1) {
            spec.url = (versioned + QLatin1Char('/') + model + QStringLiteral(":embedContent")).toUtf8();
            body = {{"content", content(r.inputs.front())}};
            if (r.dimensions)
                body["outputDimensionality"] = *r.dimensions;
        } else {
            spec.url = (versioned + QLatin1Char('/') + model + QStringLiteral(":batchEmbedContents")).toUtf8();
            json requests = json::array();
            for (const QString &text : r.inputs) {
                json one = {{"model", model.toStdString()}, {"content", content(text)}};
                if (r.dimensions)
                    one["outputDimensionality"] = *r.dimensions;
                requests.push_back(std::move(one));
            }
            body = {{"requests", std::move(requests)}};
        }
        if (!key.isEmpty())
            spec.headers.append(std::pair(QByteArray("x-goog-api-key"), key));
        break;
    }
    }
    if (r.extra.is_object() && !r.extra.empty())
        body.merge_patch(r.extra);
    spec.body = QByteArray::fromStdString(body.dump(-1, ' ', false, json::error_handler_t::replace));
    return spec;
}

Result<EmbeddingResult> parseEmbeddingResponse(ProviderKind kind, QByteArrayView body)
{
    const json j = jsonutil::parse(std::string_view(body.data(), size_t(body.size())));
    if (j.is_discarded() || !j.is_object())
        return fail(bad(kind, QStringLiteral("is not valid JSON")));
    EmbeddingResult out;
    out.model = jsonutil::str(j, "model");
    switch (kind) {
    case ProviderKind::OpenAI: {
        const json *data = member(j, "data");
        if (!data || !data->is_array())
            return fail(bad(kind, QStringLiteral("has no \"data\"")));
        // Order by "index": the list is not promised to be in input order.
        QList<std::pair<int, QList<float>>> indexed;
        int position = 0;
        for (const auto &item : *data) {
            const json *e = member(item, "embedding");
            if (!e)
                return fail(bad(kind, QStringLiteral("has an item without \"embedding\"")));
            auto v = e->is_string() ? floatsFromBase64(e->get<std::string>()) : floatsFrom(*e);
            if (!v)
                return fail(bad(kind, QStringLiteral("has an unreadable vector")));
            indexed.append({jsonutil::optInt(item, "index").value_or(position), std::move(*v)});
            ++position;
        }
        std::stable_sort(indexed.begin(), indexed.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (auto &[index, v] : indexed)
            out.vectors << std::move(v);
        if (const json *usage = member(j, "usage"))
            out.inputTokens = jsonutil::optInt(*usage, "prompt_tokens");
        break;
    }
    case ProviderKind::Ollama: {
        const json *list = member(j, "embeddings");
        if (!list || !list->is_array())
            return fail(bad(kind, QStringLiteral("has no \"embeddings\"")));
        for (const auto &e : *list) {
            auto v = floatsFrom(e);
            if (!v)
                return fail(bad(kind, QStringLiteral("has an unreadable vector")));
            out.vectors << std::move(*v);
        }
        out.inputTokens = jsonutil::optInt(j, "prompt_eval_count");
        break;
    }
    case ProviderKind::Gemini: {
        QList<const json *> items;
        if (const json *one = member(j, "embedding"))
            items << one;
        else if (const json *many = member(j, "embeddings"); many && many->is_array())
            for (const auto &e : *many)
                items << &e;
        else
            return fail(bad(kind, QStringLiteral("has no \"embedding\"")));
        for (const json *e : items) {
            const json *values = member(*e, "values");
            auto v = values ? floatsFrom(*values) : std::nullopt;
            if (!v)
                return fail(bad(kind, QStringLiteral("has an unreadable vector")));
            out.vectors << std::move(*v);
        }
        break;
    }
    case ProviderKind::Anthropic:
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Anthropic offers no embeddings API."));
    }
    return out;
}

} // namespace ts
