#pragma once

#include "evals/evalresults.h"

#include <QList>

#include <memory>
#include <vector>

class QIODevice;
class QXmlStreamWriter;

namespace ts {

/// Writes the JUnit document of evalJunitXml() while an eval's cells arrive a case at a time
/// with every variant, although the document lists them variant by variant (one <testsuite>
/// each): one pass over the project then serves both --json and --junit.
///
/// Each variant has its own QXmlStreamWriter that writes the whole document's structure, but
/// only its own suite reaches a device: the first variant's goes straight to the output, the
/// others' to temporary files appended at the end. A writer arrives at its suite in the state
/// the single writer of evalJunitXml() would be in (a closed suite leaves the same state
/// whether it was empty or not), so the bytes are the same.
class JunitReportWriter final
{
public:
    /// `verdicts`: every cell's verdicts (EvalResults::load without details), for the counts
    /// in the suites' attributes that come before their test cases.
    JunitReportWriter(const EvalResults &verdicts, QIODevice &out);
    ~JunitReportWriter();

    /// The document's head and every variant's suite opened.
    Result<void> begin();
    /// The <testcase> of cell (c, v) of `page` (nothing when it has no sample), in case order
    /// within each variant.
    void add(const EvalResults &page, int c, int v);
    /// Closes the suites and appends the variants' parts in order.
    Result<void> finish();

    /// The pieces, also used by the single writer of evalJunitXml().
    struct Suite
    {
        int tests = 0, failures = 0, errors = 0;
        double time = 0;
    };
    static QList<Suite> suites(const EvalResults &verdicts);
    static void writeHead(QXmlStreamWriter &w, const EvalResults &verdicts,
                          const QList<Suite> &suites);
    static void writeSuiteStart(QXmlStreamWriter &w, const EvalResults &verdicts,
                                const QList<Suite> &suites, int v);
    static void writeTestcase(QXmlStreamWriter &w, const EvalResults &r, int c, int v);

private:
    struct Part;
    const EvalResults &m_verdicts;
    QList<Suite> m_suites;
    QIODevice &m_out;
    std::vector<std::unique_ptr<Part>> m_parts;
};

} // namespace ts
