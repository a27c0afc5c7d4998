#include "evals/jsonschemauri.h"

#include <QRegularExpression>
#include <QStringList>

namespace ts::jsonschema {

namespace {

struct UriParts
{
    QString scheme; // without ':'
    bool hasAuthority = false;
    QString authority;
    QString path;
    QString query; // with '?', or empty
};

UriParts split(const QString &noFragment)
{
    UriParts p;
    QString rest = noFragment;
    if (hasScheme(rest)) {
        const qsizetype colon = rest.indexOf(QLatin1Char(':'));
        p.scheme = rest.left(colon);
        rest = rest.mid(colon + 1);
    }
    if (rest.startsWith(QLatin1String("//"))) {
        p.hasAuthority = true;
        const qsizetype slash = rest.indexOf(QLatin1Char('/'), 2);
        p.authority = slash < 0 ? rest.mid(2) : rest.mid(2, slash - 2);
        rest = slash < 0 ? QString() : rest.mid(slash);
    }
    const qsizetype q = rest.indexOf(QLatin1Char('?'));
    p.path = q < 0 ? rest : rest.left(q);
    p.query = q < 0 ? QString() : rest.mid(q);
    return p;
}

QString removeDotSegments(const QString &path)
{
    if (!path.contains(QLatin1Char('.')))
        return path;
    const bool absolute = path.startsWith(QLatin1Char('/'));
    const bool trailing = path.endsWith(QLatin1Char('/')) || path.endsWith(QLatin1String("/."))
        || path.endsWith(QLatin1String("/.."));
    QStringList out;
    for (const QString &seg : path.split(QLatin1Char('/'))) {
        if (seg == QLatin1String("."))
            continue;
        if (seg == QLatin1String("..")) {
            if (!out.isEmpty() && !(out.size() == 1 && out.first().isEmpty()))
                out.removeLast();
            continue;
        }
        out.append(seg);
    }
    QString joined = out.join(QLatin1Char('/'));
    if (absolute && !joined.startsWith(QLatin1Char('/')))
        joined.prepend(QLatin1Char('/'));
    if (trailing && !joined.endsWith(QLatin1Char('/')))
        joined.append(QLatin1Char('/'));
    return joined;
}

QString join(const UriParts &p)
{
    QString out;
    if (!p.scheme.isEmpty())
        out += p.scheme + QLatin1Char(':');
    if (p.hasAuthority)
        out += QStringLiteral("//") + p.authority;
    return out + p.path + p.query;
}

} // namespace

bool hasScheme(const QString &uri)
{
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    return scheme.match(uri).hasMatch();
}

QString withoutFragment(const QString &uri)
{
    const qsizetype hash = uri.indexOf(QLatin1Char('#'));
    return hash < 0 ? uri : uri.left(hash);
}

QString resolveUri(const QString &base, const QString &ref)
{
    const qsizetype hash = ref.indexOf(QLatin1Char('#'));
    const QString fragment = hash < 0 ? QString() : ref.mid(hash); // with '#'
    const QString reference = hash < 0 ? ref : ref.left(hash);
    QString resolved;
    if (reference.isEmpty()) {
        resolved = withoutFragment(base);
    } else if (hasScheme(reference)) {
        UriParts r = split(reference);
        if (r.hasAuthority || r.path.startsWith(QLatin1Char('/')))
            r.path = removeDotSegments(r.path);
        resolved = join(r);
    } else {
        UriParts b = split(withoutFragment(base));
        const bool hierarchical = b.hasAuthority || b.path.startsWith(QLatin1Char('/'));
        if (!hierarchical)
            return ref; // e.g. a URN base: a relative reference has nothing to resolve against
        if (reference.startsWith(QLatin1String("//"))) {
            resolved = b.scheme + QLatin1Char(':') + reference;
        } else {
            UriParts r = split(reference);
            if (reference.startsWith(QLatin1Char('/'))) {
                b.path = removeDotSegments(r.path);
            } else if (reference.startsWith(QLatin1Char('?'))) {
                // keep the path
            } else {
                const qsizetype slash = b.path.lastIndexOf(QLatin1Char('/'));
                const QString dir = slash < 0 ? (b.hasAuthority ? QStringLiteral("/") : QString())
                                              : b.path.left(slash + 1);
                b.path = removeDotSegments(dir + r.path);
            }
            b.query = r.query;
            resolved = join(b);
        }
    }
    return fragment.size() > 1 ? resolved + fragment : resolved;
}

} // namespace ts::jsonschema
