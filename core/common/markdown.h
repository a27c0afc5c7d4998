#pragma once

#include <QString>

namespace ts {

/// CommonMark to HTML (cmark), with raw HTML in the source escaped rather than passed through:
/// model output is untrusted.
QString markdownToHtml(const QString &markdown);

} // namespace ts
