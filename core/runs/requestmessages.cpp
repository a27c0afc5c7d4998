#include "runs/requestmessages.h"

namespace ts {

namespace {

std::string textOf(const nlohmann::json &content)
{
    if (content.is_string())
        return content.get<std::string>();
    const nlohmann::json &parts
        = content.is_object() && content.contains("parts") ? content["parts"] : content;
    std::string joined;
    if (parts.is_array())
        for (const auto &part : parts)
            if (part.is_object() && part.contains("text") && part["text"].is_string())
                joined += (joined.empty() ? "" : "\n") + part["text"].get<std::string>();
    return joined;
}

} // namespace

nlohmann::json requestMessages(const nlohmann::json &request)
{
    nlohmann::json messages = nlohmann::json::array();
    if (!request.is_object() || !request.contains("body") || !request["body"].is_object())
        return messages;
    const nlohmann::json &body = request["body"];
    if (body.contains("system"))
        messages.push_back({{"role", "system"}, {"content", textOf(body["system"])}});
    if (body.contains("systemInstruction"))
        messages.push_back({{"role", "system"}, {"content", textOf(body["systemInstruction"])}});
    for (const char *key : {"messages", "contents"}) {
        if (!body.contains(key) || !body[key].is_array())
            continue;
        for (const auto &m : body[key])
            if (m.is_object())
                messages.push_back(
                    {{"role", m.value("role", std::string("user"))},
                     {"content",
                      textOf(m.contains("content") ? m["content"]
                                                   : m.value("parts", nlohmann::json()))}});
    }
    return messages;
}

} // namespace ts
