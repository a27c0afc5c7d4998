#pragma once

#include <QHash>
#include <QString>

#include <nlohmann/json.hpp>

namespace YAML {
class Node;
}

namespace ts {

/// Converts parsed YAML to JSON with the types a YAML 1.2 reader (as promptfoo uses) gives:
/// quoted and block scalars are strings; plain scalars become null, true/false, integers or
/// floats when they look like one, else strings. Records the 0-based line and column of
/// every node under its path ("tests[1].assert[0].value") when `positions` is given.
/// May throw YAML::Exception; callers catch it.
nlohmann::json yamlToJson(const YAML::Node &node, const QString &path = QString(),
                          QHash<QString, std::pair<int, int>> *positions = nullptr);

} // namespace ts
