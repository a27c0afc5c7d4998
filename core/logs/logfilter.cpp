#include "logs/logfilter.h"

namespace ts {

bool LogFilter::isEmpty() const
{
    return !sinceMs && !untilMs && !model && !ok && search.trimmed().isEmpty() && !promptName
           && !promptVersion && !sourceFormat && !hasToolCalls && !importedSince;
}

} // namespace ts
