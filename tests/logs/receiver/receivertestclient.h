#pragma once

// Sends one HTTP request to a receiver on loopback and waits for the answer (receiver tests).

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include <nlohmann/json.hpp>

namespace otlptest {

struct Reply
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    nlohmann::json jsonBody() const
    {
        return nlohmann::json::parse(body.toStdString(), nullptr, false);
    }
};

inline Reply send(QNetworkAccessManager &nam, quint16 port, const QByteArray &body,
                  const QByteArray &contentType, const QByteArray &contentEncoding,
                  const QString &path, const QByteArray &method)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    if (!contentEncoding.isEmpty())
        request.setRawHeader("Content-Encoding", contentEncoding);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.contentType = reply->rawHeader("Content-Type");
    r.body = reply->readAll();
    r.error = reply->error();
    r.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return r;
}

} // namespace otlptest
