// Error bodies, model listings and embeddings of the fake server (see fakewire.h).

#include "fakewire.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace ts::test {

namespace {

using Json = nlohmann::ordered_json;

std::string str(const QString &text)
{
    return text.toStdString();
}

QByteArray bytes(const Json &json)
{
    return QByteArray::fromStdString(json.dump());
}

quint32 fnv1a(const QByteArray &data)
{
    quint32 hash = 2166136261u;
    for (const char byte : data) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return hash;
}

Json embeddingOf(const std::string &text, int dimensions)
{
    const quint32 seed = fnv1a(QByteArray::fromStdString(text));
    std::vector<double> values;
    double norm = 0;
    for (int i = 0; i < dimensions; ++i) {
        const double value = std::sin(double(seed % 10007) * 0.37 + i * 1.618);
        values.push_back(value);
        norm += value * value;
    }
    Json array = Json::array();
    for (const double value : values)
        array.push_back(norm > 0 ? value / std::sqrt(norm) : 0.0);
    return array;
}

FakeReply jsonReply(int status, const QByteArray &body)
{
    FakeReply reply;
    reply.status = status;
    reply.headers.emplaceBack("content-type", "application/json");
    reply.pieces.append({0, body});
    return reply;
}

struct ErrorText
{
    const char *openAiType;
    const char *openAiCode;
    const char *anthropicType;
    const char *geminiStatus;
    QString message;
};

ErrorText errorText(int status, const QString &model, bool quota)
{
    if (quota) {
        return {"insufficient_quota", "insufficient_quota", "rate_limit_error",
                "RESOURCE_EXHAUSTED",
                QStringLiteral("You exceeded your current quota, please check your plan and "
                               "billing details (insufficient_quota).")};
    }
    switch (status) {
    case 400:
        return {"invalid_request_error", nullptr, "invalid_request_error", "INVALID_ARGUMENT",
                QStringLiteral("Invalid request.")};
    case 401:
        return {"invalid_request_error", "invalid_api_key", "authentication_error",
                "UNAUTHENTICATED", QStringLiteral("Incorrect API key provided.")};
    case 403:
        return {"invalid_request_error", "permission_denied", "permission_error",
                "PERMISSION_DENIED",
                QStringLiteral("Your API key does not have permission to use the specified "
                               "resource.")};
    case 404:
        return {"invalid_request_error", "model_not_found", "not_found_error", "NOT_FOUND",
                QStringLiteral("The model `%1` does not exist or you do not have access to it.")
                    .arg(model)};
    case 408:
        return {"timeout", nullptr, "timeout_error", "DEADLINE_EXCEEDED",
                QStringLiteral("Request timed out.")};
    case 409:
        return {"conflict", nullptr, "api_error", "ABORTED", QStringLiteral("Conflict.")};
    case 429:
        return {"requests", "rate_limit_exceeded", "rate_limit_error", "RESOURCE_EXHAUSTED",
                QStringLiteral("Rate limit reached for requests. Please try again later.")};
    case 503:
        return {"server_error", nullptr, "api_error", "UNAVAILABLE",
                QStringLiteral("The engine is currently overloaded, please try again later.")};
    case 529:
        return {"server_error", nullptr, "overloaded_error", "UNAVAILABLE",
                QStringLiteral("Overloaded")};
    default:
        return {"server_error", nullptr, "api_error", "INTERNAL",
                QStringLiteral("The server had an error while processing your request.")};
    }
}

} // namespace

FakeReply fakeErrorReply(FakeApi api, int status, const QString &model, bool quota,
                         const FakeBehavior &behavior)
{
    const ErrorText text = errorText(status, model, quota);
    QByteArray body;
    switch (api) {
    case FakeApi::OpenAi:
        body = bytes({{"error",
                       {{"message", str(text.message)},
                        {"type", text.openAiType},
                        {"param", nullptr},
                        {"code", text.openAiCode ? Json(text.openAiCode) : Json()}}}});
        break;
    case FakeApi::Anthropic:
        body = bytes({{"type", "error"},
                      {"error", {{"type", text.anthropicType}, {"message", str(text.message)}}}});
        break;
    case FakeApi::Gemini:
        body = bytes(
            {{"error",
              {{"code", status}, {"message", str(text.message)}, {"status", text.geminiStatus}}}});
        break;
    case FakeApi::Ollama:
        body = bytes({{"error",
                       status == 404 ? str(QStringLiteral("model \"%1\" not found, try "
                                                          "pulling it first")
                                               .arg(model))
                                     : str(text.message)}});
        break;
    }
    FakeReply reply = jsonReply(status, body);
    reply.model = model;
    if (behavior.retryAfterSec >= 0)
        reply.headers.emplaceBack("retry-after", QByteArray::number(behavior.retryAfterSec));
    if (behavior.retryAfterMs >= 0)
        reply.headers.emplaceBack("retry-after-ms", QByteArray::number(behavior.retryAfterMs));
    return reply;
}

FakeReply fakeModelsReply(FakeApi api, const QStringList &models)
{
    Json list = Json::array();
    for (const QString &model : models) {
        switch (api) {
        case FakeApi::OpenAi:
            list.push_back({{"id", str(model)},
                            {"object", "model"},
                            {"created", 1730000000},
                            {"owned_by", "touchstone-fake"}});
            break;
        case FakeApi::Anthropic:
            list.push_back({{"type", "model"},
                            {"id", str(model)},
                            {"display_name", str(model)},
                            {"created_at", "2025-01-01T00:00:00Z"}});
            break;
        case FakeApi::Gemini:
            list.push_back({{"name", str(QStringLiteral("models/") + model)},
                            {"version", "001"},
                            {"displayName", str(model)},
                            {"inputTokenLimit", 1048576},
                            {"outputTokenLimit", 8192},
                            {"supportedGenerationMethods",
                             Json::array({"generateContent", "countTokens", "embedContent"})}});
            break;
        case FakeApi::Ollama:
            list.push_back({{"name", str(model)},
                            {"model", str(model)},
                            {"modified_at", "2025-01-01T00:00:00.000000000Z"},
                            {"size", 1000000},
                            {"digest", str(QString::number(fnv1a(model.toUtf8()), 16))},
                            {"details",
                             {{"parent_model", ""},
                              {"format", "gguf"},
                              {"family", "fake"},
                              {"families", Json::array({"fake"})},
                              {"parameter_size", "1B"},
                              {"quantization_level", "Q4_K_M"}}}});
            break;
        }
    }
    switch (api) {
    case FakeApi::OpenAi:
        return jsonReply(200, bytes({{"object", "list"}, {"data", list}}));
    case FakeApi::Anthropic:
        return jsonReply(200,
                         bytes({{"data", list},
                                {"has_more", false},
                                {"first_id", list.empty() ? Json() : list.front()["id"]},
                                {"last_id", list.empty() ? Json() : list.back()["id"]}}));
    case FakeApi::Gemini:
        return jsonReply(200, bytes({{"models", list}}));
    case FakeApi::Ollama:
        return jsonReply(200, bytes({{"models", list}}));
    }
    return {};
}

FakeReply fakeEmbeddingsReply(FakeApi api, const QByteArray &body, const QString &pathModel,
                              const QHash<QString, QList<double>> &fixed)
{
    const Json json = Json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (!json.is_object())
        return fakeErrorReply(api, 400, pathModel);
    const std::string model = json.value("model", str(pathModel));
    if (!QString::fromStdString(model).contains(QLatin1String("embed"), Qt::CaseInsensitive)) {
        const std::string message = "The model `" + model + "` does not support embeddings.";
        Json error;
        switch (api) {
        case FakeApi::OpenAi:
        case FakeApi::Anthropic:
            error = {{"error",
                      {{"message", message},
                       {"type", "invalid_request_error"},
                       {"param", "model"},
                       {"code", nullptr}}}};
            break;
        case FakeApi::Gemini:
            error = {
                {"error", {{"code", 400}, {"message", message}, {"status", "INVALID_ARGUMENT"}}}};
            break;
        case FakeApi::Ollama:
            error = {{"error", "\"" + model + "\" does not support embeddings"}};
            break;
        }
        FakeReply reply = jsonReply(400, bytes(error));
        reply.model = QString::fromStdString(model);
        return reply;
    }
    const int dimensions
        = std::clamp(json.value("dimensions", json.value("outputDimensionality", 8)), 1, 4096);
    const auto vectorOf = [&](const std::string &text) {
        const auto it = fixed.constFind(QString::fromStdString(text));
        if (it == fixed.constEnd())
            return embeddingOf(text, fixed.isEmpty() ? dimensions : int(fixed.cbegin()->size()));
        Json array = Json::array();
        for (double v : *it)
            array.push_back(v);
        return array;
    };
    std::vector<std::string> inputs;
    if (api == FakeApi::Gemini) {
        if (json.contains("content") && json["content"].contains("parts")) {
            std::string text;
            for (const Json &part : json["content"]["parts"])
                text += part.value("text", std::string());
            inputs.push_back(text);
        }
    } else {
        const Json input = json.value("input", Json());
        if (input.is_string())
            inputs.push_back(input.get<std::string>());
        else if (input.is_array())
            for (const Json &item : input)
                if (item.is_string())
                    inputs.push_back(item.get<std::string>());
    }
    if (inputs.empty())
        return fakeErrorReply(api, 400, QString::fromStdString(model));
    int words = 0;
    for (const std::string &text : inputs)
        words += fakeWordCount(QString::fromStdString(text));
    switch (api) {
    case FakeApi::OpenAi:
    case FakeApi::Anthropic: {
        Json data = Json::array();
        for (size_t i = 0; i < inputs.size(); ++i)
            data.push_back(
                {{"object", "embedding"}, {"index", i}, {"embedding", vectorOf(inputs[i])}});
        return jsonReply(200,
                         bytes({{"object", "list"},
                                {"data", data},
                                {"model", model},
                                {"usage", {{"prompt_tokens", words}, {"total_tokens", words}}}}));
    }
    case FakeApi::Ollama: {
        Json vectors = Json::array();
        for (const std::string &text : inputs)
            vectors.push_back(vectorOf(text));
        return jsonReply(200,
                         bytes({{"model", model},
                                {"embeddings", vectors},
                                {"total_duration", 1000000},
                                {"load_duration", 100000},
                                {"prompt_eval_count", words}}));
    }
    case FakeApi::Gemini:
        return jsonReply(200, bytes({{"embedding", {{"values", vectorOf(inputs.front())}}}}));
    }
    return {};
}

} // namespace ts::test
