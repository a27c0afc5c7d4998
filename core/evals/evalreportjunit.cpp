#include "evals/evalreportjunit.h"

#include <QIODevice>
#include <QTemporaryFile>
#include <QXmlStreamWriter>

#include <optional>

namespace ts {

namespace {

QString caseName(const EvalResults &r, int c)
{
    const TestCase &tc = r.cases[c];
    const int number = r.caseNumber(c) + 1;
    return tc.data.description.isEmpty()
        ? QStringLiteral("case %1").arg(number)
        : QStringLiteral("case %1: %2").arg(number).arg(tc.data.description);
}

// Passes writes on to `target`, or swallows them while muted.
class MutableDevice final : public QIODevice
{
public:
    explicit MutableDevice(QIODevice *target)
        : m_target(target)
    {
        open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }
    bool muted = false;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        return muted ? size : m_target->write(data, size);
    }

private:
    QIODevice *m_target;
};

// QXmlStreamWriter's escaping of ASCII in attribute values and in text, learned from it once:
// with it a test case whose text is plain enough is written as bytes, the same as the writer's
// but without its per-token encoding. Characters it does not vouch for (control characters
// the writer refuses, C1 controls, surrogates out of pairs, noncharacters) leave the test case
// to the writer.
class XmlEscapes
{
public:
    static const XmlEscapes &instance()
    {
        static const XmlEscapes escapes;
        return escapes;
    }

    /// Appends `text` escaped (as an attribute value or as text) to `out`; false, with `out`
    /// partly written, when a character needs the writer.
    bool append(QByteArray &out, QStringView text, bool attribute) const
    {
        const auto &table = attribute ? m_attribute : m_text;
        qsizetype plain = 0; // start of the run of characters copied as they are
        const auto copyRun = [&](qsizetype end) {
            if (end > plain)
                out += text.sliced(plain, end - plain).toUtf8();
        };
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t c = text[i].unicode();
            if (c < 0x80) {
                const std::optional<QByteArray> &escaped = table[c];
                if (!escaped)
                    return false;
                if (escaped->size() == 1 && escaped->at(0) == char(c))
                    continue;
                copyRun(i);
                out += *escaped;
                plain = i + 1;
            } else if (QChar::isHighSurrogate(c)) {
                if (i + 1 >= text.size() || !QChar::isLowSurrogate(text[i + 1].unicode()))
                    return false;
                ++i;
            } else if (c < 0xA0 || QChar::isLowSurrogate(c) || c >= 0xFFFE) {
                return false;
            }
        }
        copyRun(text.size());
        return true;
    }

private:
    XmlEscapes()
    {
        for (char16_t c = 0; c < 0x80; ++c) {
            QByteArray probe;
            QXmlStreamWriter w(&probe);
            const QString marked = QLatin1Char('[') + QChar(c) + QLatin1Char(']');
            w.writeStartElement(QStringLiteral("a"));
            w.writeAttribute(QStringLiteral("x"), marked);
            w.writeCharacters(marked);
            w.writeEndElement();
            // <a x="[ATTRIBUTE]">[TEXT]</a>
            const QByteArray head = "<a x=\"[", middle = "]\">[", tail = "]</a>";
            const qsizetype split = probe.indexOf(middle, head.size());
            if (w.hasError() || !probe.startsWith(head) || !probe.endsWith(tail) || split < 0)
                continue;
            m_attribute[c] = probe.mid(head.size(), split - head.size());
            m_text[c] = probe.mid(split + middle.size(),
                                  probe.size() - tail.size() - split - middle.size());
        }
    }

    std::optional<QByteArray> m_attribute[0x80];
    std::optional<QByteArray> m_text[0x80];
};

} // namespace

struct JunitReportWriter::Part
{
    explicit Part(QIODevice *target, std::unique_ptr<QTemporaryFile> temporary = {})
        : file(std::move(temporary))
        , device(file ? file.get() : target)
        , writer(&device)
    {
    }
    std::unique_ptr<QTemporaryFile> file; ///< the variants after the first
    MutableDevice device;
    QXmlStreamWriter writer;
    /// The writer has written a test case of this suite: it is in the state every later test
    /// case leaves it in, so one written as bytes (directTestcase()) keeps it right.
    bool afterTestcase = false;
    QByteArray bytes;
};

namespace {

/// The seconds a cell's samples took together.
double cellSeconds(const EvalCell &cell)
{
    double time = 0;
    for (const EvalSample &s : cell.samples)
        time += s.latencyMs.value_or(0) / 1000.0;
    return time;
}

/// The sample a failed test case reports: the last failed call, else the last failure.
const EvalSample *reportedSample(const EvalCell &cell)
{
    const EvalSample *bad = nullptr;
    for (const EvalSample &s : cell.samples)
        if (!s.pass && (!bad || !s.hasVerdict()))
            bad = &s;
    return bad;
}

QString failureMessage(const EvalCell &cell, const EvalSample &bad)
{
    if (cell.samples.size() <= 1)
        return bad.reason;
    return QStringLiteral("%1 of %2 samples passed; sample %3: %4")
        .arg(cell.passes())
        .arg(cell.outputs())
        .arg(bad.sampleIndex)
        .arg(bad.reason);
}

// The bytes QXmlStreamWriter (auto-formatted, 4 spaces) writes for writeTestcase() after an
// earlier test case of the suite; false when a text needs the writer itself.
bool directTestcase(QByteArray &out, const EvalResults &r, int c, int v, const QString &name)
{
    const XmlEscapes &xml = XmlEscapes::instance();
    const EvalCell &cell = r.cell(c, v);
    const double time = cellSeconds(cell);
    const EvalSample *bad = reportedSample(cell);
    const QString &shown = cell.samples.first().output;
    // An empty element's form is the writer's business.
    if (shown.isEmpty() || (bad && bad->output.isEmpty()))
        return false;
    out += "\n        <testcase classname=\"";
    if (!xml.append(out, r.dataset.name, true))
        return false;
    out += "\" name=\"";
    if (!xml.append(out, name, true))
        return false;
    out += "\" time=\"";
    out += QByteArray::number(time, 'f', 3);
    out += "\">";
    if (bad) {
        const char *tag = bad->hasVerdict() ? "failure" : "error";
        const QString message = failureMessage(cell, *bad);
        out += "\n            <";
        out += tag;
        out += " message=\"";
        if (!xml.append(out, message, true))
            return false;
        out += "\">";
        if (!xml.append(out, bad->output, false))
            return false;
        out += "</";
        out += tag;
        out += '>';
    }
    out += "\n            <system-out>";
    if (!xml.append(out, shown, false))
        return false;
    out += "</system-out>\n        </testcase>";
    return true;
}

} // namespace

JunitReportWriter::JunitReportWriter(const EvalResults &verdicts, QIODevice &out)
    : m_verdicts(verdicts)
    , m_out(out)
{
}

JunitReportWriter::~JunitReportWriter() = default;

QList<JunitReportWriter::Suite> JunitReportWriter::suites(const EvalResults &r)
{
    QList<Suite> suites(r.variants.size());
    for (int v = 0; v < r.variants.size(); ++v)
        for (int c = 0; c < r.cases.size(); ++c) {
            const EvalCell &cell = r.cell(c, v);
            if (cell.samples.isEmpty())
                continue;
            ++suites[v].tests;
            bool error = false;
            for (const EvalSample &s : cell.samples) {
                error = error || !s.hasVerdict();
                suites[v].time += s.latencyMs.value_or(0) / 1000.0;
            }
            if (error)
                ++suites[v].errors;
            else if (!cell.pass())
                ++suites[v].failures;
        }
    return suites;
}

void JunitReportWriter::writeHead(QXmlStreamWriter &w, const EvalResults &r,
                                  const QList<Suite> &suites)
{
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("testsuites"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("touchstone eval %1").arg(r.evalId));
    int allTests = 0, allFailures = 0, allErrors = 0;
    for (const Suite &s : suites) {
        allTests += s.tests;
        allFailures += s.failures;
        allErrors += s.errors;
    }
    w.writeAttribute(QStringLiteral("tests"), QString::number(allTests));
    w.writeAttribute(QStringLiteral("failures"), QString::number(allFailures));
    w.writeAttribute(QStringLiteral("errors"), QString::number(allErrors));
}

void JunitReportWriter::writeSuiteStart(QXmlStreamWriter &w, const EvalResults &r,
                                        const QList<Suite> &suites, int v)
{
    w.writeStartElement(QStringLiteral("testsuite"));
    w.writeAttribute(QStringLiteral("name"), r.variants[v].label);
    w.writeAttribute(QStringLiteral("tests"), QString::number(suites[v].tests));
    w.writeAttribute(QStringLiteral("failures"), QString::number(suites[v].failures));
    w.writeAttribute(QStringLiteral("errors"), QString::number(suites[v].errors));
    w.writeAttribute(QStringLiteral("time"), QString::number(suites[v].time, 'f', 3));
}

void JunitReportWriter::writeTestcase(QXmlStreamWriter &w, const EvalResults &r, int c, int v)
{
    const EvalCell &cell = r.cell(c, v);
    if (cell.samples.isEmpty())
        return;
    w.writeStartElement(QStringLiteral("testcase"));
    w.writeAttribute(QStringLiteral("classname"), r.dataset.name);
    w.writeAttribute(QStringLiteral("name"), caseName(r, c));
    w.writeAttribute(QStringLiteral("time"), QString::number(cellSeconds(cell), 'f', 3));
    if (const EvalSample *bad = reportedSample(cell)) {
        const bool error = !bad->hasVerdict();
        w.writeStartElement(error ? QStringLiteral("error") : QStringLiteral("failure"));
        w.writeAttribute(QStringLiteral("message"), failureMessage(cell, *bad));
        w.writeCharacters(bad->output);
        w.writeEndElement();
    }
    w.writeTextElement(QStringLiteral("system-out"), cell.samples.first().output);
    w.writeEndElement();
}

Result<void> JunitReportWriter::begin()
{
    m_suites = suites(m_verdicts);
    const int variants = int(m_verdicts.variants.size());
    for (int v = 0; v < std::max(variants, 1); ++v) {
        std::unique_ptr<QTemporaryFile> file;
        if (v > 0) {
            file = std::make_unique<QTemporaryFile>();
            if (!file->open())
                return fail(ErrorCode::Io,
                            QStringLiteral("Cannot create a temporary file for the JUnit report: "
                                           "%1")
                                .arg(file->errorString()));
        }
        auto part = std::make_unique<Part>(&m_out, std::move(file));
        // Every writer goes through the suites before its own, unheard.
        part->device.muted = v > 0;
        writeHead(part->writer, m_verdicts, m_suites);
        for (int u = 0; u < v; ++u) {
            writeSuiteStart(part->writer, m_verdicts, m_suites, u);
            part->writer.writeEndElement();
        }
        part->device.muted = false;
        if (v < variants)
            writeSuiteStart(part->writer, m_verdicts, m_suites, v);
        m_parts.push_back(std::move(part));
    }
    return {};
}

void JunitReportWriter::add(const EvalResults &page, int c, int v)
{
    if (v < 0 || size_t(v) >= m_parts.size() || page.cell(c, v).samples.isEmpty())
        return;
    Part &part = *m_parts[size_t(v)];
    if (part.afterTestcase) {
        part.bytes.clear();
        if (directTestcase(part.bytes, page, c, v, caseName(page, c))) {
            part.device.write(part.bytes);
            return;
        }
    }
    writeTestcase(part.writer, page, c, v);
    part.afterTestcase = true;
}

Result<void> JunitReportWriter::finish()
{
    const int variants = int(m_verdicts.variants.size());
    const auto failed = [this](const QString &why) {
        return fail(ErrorCode::Io, QStringLiteral("Could not write the JUnit XML: %1").arg(why));
    };
    for (int v = 0; v < int(m_parts.size()); ++v) {
        Part &part = *m_parts[size_t(v)];
        if (v < variants)
            part.writer.writeEndElement();
        // The suites after its own and the document's end belong to the last writer.
        part.device.muted = v + 1 < int(m_parts.size());
        for (int u = v + 1; u < variants; ++u) {
            writeSuiteStart(part.writer, m_verdicts, m_suites, u);
            part.writer.writeEndElement();
        }
        part.writer.writeEndElement();
        part.writer.writeEndDocument();
        if (part.writer.hasError())
            return failed(m_out.errorString());
    }
    QByteArray chunk;
    for (size_t v = 1; v < m_parts.size(); ++v) {
        QTemporaryFile &file = *m_parts[v]->file;
        if (!file.flush() || !file.seek(0))
            return failed(file.errorString());
        while (!file.atEnd()) {
            chunk = file.read(1 << 20);
            if (chunk.isEmpty())
                return failed(file.errorString());
            if (m_out.write(chunk) != chunk.size())
                return failed(m_out.errorString());
        }
    }
    m_parts.clear();
    return {};
}

} // namespace ts
