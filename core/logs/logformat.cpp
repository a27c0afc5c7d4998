#include "logs/logformat.h"

#include "logs/formats/otelformats.h"
#include "logs/formats/vendorformats.h"

namespace ts {

const QList<LogFormat> &logFormats()
{
    // OpenTelemetry shapes first: their top-level keys (resourceSpans, resourceLogs) are the
    // most specific; then the vendors' exports.
    static const QList<LogFormat> formats = otelLogFormats() + vendorLogFormats();
    return formats;
}

const LogFormat *findLogFormat(const QString &name)
{
    for (const LogFormat &f : logFormats())
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return &f;
    return nullptr;
}

const LogFormat *detectLogFormat(const QByteArray &head)
{
    for (const LogFormat &f : logFormats())
        if (f.detect && f.detect(head))
            return &f;
    return nullptr;
}

} // namespace ts
