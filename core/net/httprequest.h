#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace ts {

/// Response or request headers in wire order. Response header names are lowercased.
using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// A plain HTTP request: what to send, nothing about how (see CallOptions).
struct HttpRequest
{
    QByteArray method = "POST";
    QByteArray url;
    HttpHeaders headers;
    QByteArray body;
};

/// The value of the first header called `name` (case-insensitive), or an empty array.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

} // namespace ts
