#pragma once

#include "evals/evalresults.h"

#include <nlohmann/json.hpp>

#include <string>

namespace ts {

/// Writes the records of the streamed `--json` report straight as text: the bytes that
/// nlohmann's dump(2) gives for an element of evalResultRecords() inside the document (keys
/// sorted, two-space indent), without building the element as a json object first. A
/// 100,000-case eval has 200,000 records with 600,000 assertions: building and freeing their
/// json trees took longer than reading them from the project.
class EvalRecordJson final
{
public:
    /// Appends to `out`.
    explicit EvalRecordJson(std::string &out);

    /// The record of sample `s` of cell (c, v) of `page`, its opening brace at indent `depth`
    /// (the caller writes the indentation before it and whatever follows the closing brace).
    void append(const EvalResults &page, int c, int v, const EvalSample &s, int depth);

private:
    void key(int indent, const char *name);
    void string(const QString &text);
    void escaped(const char *text, size_t size);
    void optionalString(const QString &text); ///< null when empty
    void number(double value);
    void number(const std::optional<double> &value); ///< null when unset
    void integer(qint64 value);
    void boolean(bool value);
    void value(const nlohmann::json &json, int depth);
    void next(bool last);

    std::string &m_out;
    nlohmann::detail::serializer<nlohmann::json> m_serializer;
};

} // namespace ts
