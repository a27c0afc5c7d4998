#include "cli.h"

namespace ts::cli {

// Replaced by the evals work in this session.
int runImportPromptfoo(const QStringList &)
{
    err(QStringLiteral("touchstone-cli: this command is not available in this build\n"));
    return Failure;
}

} // namespace ts::cli
