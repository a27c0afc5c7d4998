#include "evals/celldetailview.h"

#include "common/themecolors.h"
#include "evals/casetablemodel.h"
#include "evals/resultsmatrixmodel.h"
#include "prompts/promptdiff.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ts {

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString preformatted(const QString &text)
{
    return QStringLiteral("<pre style='white-space:pre-wrap'>%1</pre>").arg(esc(text));
}

QString verdictMark(bool pass, const ThemeColors &colors)
{
    return pass ? QStringLiteral("<span style='color:%1'>✓</span>").arg(colors.addedText.name())
                : QStringLiteral("<span style='color:%1'>✗</span>").arg(colors.removedText.name());
}
} // namespace

CellDetailView::CellDetailView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Compare with"), this));
    m_compare = new QComboBox(this);
    m_compare->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    row->addWidget(m_compare, 1);
    layout->addLayout(row);
    m_text = new QTextBrowser(this);
    m_text->setOpenLinks(false);
    layout->addWidget(m_text, 1);
    connect(m_compare, &QComboBox::currentIndexChanged, this, &CellDetailView::render);
    render();
}

void CellDetailView::showCell(std::shared_ptr<const EvalResults> results, int caseIndex,
                              int variant)
{
    const bool sameEval = results && m_results && results->evalId == m_results->evalId
        && results->variants.size() == m_results->variants.size();
    m_results = std::move(results);
    m_case = caseIndex;
    m_variant = variant;
    if (!sameEval)
        fillCompare();
    render();
}

void CellDetailView::fillCompare()
{
    const QSignalBlocker blocker(m_compare);
    const int keep = compareVariant();
    m_compare->clear();
    m_compare->addItem(tr("(none)"), -1);
    if (m_results)
        for (int v = 0; v < m_results->variants.size(); ++v)
            m_compare->addItem(m_results->variants[v].label, v);
    const int index = m_compare->findData(keep);
    m_compare->setCurrentIndex(index >= 0 ? index : 0);
}

void CellDetailView::setRequest(qint64 generationId, const QList<RenderedMessage> &messages)
{
    m_requests.insert(generationId, messages);
    if (m_results && m_case >= 0 && m_variant >= 0 && m_case < m_results->cases.size()
        && m_variant < m_results->variants.size()) {
        const EvalSample *first = m_results->cell(m_case, m_variant).sample(0);
        if (first && first->generationId == generationId)
            render();
    }
}

void CellDetailView::setCompareVariant(int variant)
{
    const int index = m_compare->findData(variant);
    m_compare->setCurrentIndex(index >= 0 ? index : 0);
}

int CellDetailView::compareVariant() const
{
    return m_compare->currentIndex() >= 0 ? m_compare->currentData().toInt() : -1;
}

QString CellDetailView::plainText() const
{
    return m_text->toPlainText();
}

QString CellDetailView::sideBySideHtml(const QString &left, const QString &right,
                                       const QPalette &palette)
{
    // Model answers are often one long paragraph, where a line diff marks everything; diff
    // word by word (one word per "line" for diffLines) and keep the line breaks as tokens.
    static const QRegularExpression tokens(QStringLiteral("\\n|[^\\s]+"));
    const QString lineBreak = QStringLiteral("⏎");
    auto split = [&lineBreak](const QString &text) {
        QStringList words;
        for (auto it = tokens.globalMatch(text); it.hasNext();) {
            const QString word = it.next().captured(0);
            words << (word == QLatin1String("\n") ? lineBreak : word);
        }
        return words.join(QLatin1Char('\n'));
    };
    const ThemeColors colors = ThemeColors::fromPalette(palette);
    QString a, b;
    auto append = [&lineBreak](QString &side, const QString &word, const QColor *tintColor) {
        if (word == lineBreak) {
            side += QStringLiteral("<br>");
            return;
        }
        if (!side.isEmpty() && !side.endsWith(QLatin1String("<br>")))
            side += QLatin1Char(' ');
        side += tintColor ? QStringLiteral("<span style='background-color:%1'>%2</span>")
                                .arg(tintColor->name(), esc(word))
                          : esc(word);
    };
    for (const DiffLine &line : diffLines(split(left), split(right))) {
        const QString &word = line.text;
        switch (line.kind) {
        case DiffLine::Kind::Same:
            append(a, word, nullptr);
            append(b, word, nullptr);
            break;
        case DiffLine::Kind::Removed:
            append(a, word, &colors.removedBackground);
            break;
        case DiffLine::Kind::Added:
            append(b, word, &colors.addedBackground);
            break;
        }
    }
    return QStringLiteral("<table width='100%' cellspacing='0' cellpadding='4'><tr><td width='50%' "
                          "valign='top'>%1</td>"
                          "<td width='50%' valign='top'>%2</td></tr></table>")
        .arg(a, b);
}

void CellDetailView::render()
{
    if (!m_results || m_case < 0 || m_case >= m_results->cases.size()) {
        m_text->setHtml(
            tr("<p style='color:gray'>Click a cell of the matrix to see the request, the "
               "output and why it passed or failed.</p>"));
        return;
    }
    const ThemeColors colors = ThemeColors::fromPalette(palette());
    const TestCase &tc = m_results->cases[m_case];
    QString html;
    html += QStringLiteral("<h3>%1</h3>")
                .arg(esc(ResultsMatrixModel::caseLabel(tc, m_results->caseNumber(m_case))));
    html += tr("<p><b>Variables</b></p>");
    html += QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (auto it = tc.data.vars.begin(); it != tc.data.vars.end(); ++it)
        html += QStringLiteral("<tr><td valign='top'><tt>%1</tt>&nbsp;&nbsp;</td><td>%2</td></tr>")
                    .arg(esc(QString::fromStdString(it.key())),
                         esc(CaseTableModel::compact(it.value())));
    html += QStringLiteral("</table>");
    if (tc.data.expected)
        html += tr("<p><b>Expected</b></p>") + preformatted(*tc.data.expected);

    if (m_variant < 0 || m_variant >= m_results->variants.size()) {
        m_text->setHtml(html);
        return;
    }
    const EvalCell &cell = m_results->cell(m_case, m_variant);
    html += QStringLiteral("<hr><h3>%1</h3>").arg(esc(m_results->variants[m_variant].label));
    if (cell.samples.isEmpty())
        html += tr("<p>Not run yet.</p>");
    for (const EvalSample &s : cell.samples) {
        if (cell.samples.size() > 1 || m_results->samples > 1)
            html += tr("<p><b>Sample %1</b> %2</p>")
                        .arg(s.sampleIndex + 1)
                        .arg(verdictMark(s.pass, colors));
        else
            html += tr("<p><b>Verdict</b> %1 %2 · score %3</p>")
                        .arg(verdictMark(s.pass, colors), s.pass ? tr("pass") : tr("fail"))
                        .arg(s.score, 0, 'f', 2);
        if (!s.pass && !s.reason.isEmpty())
            html += tr("<p><b>Why it failed:</b> %1</p>").arg(esc(s.reason));
        if (s.status != GenerationStatus::Ok)
            html += tr("<p style='color:%1'><b>Call failed:</b> %2</p>")
                        .arg(colors.error.name(), esc(s.error));
        html += tr("<p><b>Output</b>%1</p>")
                    .arg(s.cacheHit ? tr(" <i>(from the cache)</i>")
                             : s.latencyMs
                             ? QStringLiteral(" <i>(%1 ms)</i>").arg(qRound(*s.latencyMs))
                             : QString());
        html += preformatted(s.output);
        if (!s.assertions.isEmpty()) {
            html += tr("<p><b>Assertions</b></p><table cellspacing='0' cellpadding='2'>");
            for (const AssertionResult &a : s.assertions) {
                QString value = CaseTableModel::compact(a.value);
                if (value.size() > 60)
                    value = value.left(58) + QStringLiteral("…");
                html += QStringLiteral(
                            "<tr><td valign='top'>%1</td><td valign='top'><tt>%2</tt> %3</td>"
                            "<td valign='top'>%4</td></tr>")
                            .arg(verdictMark(a.pass, colors), esc(a.type), esc(value),
                                 esc(a.reason));
            }
            html += QStringLiteral("</table>");
        }
        if (!s.judgments.isEmpty()) {
            html += tr("<p><b>Judges</b></p><table cellspacing='0' cellpadding='2'>");
            for (const JudgeOutcome &j : s.judgments) {
                const QString mark = j.pass ? verdictMark(*j.pass, colors) : QStringLiteral("⚠");
                QString text = j.error.isEmpty() ? j.reason : j.error;
                if (j.score)
                    text = tr("score %1 — ").arg(*j.score, 0, 'g', 3) + text;
                html += QStringLiteral("<tr><td valign='top'>%1</td><td "
                                       "valign='top'><b>%2</b></td><td>%3</td></tr>")
                            .arg(mark, esc(j.judgeName), esc(text));
            }
            html += QStringLiteral("</table>");
        }
    }

    const int other = compareVariant();
    if (other >= 0 && other != m_variant && other < m_results->variants.size()) {
        const EvalCell &otherCell = m_results->cell(m_case, other);
        const EvalSample *a = otherCell.sample(0);
        const EvalSample *b = cell.sample(0);
        html += QStringLiteral("<hr><h3>%1</h3>").arg(tr("Side by side"));
        html += QStringLiteral("<table width='100%'><tr><td width='50%'><b>%1</b> %2</td><td "
                               "width='50%'><b>%3</b> %4</td></tr></table>")
                    .arg(esc(m_results->variants[other].label),
                         a ? verdictMark(a->pass, colors) : QString(),
                         esc(m_results->variants[m_variant].label),
                         b ? verdictMark(b->pass, colors) : QString());
        html += sideBySideHtml(a ? a->output : QString(), b ? b->output : QString(), palette());
    }

    if (const EvalSample *first = cell.sample(0); first && first->generationId) {
        html += tr("<p><b>Request as sent</b></p>");
        const auto found = m_requests.constFind(first->generationId);
        if (found == m_requests.constEnd()) {
            html += tr("<p><i>Loading…</i></p>");
            if (!m_asked.contains(first->generationId)) {
                m_asked.insert(first->generationId);
                Q_EMIT requestWanted(first->generationId);
            }
        } else {
            for (const RenderedMessage &m : *found)
                html += QStringLiteral("<p style='margin-bottom:0'><i>%1</i></p>").arg(esc(m.role))
                    + preformatted(m.text);
        }
    }
    m_text->setHtml(html);
}

} // namespace ts
