#pragma once

// Internal to core_evals: promptfoo's `javascript` and `python` assertions and `transform`,
// run in a node / python3 subprocess with a time limit.

#include "common/error.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace ts::scripts {

enum class Language { JavaScript, Python };

/// What to run: inline code as promptfoo writes it, or a file:// reference.
struct Script
{
    Language language = Language::JavaScript;
    QString code; ///< inline code, or "file://path[:function]"
    QString baseDir; ///< for a relative file:// path
    int timeoutMs = 10000;
};

/// Runs an assertion script with promptfoo's conventions and returns what it returned (any
/// JSON value; undefined/None become null). JavaScript: a one-line expression is returned
/// (`output.length < 10`, or `const x = …; x > 1`), multi-line code is a function body with
/// `return`; files export a function (module.exports, default export or the named one).
/// Python: a one-line expression is returned from `main(output, context)`, multi-line code is
/// that function's body; files define `get_assert(output, context)` or the named function.
/// Fails with a message when the interpreter is not installed, the code throws, the time limit
/// passes, or the result cannot be read.
Result<nlohmann::json> runAssertionScript(const Script &script, const nlohmann::json &output,
                                          const nlohmann::json &context);

/// Runs a promptfoo transform (JavaScript): inline `output.trim()` / a body with `return`,
/// or file://path.js[:function]. Returns the new output.
Result<nlohmann::json> runTransform(const Script &script, const nlohmann::json &output,
                                    const nlohmann::json &context);

} // namespace ts::scripts
