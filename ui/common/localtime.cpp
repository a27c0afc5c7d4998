#include "common/localtime.h"

#include <QDateTime>
#include <QLocale>

namespace ts {

QString shortLocalTime(const QString &isoUtc)
{
    const QDateTime t = QDateTime::fromString(isoUtc, Qt::ISODateWithMs);
    if (!t.isValid())
        return isoUtc;
    const QDateTime local = t.toLocalTime();
    const bool thisYear = local.date().year() == QDate::currentDate().year();
    return QLocale().toString(
        local, thisYear ? QStringLiteral("MMM d, HH:mm") : QStringLiteral("MMM d yyyy, HH:mm"));
}

} // namespace ts
