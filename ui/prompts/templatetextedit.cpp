#include "prompts/templatetextedit.h"

#include "common/themecolors.h"
#include "prompts/mustachehighlighter.h"

#include <QAbstractTextDocumentLayout>
#include <QHelpEvent>
#include <QResizeEvent>
#include <QTextBlock>
#include <QToolTip>

namespace ts {

namespace {
constexpr int minLines = 2;
constexpr int maxLines = 18;

// TemplateError columns count code points; QTextBlock positions count UTF-16 units.
int utf16Offset(const QString &text, int codePointColumn)
{
    int units = 0;
    for (int cp = 1; cp < codePointColumn && units < text.size(); ++cp)
        units += text.at(units).isHighSurrogate() && units + 1 < text.size() ? 2 : 1;
    return units;
}
} // namespace

TemplateTextEdit::TemplateTextEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setFont(editorFont());
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_highlighter = new MustacheHighlighter(document());
    connect(document(), &QTextDocument::contentsChanged, this, &TemplateTextEdit::updateHeight);
    updateHeight();
}

void TemplateTextEdit::setTemplateError(const std::optional<TemplateError> &error)
{
    m_error = error;
    m_errorCursor = QTextCursor();
    QList<QTextEdit::ExtraSelection> selections;
    if (error && error->partial.isEmpty() && error->line > 0) {
        QTextBlock block = document()->findBlockByNumber(error->line - 1);
        if (!block.isValid())
            block = document()->lastBlock();
        const QString text = block.text();
        int start = std::min<int>(utf16Offset(text, error->column), int(text.size()));
        // Underline to the end of the tag, or at least one character so the mark is visible.
        qsizetype end = text.indexOf(QLatin1String("}}"), start);
        end = end < 0 ? text.size() : end + 2;
        if (end <= start) {
            start = std::max(0, int(text.size()) - 1);
            end = text.size();
        }
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + start);
        cursor.setPosition(block.position() + int(end), QTextCursor::KeepAnchor);
        m_errorCursor = cursor;
        QTextEdit::ExtraSelection selection;
        selection.cursor = cursor;
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(ThemeColors::fromPalette(palette()).error);
        selection.format.setToolTip(error->message);
        selections.append(selection);
    }
    setExtraSelections(selections);
}

int TemplateTextEdit::wrappedLineCount() const
{
    // QPlainTextEdit lays blocks out lazily, so the document's own size is not reliable before
    // the widget has been shown; the font metrics give the same word wrap.
    // The editor is never taller than maxLines, so counting stops there: typing in a 100 KB
    // prompt measures a few blocks, not the whole text, on every keystroke.
    const int width = std::max(1, viewport()->width() - int(2 * document()->documentMargin()));
    const QFontMetrics fm(font());
    int lines = 0;
    for (QTextBlock block = document()->begin(); block.isValid() && lines < maxLines;
         block = block.next()) {
        const QString text = block.text();
        if (text.isEmpty()) {
            ++lines;
            continue;
        }
        const QRect r = fm.boundingRect(QRect(0, 0, width, 1 << 20),
                                        Qt::TextWordWrap | Qt::TextWrapAnywhere, text);
        lines += std::max(1, (r.height() + fm.lineSpacing() / 2) / fm.lineSpacing());
    }
    return lines;
}

QSize TemplateTextEdit::sizeHint() const
{
    const int lines = std::clamp(wrappedLineCount(), minLines, maxLines);
    const int frame = 2 * frameWidth() + int(2 * document()->documentMargin()) + contentsMargins().top()
                      + contentsMargins().bottom();
    return {QPlainTextEdit::sizeHint().width(), lines * fontMetrics().lineSpacing() + frame};
}

QSize TemplateTextEdit::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * 20, sizeHint().height()};
}

bool TemplateTextEdit::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_error && !m_errorCursor.isNull()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int pos = cursorForPosition(viewport()->mapFromGlobal(help->globalPos())).position();
        if (pos >= m_errorCursor.selectionStart() && pos <= m_errorCursor.selectionEnd()) {
            QToolTip::showText(help->globalPos(), m_error->message, this);
            return true;
        }
        QToolTip::hideText();
    }
    return QPlainTextEdit::event(event);
}

void TemplateTextEdit::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setColors(ThemeColors::fromPalette(palette()));
    else if (event->type() == QEvent::FontChange)
        updateHeight();
    QPlainTextEdit::changeEvent(event);
}

void TemplateTextEdit::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    if (event->oldSize().width() != event->size().width())
        updateHeight();
}

void TemplateTextEdit::updateHeight()
{
    const int h = sizeHint().height();
    if (h != height())
        setFixedHeight(h);
}

} // namespace ts
