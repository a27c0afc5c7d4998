#pragma once

#include <QString>

namespace ts {

/// "1 case", "3 cases": English plurals without a translator (tr's %n leaves "case(s)").
inline QString counted(qint64 n, const QString &singular, const QString &plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

} // namespace ts
