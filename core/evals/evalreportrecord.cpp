#include "evals/evalreportrecord.h"

#include <charconv>

namespace ts {

EvalRecordJson::EvalRecordJson(std::string &out)
    : m_out(out)
    , m_serializer(nlohmann::detail::output_adapter<char>(out), ' ',
                   nlohmann::json::error_handler_t::replace)
{
}

void EvalRecordJson::key(int indent, const char *name)
{
    m_out.append(size_t(indent), ' ');
    m_out += '"';
    m_out += name;
    m_out += "\": ";
}

void EvalRecordJson::escaped(const char *text, size_t size)
{
    // nlohmann's escaping of valid UTF-8 without ensure_ascii: the two-character escapes, other
    // control characters as \u00xx (lowercase hex), everything else as is.
    static constexpr char kHex[] = "0123456789abcdef";
    m_out += '"';
    size_t plain = 0;
    for (size_t i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\')
            continue;
        m_out.append(text + plain, i - plain);
        plain = i + 1;
        switch (byte) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\b':
            m_out += "\\b";
            break;
        case '\f':
            m_out += "\\f";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        default:
            m_out += "\\u00";
            m_out += kHex[byte >> 4];
            m_out += kHex[byte & 0xF];
        }
    }
    m_out.append(text + plain, size - plain);
    m_out += '"';
}

void EvalRecordJson::string(const QString &text)
{
    // QString's UTF-8 is always valid (a lone surrogate becomes a replacement character), so
    // the byte-wise escaping above is what nlohmann does with it.
    const QByteArray utf8 = text.toUtf8();
    escaped(utf8.constData(), size_t(utf8.size()));
}

void EvalRecordJson::optionalString(const QString &text)
{
    if (text.isEmpty())
        m_out += "null";
    else
        string(text);
}

void EvalRecordJson::number(double value)
{
    // nlohmann's own float formatting (shortest round trip, ".0" on whole numbers, null for
    // NaN and infinities).
    m_serializer.dump(nlohmann::json(value), true, false, 2, 0);
}

void EvalRecordJson::number(const std::optional<double> &value)
{
    if (value)
        number(*value);
    else
        m_out += "null";
}

void EvalRecordJson::integer(qint64 value)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    m_out.append(buffer, size_t(end - buffer));
}

void EvalRecordJson::boolean(bool value)
{
    m_out += value ? "true" : "false";
}

void EvalRecordJson::value(const nlohmann::json &json, int depth)
{
    m_serializer.dump(json, true, false, 2, unsigned(depth));
}

void EvalRecordJson::next(bool last)
{
    m_out += last ? "\n" : ",\n";
}

void EvalRecordJson::append(const EvalResults &r, int c, int v, const EvalSample &s, int depth)
{
    // The keys of recordJson() in evalreport.cpp, in nlohmann's (sorted) order.
    const TestCase &tc = r.cases[c];
    const EvalVariantSummary &variant = r.variants[v];
    const int in = depth + 2;
    m_out += "{\n";
    key(in, "assertions");
    if (s.assertions.isEmpty()) {
        m_out += "[]";
    } else {
        m_out += "[\n";
        const int item = in + 2;
        const int field = item + 2;
        for (qsizetype i = 0; i < s.assertions.size(); ++i) {
            const AssertionResult &a = s.assertions[i];
            m_out.append(size_t(item), ' ');
            m_out += "{\n";
            key(field, "pass");
            boolean(a.pass);
            next(false);
            key(field, "reason");
            string(a.reason);
            next(false);
            key(field, "score");
            number(a.score);
            next(false);
            key(field, "type");
            string(a.type);
            next(false);
            key(field, "value");
            value(a.value, field);
            next(false);
            key(field, "weight");
            number(a.weight);
            next(true);
            m_out.append(size_t(item), ' ');
            m_out += '}';
            next(i + 1 == s.assertions.size());
        }
        m_out.append(size_t(in), ' ');
        m_out += ']';
    }
    next(false);
    key(in, "cached");
    boolean(s.cacheHit);
    next(false);
    key(in, "case_id");
    integer(tc.id);
    next(false);
    key(in, "case_index");
    integer(r.caseNumber(c));
    next(false);
    key(in, "cost");
    number(s.cost);
    next(false);
    key(in, "description");
    string(tc.data.description);
    next(false);
    key(in, "error");
    optionalString(s.error);
    next(false);
    key(in, "expected");
    if (tc.data.expected)
        string(*tc.data.expected);
    else
        m_out += "null";
    next(false);
    key(in, "generation_id");
    integer(s.generationId);
    next(false);
    key(in, "judgments");
    if (s.judgments.isEmpty()) {
        m_out += "[]";
    } else {
        m_out += "[\n";
        const int item = in + 2;
        const int field = item + 2;
        for (qsizetype i = 0; i < s.judgments.size(); ++i) {
            const JudgeOutcome &j = s.judgments[i];
            m_out.append(size_t(item), ' ');
            m_out += "{\n";
            key(field, "error");
            optionalString(j.error);
            next(false);
            key(field, "judge");
            string(j.judgeName);
            next(false);
            key(field, "kind");
            string(judgeKindName(j.kind));
            next(false);
            key(field, "pass");
            if (j.pass)
                boolean(*j.pass);
            else
                m_out += "null";
            next(false);
            key(field, "reason");
            string(j.reason);
            next(false);
            key(field, "score");
            number(j.score);
            next(true);
            m_out.append(size_t(item), ' ');
            m_out += '}';
            next(i + 1 == s.judgments.size());
        }
        m_out.append(size_t(in), ' ');
        m_out += ']';
    }
    next(false);
    key(in, "latency_ms");
    number(s.latencyMs);
    next(false);
    key(in, "model");
    string(variant.modelName);
    next(false);
    key(in, "output");
    string(s.output);
    next(false);
    key(in, "pass");
    boolean(s.pass);
    next(false);
    key(in, "prompt");
    string(variant.promptName);
    next(false);
    key(in, "prompt_version");
    integer(variant.promptVersion);
    next(false);
    key(in, "reason");
    string(s.reason);
    next(false);
    key(in, "sample_index");
    integer(s.sampleIndex);
    next(false);
    key(in, "score");
    number(s.score);
    next(false);
    key(in, "scored");
    boolean(s.hasVerdict());
    next(false);
    key(in, "status");
    string(generationStatusName(s.status));
    next(false);
    key(in, "variant");
    integer(v);
    next(false);
    key(in, "vars");
    value(tc.data.vars, in);
    next(true);
    m_out.append(size_t(depth), ' ');
    m_out += '}';
}

} // namespace ts
