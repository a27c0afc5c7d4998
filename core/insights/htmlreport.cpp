#include "insights/htmlreport.h"

#include "insights/textmetrics.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

/// Replaces %1..%99 in one pass, so that a "%2" inside a substituted text (a label, an
/// output) stays as it is.
QString fmt(const QString &pattern, const QStringList &args)
{
    QString out;
    out.reserve(pattern.size() + 64);
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == QLatin1Char('%') && i + 1 < pattern.size() && pattern[i + 1].isDigit()) {
            int n = pattern[i + 1].digitValue();
            qsizetype len = 1;
            if (i + 2 < pattern.size() && pattern[i + 2].isDigit()
                && n * 10 + pattern[i + 2].digitValue() <= args.size()) {
                n = n * 10 + pattern[i + 2].digitValue();
                len = 2;
            }
            if (n >= 1 && n <= args.size()) {
                out += args[n - 1];
                i += len;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

QString str(int v)
{
    return QString::number(v);
}

QString num(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

QString pct(double v)
{
    return num(100 * v) + QLatin1Char('%');
}

QString methodName(stats::RateMethod m)
{
    return m == stats::RateMethod::Wilson ? QStringLiteral("Wilson 95% interval")
                                          : QStringLiteral("case bootstrap 95% interval");
}

QString verdictText(const std::optional<stats::ComparisonVerdict> &v)
{
    if (!v)
        return {};
    switch (*v) {
    case stats::ComparisonVerdict::Better:
        return QStringLiteral("better than baseline");
    case stats::ComparisonVerdict::Worse:
        return QStringLiteral("worse than baseline");
    case stats::ComparisonVerdict::NoSignificantDifference:
        break;
    }
    return QStringLiteral("no significant difference");
}

const char *kStyle = R"CSS(
:root { --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --grid: #d1d9e0; --panel: #f6f8fa;
  --accent: #0969da; --base: #8250df; --pass: #1a7f37; --fail: #cf222e; --front: #bf8700; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #3d444d; --panel: #151b23;
    --accent: #4493f8; --base: #ab7df8; --pass: #3fb950; --fail: #f85149; --front: #d29922; }
}
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --grid: #bbbbbb; --panel: #ffffff;
    --accent: #0550ae; --base: #6639ba; --pass: #116329; --fail: #a40e26; --front: #7d4e00; }
  section, .case, figure { break-inside: avoid; }
}
body { background: var(--bg); color: var(--fg); margin: 2rem auto; max-width: 1000px;
  padding: 0 1rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
  border-bottom: 1px solid var(--grid); padding-bottom: 0.2rem; }
.meta, .note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--grid); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.alert { color: var(--fail); font-weight: 600; } .ok { color: var(--pass); }
ul.sentences li { margin: 0.3rem 0; }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: 0.9rem; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg text { fill: var(--fg); } svg .muted { fill: var(--muted); }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .ci { stroke: var(--accent); stroke-width: 2; } svg .dot { fill: var(--accent); }
svg .base .ci { stroke: var(--base); } svg .base .dot { fill: var(--base); }
svg .front { stroke: var(--front); stroke-width: 2; fill: none; stroke-dasharray: 6 3; }
svg .onfront { stroke: var(--front); stroke-width: 3; }
svg .bar-ref { fill: var(--base); } svg .bar-cur { fill: var(--accent); }
svg .cell-text { fill: #000000; }
.case { background: var(--panel); border: 1px solid var(--grid); border-radius: 6px;
  padding: 0.6rem 0.8rem; margin: 0.7rem 0; }
.case pre { white-space: pre-wrap; word-break: break-word; margin: 0.2rem 0 0.5rem;
  font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.case .reason { color: var(--fail); }
.label { display: inline-block; border: 1px solid var(--grid); border-radius: 1rem;
  padding: 0 0.5rem; font-size: 0.8rem; margin-left: 0.3rem; }
)CSS";

// ---- charts -------------------------------------------------------------------------------

QString passRateSvg(const PassRateChart &chart)
{
    const int left = 230, right = 190, width = 900, rowH = 28, top = 30;
    const int plot = width - left - right;
    const int height = top + rowH * int(chart.points.size()) + 30;
    auto x = [&](double v) {
        return left + v * plot;
    };
    QString s = QStringLiteral("<svg viewBox=\"0 0 %1 %2\" role=\"img\" "
                               "aria-label=\"Pass rate per variant with 95% intervals\">")
                    .arg(width)
                    .arg(height);
    for (int t = 0; t <= 10; t += 2) {
        const double xv = x(t / 10.0);
        s += QStringLiteral("<line class=\"grid\" x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>"
                            "<text class=\"muted\" x=\"%1\" y=\"%4\" text-anchor=\"middle\">%5%"
                            "</text>")
                 .arg(num(xv))
                 .arg(top - 10)
                 .arg(height - 25)
                 .arg(height - 8)
                 .arg(t * 10);
    }
    for (int i = 0; i < chart.points.size(); ++i) {
        const VariantRatePoint &p = chart.points[i];
        const double y = top + rowH * i + rowH / 2.0;
        const QString tip
            = fmt(QStringLiteral("%1: %2 [%3, %4], %5 of %6 samples passed over %7 cases (%8)%9"),
                  {p.label, pct(p.rate.estimate), pct(p.rate.ci.low), pct(p.rate.ci.high),
                   str(p.rate.successes), str(p.rate.trials), str(p.rate.cases),
                   methodName(p.rate.method),
                   p.sentence.isEmpty() ? QString() : QStringLiteral("; ") + p.sentence});
        s += QStringLiteral("<g class=\"%1\"><title>%2</title>")
                 .arg(p.baseline ? QStringLiteral("base") : QStringLiteral("variant"), esc(tip));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>")
                 .arg(left - 10)
                 .arg(num(y + 4))
                 .arg(esc(p.label.size() > 34 ? p.label.left(33) + QChar(0x2026) : p.label));
        s += QStringLiteral("<line class=\"ci\" x1=\"%1\" y1=\"%3\" x2=\"%2\" y2=\"%3\"/>"
                            "<line class=\"ci\" x1=\"%1\" y1=\"%4\" x2=\"%1\" y2=\"%5\"/>"
                            "<line class=\"ci\" x1=\"%2\" y1=\"%4\" x2=\"%2\" y2=\"%5\"/>")
                 .arg(num(x(p.rate.ci.low)), num(x(p.rate.ci.high)), num(y), num(y - 5),
                      num(y + 5));
        s += QStringLiteral("<circle class=\"dot\" cx=\"%1\" cy=\"%2\" r=\"5\"/>")
                 .arg(num(x(p.rate.estimate)), num(y));
        const QString side = p.baseline
            ? QStringLiteral("baseline · %1").arg(pct(p.rate.estimate))
            : QStringLiteral("%1 · %2").arg(pct(p.rate.estimate), verdictText(p.verdict));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text></g>")
                 .arg(width - right + 10)
                 .arg(num(y + 4))
                 .arg(esc(side));
    }
    return s + QStringLiteral("</svg>");
}

QString heatMapSvg(const HeatMap &map)
{
    const int left = 230, top = 110, cellW = 110, cellH = 30;
    const int width = left + cellW * int(map.columns.size()) + 20;
    const int height = top + cellH * int(map.rows.size()) + 10;
    QString s = QStringLiteral("<svg viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"Pass rate "
                               "per check and variant\">")
                    .arg(width)
                    .arg(height);
    for (int c = 0; c < map.columns.size(); ++c) {
        const double cx = left + cellW * c + cellW / 2.0;
        s += QStringLiteral("<text transform=\"translate(%1 %2) rotate(-30)\">%3</text>")
                 .arg(num(cx - 20))
                 .arg(top - 8)
                 .arg(esc(map.columns[c].size() > 26 ? map.columns[c].left(25) + QChar(0x2026)
                                                     : map.columns[c]));
    }
    for (int r = 0; r < map.rows.size(); ++r) {
        const double y = top + cellH * r;
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>")
                 .arg(left - 8)
                 .arg(num(y + cellH / 2.0 + 4))
                 .arg(esc(map.rows[r].label.size() > 34 ? map.rows[r].label.left(33) + QChar(0x2026)
                                                        : map.rows[r].label));
        for (int c = 0; c < map.columns.size(); ++c) {
            const HeatCell *cell = map.cell(r, c);
            const double x = left + cellW * c;
            if (!cell || cell->rate.trials == 0) {
                s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" "
                                    "fill=\"none\" class=\"grid\"/><text class=\"muted\" x=\"%5\" "
                                    "y=\"%6\" text-anchor=\"middle\">not run</text>")
                         .arg(num(x + 1), num(y + 1))
                         .arg(cellW - 2)
                         .arg(cellH - 2)
                         .arg(num(x + cellW / 2.0), num(y + cellH / 2.0 + 4));
                continue;
            }
            // Red (0%) through yellow to green (100%); light enough for black text in any theme.
            const int hue = int(std::lround(120 * cell->rate.estimate));
            const QString tip
                = fmt(QStringLiteral("%1 on %2: %3 [%4, %5], %6 of %7 samples passed"),
                      {map.rows[r].label, map.columns[c], pct(cell->rate.estimate),
                       pct(cell->rate.ci.low), pct(cell->rate.ci.high), str(cell->rate.successes),
                       str(cell->rate.trials)});
            s += fmt(QStringLiteral("<g><title>%1</title><rect x=\"%2\" y=\"%3\" width=\"%4\" "
                                    "height=\"%5\" fill=\"hsl(%6, 70%, 62%)\"/><text "
                                    "class=\"cell-text\" x=\"%7\" y=\"%8\" "
                                    "text-anchor=\"middle\">%9/%10</text></g>"),
                     {esc(tip), num(x + 1), num(y + 1), str(cellW - 2), str(cellH - 2), str(hue),
                      num(x + cellW / 2.0), num(y + cellH / 2.0 + 4), str(cell->rate.successes),
                      str(cell->rate.trials)});
        }
    }
    return s + QStringLiteral("</svg>");
}

/// Pass rate (y, with its interval) against a cost or latency (x), with the Pareto front.
QString scatterSvg(const QualityCostChart &chart, const QString &axis,
                   const std::function<std::optional<double>(const CostLatencyPoint &)> &value,
                   const QList<int> &front, const QString &unit)
{
    QList<const CostLatencyPoint *> points;
    double maxX = 0;
    for (const CostLatencyPoint &p : chart.points)
        if (auto v = value(p)) {
            points.append(&p);
            maxX = std::max(maxX, *v);
        }
    if (points.isEmpty())
        return {};
    maxX = maxX > 0 ? maxX * 1.15 : 1;
    const int left = 60, right = 20, top = 20, bottom = 45, width = 900, height = 380;
    const int plotW = width - left - right, plotH = height - top - bottom;
    auto px = [&](double v) {
        return left + v / maxX * plotW;
    };
    auto py = [&](double v) {
        return top + (1 - v) * plotH;
    };
    QString s = QStringLiteral("<svg viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"Pass rate "
                               "against %3\">")
                    .arg(width)
                    .arg(height)
                    .arg(esc(axis));
    for (int t = 0; t <= 10; t += 2)
        s += QStringLiteral("<line class=\"grid\" x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/><text "
                            "class=\"muted\" x=\"%4\" y=\"%5\" text-anchor=\"end\">%6%</text>")
                 .arg(left)
                 .arg(num(py(t / 10.0)))
                 .arg(width - right)
                 .arg(left - 6)
                 .arg(num(py(t / 10.0) + 4))
                 .arg(t * 10);
    for (int t = 0; t <= 4; ++t) {
        const double v = maxX * t / 4;
        s += QStringLiteral("<line class=\"grid\" x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/><text "
                            "class=\"muted\" x=\"%1\" y=\"%4\" text-anchor=\"middle\">%5</text>")
                 .arg(num(px(v)))
                 .arg(top)
                 .arg(top + plotH)
                 .arg(top + plotH + 16)
                 .arg(num(v, v < 10 ? 3 : 0));
    }
    s += QStringLiteral("<text class=\"muted\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
             .arg(left + plotW / 2)
             .arg(height - 6)
             .arg(esc(axis));
    if (front.size() > 1) {
        QStringList xy;
        for (int v : front)
            if (auto xv = value(chart.points[v]))
                xy.append(QStringLiteral("%1,%2").arg(num(px(*xv)),
                                                      num(py(chart.points[v].rate.estimate))));
        s += QStringLiteral("<polyline class=\"front\" points=\"%1\"/>")
                 .arg(xy.join(QLatin1Char(' ')));
    }
    for (const CostLatencyPoint *p : std::as_const(points)) {
        const double xv = px(*value(*p));
        const bool onFront = front.contains(p->variant);
        const QString tip = QStringLiteral("%1: pass rate %2 [%3, %4]; %5 %6%7")
                                .arg(p->label, pct(p->rate.estimate), pct(p->rate.ci.low),
                                     pct(p->rate.ci.high), num(*value(*p), 4), unit,
                                     onFront ? QStringLiteral("; on the Pareto front") : QString());
        s += QStringLiteral("<g><title>%1</title><line class=\"ci\" x1=\"%2\" y1=\"%3\" x2=\"%2\" "
                            "y2=\"%4\"/><circle class=\"dot%5\" cx=\"%2\" cy=\"%6\" r=\"6\"/>"
                            "<text x=\"%7\" y=\"%8\">%9</text></g>")
                 .arg(esc(tip), num(xv), num(py(p->rate.ci.low)), num(py(p->rate.ci.high)),
                      onFront ? QStringLiteral(" onfront") : QString(), num(py(p->rate.estimate)),
                      num(xv + 9), num(py(p->rate.estimate) - 8), esc(p->label));
    }
    return s + QStringLiteral("</svg>");
}

QString typicalWordsSvg(const TypicalWords &words)
{
    const int n
        = int(std::min<qsizetype>(12, std::max(words.reference.size(), words.current.size())));
    if (n == 0)
        return {};
    double maxZ = 1;
    for (int i = 0; i < n; ++i) {
        if (i < words.reference.size())
            maxZ = std::max(maxZ, std::abs(words.reference[i].z));
        if (i < words.current.size())
            maxZ = std::max(maxZ, std::abs(words.current[i].z));
    }
    const int width = 900, mid = 450, rowH = 22, top = 28, half = 300;
    const int height = top + rowH * n + 10;
    QString s = QStringLiteral("<svg viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"Words "
                               "typical of each side\"><text class=\"muted\" x=\"%3\" y=\"16\" "
                               "text-anchor=\"end\">typical of the reference</text><text "
                               "class=\"muted\" x=\"%4\" y=\"16\">typical of current</text>")
                    .arg(width)
                    .arg(height)
                    .arg(mid - 10)
                    .arg(mid + 10);
    for (int i = 0; i < n; ++i) {
        const double y = top + rowH * i;
        if (i < words.reference.size()) {
            const TypicalWord &w = words.reference[i];
            const double len = std::abs(w.z) / maxZ * half;
            s += QStringLiteral("<g><title>%1: z = %2 (%3 in reference, %4 in current)</title>"
                                "<rect class=\"bar-ref\" x=\"%5\" y=\"%6\" width=\"%7\" "
                                "height=\"16\"/><text x=\"%8\" y=\"%9\" text-anchor=\"end\">%1"
                                "</text></g>")
                     .arg(esc(w.word), num(w.z, 2), num(w.referenceCount, 0),
                          num(w.currentCount, 0), num(mid - 4 - len), num(y), num(len),
                          num(mid - 8 - len), num(y + 12));
        }
        if (i < words.current.size()) {
            const TypicalWord &w = words.current[i];
            const double len = std::abs(w.z) / maxZ * half;
            s += QStringLiteral("<g><title>%1: z = %2 (%3 in reference, %4 in current)</title>"
                                "<rect class=\"bar-cur\" x=\"%5\" y=\"%6\" width=\"%7\" "
                                "height=\"16\"/><text x=\"%8\" y=\"%9\">%1</text></g>")
                     .arg(esc(w.word), num(w.z, 2), num(w.referenceCount, 0),
                          num(w.currentCount, 0), num(mid + 4), num(y), num(len),
                          num(mid + 8 + len), num(y + 12));
        }
    }
    return s + QStringLiteral("</svg>");
}

// ---- sections -----------------------------------------------------------------------------

QString variantTable(const EvalResults &r, const EvalCharts &c)
{
    QString t = QStringLiteral(
        "<table><tr><th>Variant</th><th>Pass rate [95%]</th><th>Passed</th><th>Errors</th>"
        "<th>Mean score [95%]</th><th>Cost / 1,000 calls</th><th>Median / p95 latency</th></tr>");
    for (int v = 0; v < r.variants.size(); ++v) {
        const EvalVariantSummary &s = r.variants[v];
        const CostLatencyPoint &q = c.qualityCost.points[v];
        t += fmt(QStringLiteral("<tr><td>%1%2</td><td>%3 [%4, %5]</td><td>%6/%7 samples, %8 "
                                "cases</td><td>%9</td><td>%10 [%11, %12]</td><td>%13</td><td>%14"
                                "</td></tr>"),
                 {esc(s.label),
                  v == c.passRate.baseline ? QStringLiteral("<span class=\"label\">baseline</span>")
                                           : QString(),
                  pct(s.passRate.estimate), pct(s.passRate.ci.low), pct(s.passRate.ci.high),
                  str(s.passRate.successes), str(s.passRate.trials), str(s.passRate.cases),
                  str(s.errors), num(s.score.mean, 3), num(s.score.ci.low, 3),
                  num(s.score.ci.high, 3),
                  q.costPer1k ? QStringLiteral("$") + num(*q.costPer1k, 4) : QStringLiteral("–"),
                  q.medianLatencyMs ? QStringLiteral("%1 / %2 ms")
                                          .arg(num(*q.medianLatencyMs, 0), num(*q.p95LatencyMs, 0))
                                    : QStringLiteral("–")});
    }
    return t + QStringLiteral("</table>");
}

QString winRateTable(const EvalResults &r, const QList<WinRate> &rates)
{
    if (rates.isEmpty())
        return {};
    QString t = QStringLiteral("<h2>Head to head</h2><table><tr><th>Source</th><th>Between</th>"
                               "<th>Wins</th><th>Ties</th><th>Win rate of the first [95%]</th>"
                               "</tr>");
    for (const WinRate &w : rates) {
        const QString a = r.variants.value(w.variantA).label;
        const QString b = r.variants.value(w.variantB).label;
        t += fmt(QStringLiteral("<tr><td>%1 %2</td><td>%3 vs %4</td><td>%5 – %6</td><td>%7</td>"
                                "<td>%8 [%9, %10] of %11 decided</td></tr>"),
                 {w.source == WinRate::Source::Judge ? QStringLiteral("judge")
                                                     : QStringLiteral("people"),
                  esc(w.name), esc(a), esc(b), str(w.winsA), str(w.winsB), str(w.ties),
                  pct(w.winRateA.estimate), pct(w.winRateA.ci.low), pct(w.winRateA.ci.high),
                  str(w.winsA + w.winsB)});
    }
    return t + QStringLiteral("</table>");
}

QString historyTable(const QList<VersionHistorySeries> &history)
{
    bool any = false;
    for (const VersionHistorySeries &s : history)
        any = any || s.points.size() > 1;
    if (!any)
        return {};
    QString t = QStringLiteral("<h2>Across prompt versions</h2><table><tr><th>Prompt · model"
                               "</th><th>Version</th><th>Pass rate [95%]</th><th>Eval</th></tr>");
    for (const VersionHistorySeries &s : history)
        for (const VersionHistoryPoint &p : s.points) {
            QString labels;
            for (const QString &l : p.labels)
                labels += QStringLiteral("<span class=\"label\">%1</span>").arg(esc(l));
            t += fmt(QStringLiteral("<tr><td>%1 · %2</td><td>v%3%4</td><td>%5 [%6, %7]</td>"
                                    "<td>#%8 (%9)</td></tr>"),
                     {esc(s.promptName), esc(s.modelName), str(p.promptVersion), labels,
                      pct(p.rate.estimate), pct(p.rate.ci.low), pct(p.rate.ci.high),
                      QString::number(p.evalId), esc(p.evalCreatedAt)});
        }
    return t + QStringLiteral("</table>");
}

QString caseInput(const TestCase &c)
{
    return QString::fromStdString(
        c.data.vars.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString failingCases(const EvalResults &r, int maxFailures)
{
    QString t = QStringLiteral("<h2>Failing cases</h2>");
    int shown = 0;
    int total = 0;
    for (int c : r.rows(EvalResults::Filter::FailuresOnly)) {
        for (int v = 0; v < r.variants.size(); ++v) {
            const EvalCell &cell = r.cell(c, v);
            for (const EvalSample &s : cell.samples) {
                if (s.hasVerdict() && s.pass)
                    continue;
                ++total;
                if (shown >= maxFailures)
                    continue;
                ++shown;
                const TestCase &tc = r.cases[c];
                t += QStringLiteral("<div class=\"case\"><strong>Case %1</strong> · %2%3%4"
                                    "<div class=\"meta\">Input</div><pre>%5</pre>")
                         .arg(c + 1)
                         .arg(esc(r.variants[v].label),
                              r.samples > 1 ? QStringLiteral(" · sample %1").arg(s.sampleIndex + 1)
                                            : QString(),
                              s.hasVerdict() ? QString()
                                             : QStringLiteral(" <span class=\"label\">error, "
                                                              "not counted</span>"),
                              esc(caseInput(tc)));
                if (tc.data.expected)
                    t += QStringLiteral("<div class=\"meta\">Expected</div><pre>%1</pre>")
                             .arg(esc(*tc.data.expected));
                t += QStringLiteral("<div class=\"meta\">Output</div><pre>%1</pre><div "
                                    "class=\"reason\">%2</div></div>")
                         .arg(esc(s.output.isEmpty() ? QStringLiteral("(no output)") : s.output),
                              esc(s.reason.isEmpty() ? QStringLiteral("failed") : s.reason));
            }
        }
    }
    if (total == 0)
        return t + QStringLiteral("<p class=\"ok\">No case failed.</p>");
    if (total > shown)
        t += QStringLiteral("<p class=\"note\">%1 more failing samples are not listed.</p>")
                 .arg(total - shown);
    return t;
}

QString driftSection(const HtmlReportOptions &o)
{
    const DriftReport &d = *o.drift;
    QString t = fmt(QStringLiteral("<h2>Drift: what production sends against what was tested</h2>"
                                   "<p>Reference: %1 (%2 records). Current: %3 (%4 records). "
                                   "Representation: %5.</p>"),
                    {esc(o.driftReference), str(d.referenceN), esc(o.driftCurrent), str(d.currentN),
                     esc(d.representation)});
    t += QStringLiteral("<table><tr><th>Metric</th><th>Value</th><th>Limit</th><th></th></tr>");
    for (const auto &[key, value] : metricEntries(d.metrics)) {
        if (!value)
            continue;
        QString limit;
        for (const auto &[k, l] : d.thresholds)
            if (k == key)
                limit = num(l, 3);
        QString band;
        if (key.endsWith(QLatin1String("_psi")))
            band = psiBandName(psiBand(*value));
        bool alert = false;
        for (const DriftAlert &a : d.alerts)
            alert = alert || (a.metric == key && !a.windowStartMs);
        t += QStringLiteral("<tr><td>%1</td><td>%2 %3</td><td>%4</td><td>%5</td></tr>")
                 .arg(esc(key), num(*value, 3), esc(band), limit,
                      alert ? QStringLiteral("<span class=\"alert\">ALERT</span>") : QString());
    }
    t += QStringLiteral("</table>");
    if (!d.alerts.isEmpty()) {
        t += QStringLiteral("<ul class=\"sentences\">");
        for (const DriftAlert &a : d.alerts)
            t += QStringLiteral("<li class=\"alert\">%1</li>").arg(esc(a.message));
        t += QStringLiteral("</ul>");
    }
    const QString words = typicalWordsSvg(d.typicalWords);
    if (!words.isEmpty())
        t += QStringLiteral("<figure>%1<figcaption>Input words most typical of each side "
                            "(log-odds with an informative Dirichlet prior, z-scores).</figcaption>"
                            "</figure>")
                 .arg(words);
    bool topics = false;
    for (const DriftCluster &c : d.clusters)
        topics = topics || c.newTopic;
    if (topics) {
        t += QStringLiteral("<h3>New topics</h3><table><tr><th>Cluster</th><th>Reference / "
                            "current</th><th>Drift ratio</th><th>Words</th></tr>");
        for (const DriftCluster &c : d.clusters)
            if (c.newTopic)
                t += QStringLiteral("<tr><td>%1</td><td>%2 / %3</td><td>%4</td><td>%5</td></tr>")
                         .arg(c.id)
                         .arg(c.reference)
                         .arg(c.current)
                         .arg(num(c.driftRatio, 2), esc(c.words.join(QStringLiteral(", "))));
        t += QStringLiteral("</table>");
    }
    return t;
}

} // namespace

QString renderHtmlReport(const EvalResults &r, const EvalCharts &c, const HtmlReportOptions &o)
{
    const QString title = QStringLiteral("Eval #%1%2")
                              .arg(r.evalId)
                              .arg(r.name.isEmpty() ? QString() : QStringLiteral(" · ") + r.name);
    QString h = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                               "<meta name=\"viewport\" content=\"width=device-width, "
                               "initial-scale=1\"><meta name=\"color-scheme\" content=\"light "
                               "dark\"><title>%1</title><style>%2</style></head><body>")
                    .arg(esc(title), QString::fromUtf8(kStyle));
    h += fmt(
        QStringLiteral("<h1>%1</h1><p class=\"meta\">Dataset %2 · %3 cases · %4 per case · "
                       "%5 variants · %6 · created %7%8</p>"),
        {esc(title), esc(r.dataset.name.isEmpty() ? QStringLiteral("–") : r.dataset.name),
         str(int(r.cases.size())),
         r.samples == 1 ? QStringLiteral("1 sample") : QStringLiteral("%1 samples").arg(r.samples),
         str(int(r.variants.size())), esc(r.status), esc(r.createdAt),
         r.errorCount
             ? QStringLiteral(" · %1 calls failed (left out of every rate)").arg(r.errorCount)
             : QString()});

    h += QStringLiteral("<section><h2>Statistics</h2>");
    if (!c.passRate.sentences.isEmpty()) {
        h += QStringLiteral("<ul class=\"sentences\">");
        for (const QString &s : c.passRate.sentences)
            h += QStringLiteral("<li>%1</li>").arg(esc(s));
        h += QStringLiteral("</ul>");
    }
    h += variantTable(r, c);
    h += QStringLiteral("<p class=\"note\">The test case is the unit: with one sample per case, "
                        "the share of cases passed with a Wilson 95% interval; with several, the "
                        "mean per-case pass share with a bootstrap interval over cases. Calls "
                        "that failed are errors, not failures. Cost per 1,000 calls counts calls "
                        "not answered from the cache.</p></section>");

    h += QStringLiteral("<section><h2>Pass rate per variant</h2><figure>%1<figcaption>Dots: pass "
                        "rate; bars: 95% interval; the baseline in its own colour. Verdicts "
                        "against the baseline are paired tests on the same cases.</figcaption>"
                        "</figure></section>")
             .arg(passRateSvg(c.passRate));
    if (!c.heatMap.rows.isEmpty())
        h += QStringLiteral("<section><h2>Which checks fail where</h2><figure>%1<figcaption>Pass "
                            "rate of each assertion and judge on each variant (passed/samples)."
                            "</figcaption></figure></section>")
                 .arg(heatMapSvg(c.heatMap));
    const QString cost = scatterSvg(
        c.qualityCost, QStringLiteral("cost per 1,000 calls (USD)"),
        [](const CostLatencyPoint &p) { return p.costPer1k; }, c.qualityCost.paretoCost,
        QStringLiteral("USD per 1,000 calls"));
    const QString latency = scatterSvg(
        c.qualityCost, QStringLiteral("median latency (ms)"),
        [](const CostLatencyPoint &p) { return p.medianLatencyMs; },
        c.qualityCost.paretoMedianLatency, QStringLiteral("ms median"));
    if (!cost.isEmpty() || !latency.isEmpty()) {
        h += QStringLiteral("<section><h2>Quality against cost and latency</h2>");
        if (!cost.isEmpty())
            h += QStringLiteral("<figure>%1<figcaption>Pass rate (with its 95% interval) against "
                                "cost per 1,000 calls; the dashed line joins the Pareto front "
                                "(no other variant is both better and cheaper).</figcaption>"
                                "</figure>")
                     .arg(cost);
        if (!latency.isEmpty())
            h += QStringLiteral("<figure>%1<figcaption>Pass rate against median latency, with "
                                "its Pareto front.</figcaption></figure>")
                     .arg(latency);
        h += QStringLiteral("</section>");
    }
    h += winRateTable(r, c.winRates);
    h += historyTable(c.history);
    if (o.drift)
        h += QStringLiteral("<section>%1</section>").arg(driftSection(o));
    h += QStringLiteral("<section>%1</section>").arg(failingCases(r, o.maxFailures));
    h += QStringLiteral("<p class=\"note\">Made by Touchstone from the project file; this page "
                        "fetches nothing.</p></body></html>\n");
    return h;
}

} // namespace ts
