#pragma once

#include <QString>

namespace ts {

/// "Mar 30, 14:47" in local time (with the year when it is not this one) from a stored ISO 8601
/// UTC time; the text itself when it is not one. For lists people scan, where a full timestamp
/// is noise.
QString shortLocalTime(const QString &isoUtc);

} // namespace ts
