#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace ts {

/// Request or response headers in wire order. Response header names are lowercased.
using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// The value of the first header called `name` (case-insensitive), or an empty array.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

/// A plain HTTP request: what the provider builders produce and the network layer sends.
struct HttpRequest
{
    QByteArray method = "POST";
    QByteArray url;
    HttpHeaders headers;
    QByteArray body; ///< empty for GET

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

} // namespace ts
