#pragma once

// URIs as JSON Schema's $id and $ref use them: enough of RFC 3986 to resolve a reference
// against the base URI that enclosing $ids set.

#include <QString>

namespace ts::jsonschema {

/// True when `uri` starts with a scheme ("http:", "urn:").
bool hasScheme(const QString &uri);
/// `uri` without its "#fragment".
QString withoutFragment(const QString &uri);
/// RFC 3986 reference resolution (section 5.2) of `ref` against `base`; a relative reference
/// against a base that is not hierarchical (a URN) is returned as it is.
QString resolveUri(const QString &base, const QString &ref);

} // namespace ts::jsonschema
