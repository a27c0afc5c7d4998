#include "common/markdown.h"

#include <cmark.h>

#include <cstdlib>

namespace ts {

QString markdownToHtml(const QString &markdown)
{
    const QByteArray utf8 = markdown.toUtf8();
    // CMARK_OPT_SAFE is the default in cmark >= 0.29; kept explicit for older versions.
    char *html = cmark_markdown_to_html(utf8.constData(), size_t(utf8.size()),
                                        CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    const QString result = QString::fromUtf8(html);
    std::free(html);
    return result;
}

} // namespace ts
