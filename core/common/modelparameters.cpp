#include "common/modelparameters.h"

namespace ts {

nlohmann::json ModelParameters::toJson() const
{
    nlohmann::json json = nlohmann::json::object();
    if (temperature)
        json["temperature"] = *temperature;
    if (maxTokens)
        json["max_tokens"] = *maxTokens;
    if (topP)
        json["top_p"] = *topP;
    if (seed)
        json["seed"] = *seed;
    if (!stop.isEmpty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const QString &s : stop)
            list.push_back(s.toStdString());
        json["stop"] = list;
    }
    return json;
}

ModelParameters ModelParameters::fromJson(const nlohmann::json &json)
{
    ModelParameters p;
    if (!json.is_object())
        return p;
    if (auto it = json.find("temperature"); it != json.end() && it->is_number())
        p.temperature = it->get<double>();
    if (auto it = json.find("max_tokens"); it != json.end() && it->is_number())
        p.maxTokens = it->get<int>();
    if (auto it = json.find("top_p"); it != json.end() && it->is_number())
        p.topP = it->get<double>();
    if (auto it = json.find("seed"); it != json.end() && it->is_number())
        p.seed = it->get<qint64>();
    if (auto it = json.find("stop"); it != json.end()) {
        if (it->is_string())
            p.stop.append(QString::fromStdString(it->get<std::string>()));
        else if (it->is_array())
            for (const auto &s : *it)
                if (s.is_string())
                    p.stop.append(QString::fromStdString(s.get<std::string>()));
    }
    return p;
}

ModelParameters ModelParameters::overriding(const ModelParameters &base) const
{
    ModelParameters p = base;
    if (temperature)
        p.temperature = temperature;
    if (maxTokens)
        p.maxTokens = maxTokens;
    if (topP)
        p.topP = topP;
    if (seed)
        p.seed = seed;
    if (!stop.isEmpty())
        p.stop = stop;
    return p;
}

} // namespace ts
