#include "net/redact.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace ts {

namespace {

const QString mask = QStringLiteral("***");

bool isSecretHeader(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "authorization" || lower == "x-api-key" || lower == "x-goog-api-key"
        || lower == "api-key" || lower == "proxy-authorization";
}

} // namespace

QString redactSecrets(const QString &text)
{
    static const QRegularExpression header(
        QStringLiteral(
            R"(((?:proxy-)?authorization|x-api-key|x-goog-api-key|api-key)(["']?\s*[:=]\s*["']?)(bearer\s+|basic\s+)?[^\s"',&]+)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression query(QStringLiteral(R"(([?&](?:api_?)?key=)[^&\s"'#]+)"),
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression skKey(QStringLiteral(R"(\bsk-[A-Za-z0-9_\-]{6,})"));
    QString out = text;
    out.replace(header, QStringLiteral("\\1\\2\\3") + mask);
    out.replace(query, QStringLiteral("\\1") + mask);
    out.replace(skKey, QStringLiteral("sk-") + mask);
    return out;
}

QList<QByteArray> secretsOf(const HttpRequest &request)
{
    QList<QByteArray> secrets;
    for (const auto &[name, value] : request.headers) {
        if (!isSecretHeader(name))
            continue;
        QByteArray secret = value.trimmed();
        const qsizetype space = secret.indexOf(' ');
        if (space > 0
            && (secret.startsWith("Bearer ") || secret.startsWith("bearer ")
                || secret.startsWith("Basic ")))
            secret = secret.mid(space + 1).trimmed();
        if (secret.size() >= 4)
            secrets.append(secret);
    }
    const QUrlQuery query(QUrl::fromEncoded(request.url));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyEncoded)) {
        if (name.compare(QLatin1String("key"), Qt::CaseInsensitive) == 0 && value.size() >= 4)
            secrets.append(value.toUtf8());
    }
    return secrets;
}

QString redactSecrets(const QString &text, const QList<QByteArray> &secrets)
{
    QString out = text;
    for (const QByteArray &secret : secrets)
        out.replace(QString::fromUtf8(secret), mask);
    return redactSecrets(out);
}

} // namespace ts
