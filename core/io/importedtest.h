#pragma once

#include "io/testcasedata.h"

#include <QList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// A test case together with the assertions a promptfoo test carried.
/// Each assertion is {"type", "value"?, "weight"?, "threshold"?} with a type that
/// Touchstone evaluates (see isMappedAssertType()).
struct ImportedTest
{
    TestCaseData data;
    QList<nlohmann::json> asserts;
    std::optional<double> threshold; ///< the test's overall pass threshold, if set
};

} // namespace ts
