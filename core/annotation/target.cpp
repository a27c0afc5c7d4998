#include "annotation/target.h"

namespace ts {

QString Target::kindName() const
{
    switch (kind) {
    case Kind::Generation: return QStringLiteral("generation");
    case Kind::Log: return QStringLiteral("log");
    case Kind::Case: return QStringLiteral("case");
    }
    return {};
}

QString Target::key() const
{
    return kindName() + QLatin1Char(':') + QString::number(id);
}

std::optional<Target::Kind> Target::parseKind(const QString &name)
{
    if (name == QLatin1String("generation"))
        return Kind::Generation;
    if (name == QLatin1String("log"))
        return Kind::Log;
    if (name == QLatin1String("case"))
        return Kind::Case;
    return std::nullopt;
}

std::optional<Target> Target::parseKey(const QString &key)
{
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return std::nullopt;
    const auto kind = parseKind(key.left(colon));
    bool ok = false;
    const qint64 id = key.mid(colon + 1).toLongLong(&ok);
    if (!kind || !ok)
        return std::nullopt;
    return Target{*kind, id};
}

} // namespace ts
