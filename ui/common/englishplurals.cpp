#include "common/englishplurals.h"

#include <cstring>

namespace ts {

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *disambiguation,
                                  int n) const
{
    if (n < 0 || !sourceText)
        return {}; // not a counted string: Qt uses the source text
    if (disambiguation && std::strstr(disambiguation, "%n"))
        return QString::fromUtf8(n == 1 ? sourceText : disambiguation);
    QString text = QString::fromUtf8(sourceText);
    if (!text.contains(QLatin1String("(s)")))
        return {};
    return text.replace(QLatin1String("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}

} // namespace ts
