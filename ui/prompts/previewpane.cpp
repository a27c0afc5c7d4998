#include "prompts/previewpane.h"

#include "common/themecolors.h"

#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ts {

PreviewPane::PreviewPane(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_view = new QTextBrowser(this);
    m_view->setOpenLinks(false);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    setMessages({});
}

QString PreviewPane::summary() const
{
    return m_summary->text();
}

void PreviewPane::setMessages(const QList<RenderedMessage> &messages, const QStringList &unset)
{
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QString mono = editorFont().family();
    QString html;
    m_plain.clear();
    int characters = 0;
    int errors = 0;
    for (const RenderedMessage &m : messages) {
        html += QStringLiteral("<p style='margin-top:10px; margin-bottom:2px'>"
                               "<span style='color:%1; font-weight:600'>%2</span></p>")
                    .arg(c.muted.name(), m.role.toUpper().toHtmlEscaped());
        if (m.error) {
            ++errors;
            html += QStringLiteral("<p style='color:%1'>%2</p>")
                        .arg(c.error.name(), tr("Cannot render: %1").arg(m.error->toString()).toHtmlEscaped());
        } else {
            html += QStringLiteral("<pre style='font-family:\"%1\"; white-space:pre-wrap; margin:0'>%2</pre>")
                        .arg(mono, m.text.isEmpty() ? QStringLiteral("&nbsp;") : m.text.toHtmlEscaped());
            characters += int(m.text.size());
        }
        if (!m_plain.isEmpty())
            m_plain += QStringLiteral("\n\n");
        m_plain += QLatin1Char('[') + m.role + QStringLiteral("]\n") + (m.error ? QString() : m.text);
    }
    if (messages.isEmpty()) {
        html = QStringLiteral("<p style='color:%1'>%2</p>")
                   .arg(c.muted.name(), tr("Add a message to see what will be sent.").toHtmlEscaped());
    }
    m_view->setHtml(html);
    QString summary = errors ? tr("Preview — %n message(s) cannot be rendered", nullptr, errors)
                             : tr("Preview — %n message(s), %1 characters", nullptr, int(messages.size()))
                                   .arg(characters);
    if (!unset.isEmpty())
        summary += QStringLiteral(" · <span style='color:%1'>%2</span>")
                       .arg(c.muted.name(), tr("no value yet for %1").arg(unset.join(QStringLiteral(", "))).toHtmlEscaped());
    m_summary->setText(summary);
}

} // namespace ts
