#include "prompts/previewpane.h"

#include "common/themecolors.h"

#include <QEvent>
#include <QLabel>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
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
    m_view->document()->setUndoRedoEnabled(false);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    setMessages({});
}

QString PreviewPane::summary() const
{
    return m_summary->text();
}

void PreviewPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The colours are written into the document: a theme switch draws it again.
    if (event->type() == QEvent::PaletteChange && !m_bodies.isEmpty()) {
        m_bodies.clear();
        rebuild();
    }
}

bool PreviewPane::sameShape(const QList<RenderedMessage> &messages) const
{
    if (messages.isEmpty() || messages.size() != m_shown.size()
        || m_bodies.size() != messages.size())
        return false;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const RenderedMessage &a = messages[i];
        const RenderedMessage &b = m_shown[i];
        if (a.role != b.role || a.error.has_value() != b.error.has_value()
            || (a.error && a.error->toString() != b.error->toString()))
            return false;
    }
    return true;
}

void PreviewPane::setMessages(const QList<RenderedMessage> &messages, const QStringList &unset)
{
    // Typing in a long prompt changes a few characters of what is sent: only those are
    // replaced in the document, so the preview neither rebuilds nor lays out 100 KB again.
    if (sameShape(messages)) {
        QTextCursor cursor(m_view->document());
        qsizetype shift = 0;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            m_bodies[i] += int(shift);
            if (messages[i].error)
                continue;
            const QString &now = messages[i].text;
            const QString &before = m_shown[i].text;
            if (now == before)
                continue;
            qsizetype prefix = 0;
            const qsizetype common = std::min(now.size(), before.size());
            while (prefix < common && now[prefix] == before[prefix])
                ++prefix;
            qsizetype suffix = 0;
            while (suffix < common - prefix
                   && now[now.size() - 1 - suffix] == before[before.size() - 1 - suffix])
                ++suffix;
            cursor.setPosition(m_bodies[i] + int(prefix));
            cursor.setPosition(m_bodies[i] + int(before.size() - suffix), QTextCursor::KeepAnchor);
            cursor.insertText(now.mid(prefix, now.size() - prefix - suffix), m_bodyFormat);
            shift += now.size() - before.size();
        }
        m_shown = messages;
    } else {
        m_shown = messages;
        rebuild();
    }

    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_plain.clear();
    int characters = 0;
    int errors = 0;
    for (const RenderedMessage &m : messages) {
        if (m.error)
            ++errors;
        else
            characters += int(m.text.size());
        if (!m_plain.isEmpty())
            m_plain += QStringLiteral("\n\n");
        m_plain
            += QLatin1Char('[') + m.role + QStringLiteral("]\n") + (m.error ? QString() : m.text);
    }
    QString summary = errors
        ? tr("Preview — %n message(s) cannot be rendered", nullptr, errors)
        : tr("Preview — %n message(s), %1 characters", nullptr, int(messages.size()))
              .arg(characters);
    if (!unset.isEmpty())
        summary += QStringLiteral(" · <span style='color:%1'>%2</span>")
                       .arg(c.muted.name(),
                            tr("no value yet for %1")
                                .arg(unset.join(QStringLiteral(", ")))
                                .toHtmlEscaped());
    m_summary->setText(summary);
}

void PreviewPane::rebuild()
{
    const ThemeColors c = ThemeColors::fromPalette(palette());
    QTextDocument *doc = m_view->document();
    doc->clear();
    m_bodies.clear();
    QTextCursor cursor(doc);
    QTextCharFormat header;
    header.setForeground(c.muted);
    header.setFontWeight(QFont::DemiBold);
    QTextBlockFormat headerBlock;
    headerBlock.setTopMargin(10);
    headerBlock.setBottomMargin(2);
    m_bodyFormat = QTextCharFormat();
    m_bodyFormat.setFont(editorFont());
    m_bodyFormat.setForeground(palette().color(QPalette::Text));
    QTextCharFormat error;
    error.setForeground(c.error);
    if (m_shown.isEmpty()) {
        QTextCharFormat hint;
        hint.setForeground(c.muted);
        cursor.insertText(tr("Add a message to see what will be sent."), hint);
        return;
    }
    bool first = true;
    for (const RenderedMessage &m : std::as_const(m_shown)) {
        if (!first)
            cursor.insertBlock(headerBlock, header);
        else
            cursor.setBlockFormat(headerBlock);
        first = false;
        cursor.insertText(m.role.toUpper(), header);
        cursor.insertBlock(QTextBlockFormat(), m_bodyFormat);
        m_bodies.append(cursor.position());
        if (m.error)
            cursor.insertText(tr("Cannot render: %1").arg(m.error->toString()), error);
        else
            cursor.insertText(m.text, m_bodyFormat);
    }
}

} // namespace ts
