#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// A row of `runs`: one prompt version on one model (playground, eval variant or judge pass).
struct RunRecord
{
    qint64 id = 0;
    QString kind = QStringLiteral("playground"); ///< playground | eval | judge
    std::optional<qint64> promptVersionId;
    std::optional<qint64> modelId;
    nlohmann::json modelSnapshot = nlohmann::json::object(); ///< the model as used, no key
    std::optional<qint64> datasetId;
    nlohmann::json params = nlohmann::json::object();
    int samples = 1;
    QString status = QStringLiteral("running");
    QString createdAt;
    QString finishedAt;
};

} // namespace ts
