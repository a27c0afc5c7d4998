#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// One test case as a file format carries it, before it is stored: the variables the
/// prompt template is rendered with, an optional expected output, tags and a description.
struct TestCaseData
{
    nlohmann::json vars = nlohmann::json::object(); ///< variable name -> value (any JSON)
    std::optional<QString> expected; ///< reference output, if the case has one
    QStringList tags;
    QString description;

    bool operator==(const TestCaseData &other) const = default;
};

/// A canonical SHA-256 (hex) of a case's content, equal for cases that are the same to a user:
/// object keys are sorted, tags are compared as a sorted set, and a missing expected output
/// differs from an empty one. Use it to deduplicate cases on import.
QByteArray contentKey(const TestCaseData &testCase);

} // namespace ts
