#include "io/yamlconvert.h"

#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace ts {

namespace {

using nlohmann::json;

json plainScalar(const std::string &text)
{
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression number(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    const QString s = QString::fromStdString(text);
    if (s.isEmpty() || s == QLatin1String("~") || s == QLatin1String("null")
        || s == QLatin1String("Null") || s == QLatin1String("NULL"))
        return nullptr;
    if (s == QLatin1String("true") || s == QLatin1String("True") || s == QLatin1String("TRUE"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("False") || s == QLatin1String("FALSE"))
        return false;
    if (integer.match(s).hasMatch()) {
        bool ok = false;
        const qlonglong value = s.toLongLong(&ok);
        if (ok)
            return value;
    }
    if (number.match(s).hasMatch()) {
        bool ok = false;
        const double value = s.toDouble(&ok);
        if (ok)
            return value;
    }
    return text;
}

} // namespace

json yamlToJson(const YAML::Node &node, const QString &path,
                QHash<QString, std::pair<int, int>> *positions)
{
    if (positions && !path.isEmpty()) {
        const YAML::Mark mark = node.Mark();
        if (!mark.is_null())
            positions->insert(path, {mark.line, mark.column});
    }
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted or block scalars "!".
        return node.Tag() == "!" ? json(node.Scalar()) : plainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        json out = json::array();
        int index = 0;
        for (const YAML::Node &item : node) {
            out.push_back(
                yamlToJson(item, QStringLiteral("%1[%2]").arg(path).arg(index), positions));
            ++index;
        }
        return out;
    }
    case YAML::NodeType::Map: {
        json out = json::object();
        for (const auto &entry : node) {
            const std::string key
                = entry.first.IsScalar() ? entry.first.Scalar() : YAML::Dump(entry.first);
            const QString qkey = QString::fromStdString(key);
            out[key] = yamlToJson(
                entry.second, path.isEmpty() ? qkey : path + QLatin1Char('.') + qkey, positions);
        }
        return out;
    }
    }
    return nullptr;
}

} // namespace ts
