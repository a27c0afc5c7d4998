#include "cli.h"

namespace ts::cli {

int runDrift(const QStringList &args)
{
    Q_UNUSED(args);
    return usageError(QStringLiteral("'drift' is being built"), QStringLiteral("drift"));
}

} // namespace ts::cli
