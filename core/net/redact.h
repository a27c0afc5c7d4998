#pragma once

#include "common/httprequest.h"

#include <QString>

namespace ts {

/// Masks secrets in text meant for a person or a log: the values of Authorization,
/// x-api-key and x-goog-api-key headers (as `Name: value` or JSON `"name": "value"`),
/// `key=` query parameters, and OpenAI-style `sk-…` keys.
QString redactSecrets(const QString &text);

/// The secret values carried by a request (auth header values and `key=` query values),
/// so that they can be masked wherever they show up.
QList<QByteArray> secretsOf(const HttpRequest &request);

/// redactSecrets(), plus every literal occurrence of `secrets` replaced by "***".
QString redactSecrets(const QString &text, const QList<QByteArray> &secrets);

} // namespace ts
