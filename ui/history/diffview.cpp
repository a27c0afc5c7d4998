#include "history/diffview.h"

#include "common/themecolors.h"

#include <QTextBlock>
#include <QTextCursor>

namespace ts {

DiffView::DiffView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setFont(editorFont());
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
}

void DiffView::setDiff(const PromptDiff &diff)
{
    m_diff = diff;
    render();
}

void DiffView::setPlaceholder(const QString &text)
{
    m_diff.reset();
    m_placeholder = text;
    render();
}

void DiffView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        render();
    QPlainTextEdit::changeEvent(event);
}

void DiffView::render()
{
    clear();
    m_added = m_removed = 0;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    QTextCursor cursor(document());
    QTextCharFormat plain;
    plain.setForeground(palette().color(QPalette::Text));
    QTextCharFormat muted;
    muted.setForeground(c.muted);
    if (!m_diff) {
        cursor.insertText(m_placeholder, muted);
        return;
    }

    int width = 1;
    for (const DiffSection &s : m_diff->sections)
        for (const DiffLine &l : s.lines)
            width = std::max<int>(width, int(QString::number(std::max(l.oldLine, l.newLine)).size()));
    auto number = [width](int n) {
        return (n > 0 ? QString::number(n) : QString()).rightJustified(width, QLatin1Char(' '));
    };

    bool first = true;
    auto newBlock = [&](const QBrush &background) {
        QTextBlockFormat block;
        block.setBackground(background);
        if (first)
            cursor.setBlockFormat(block);
        else
            cursor.insertBlock(block);
        first = false;
    };

    QTextCharFormat heading;
    heading.setFontWeight(QFont::Bold);
    heading.setForeground(palette().color(QPalette::Text));
    newBlock(Qt::NoBrush);
    cursor.insertText(tr("%1  →  %2").arg(m_diff->fromName, m_diff->toName), heading);
    if (!m_diff->hasChanges()) {
        newBlock(Qt::NoBrush);
        cursor.insertText(tr("The two versions have identical content."), muted);
    }
    // What changed first; the unchanged parts are named once, at the end, so a change to one
    // snippet is not lost among seven "unchanged" headings.
    QStringList unchanged;
    for (const DiffSection &section : m_diff->sections) {
        if (!section.changed()) {
            unchanged << section.title;
            continue;
        }
        newBlock(Qt::NoBrush);
        newBlock(c.panel);
        cursor.insertText(section.title, heading);
        for (const DiffLine &line : section.lines) {
            QString sign = QStringLiteral("  ");
            QBrush background = Qt::NoBrush;
            QTextCharFormat text = plain;
            if (line.kind == DiffLine::Kind::Added) {
                sign = QStringLiteral("+ ");
                background = c.addedBackground;
                text.setForeground(c.addedText);
                ++m_added;
            } else if (line.kind == DiffLine::Kind::Removed) {
                sign = QStringLiteral("- ");
                background = c.removedBackground;
                text.setForeground(c.removedText);
                ++m_removed;
            }
            newBlock(background);
            cursor.insertText(number(line.oldLine) + QLatin1Char(' ') + number(line.newLine) + QStringLiteral("  "),
                              muted);
            cursor.insertText(sign + line.text, text);
        }
    }
    if (!unchanged.isEmpty() && m_diff->hasChanges()) {
        newBlock(Qt::NoBrush);
        newBlock(Qt::NoBrush);
        cursor.insertText(tr("Unchanged: %1").arg(unchanged.join(QStringLiteral(", "))), muted);
    }
    moveCursor(QTextCursor::Start);
}

} // namespace ts
