#include "annotate/textentrydialog.h"

#include "common/themecolors.h"

#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

TextEntryDialog::TextEntryDialog(const QString &title, const QString &hint, const QString &text,
                                 bool monospace, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(hint, this);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    m_edit = new QPlainTextEdit(this);
    if (monospace)
        m_edit->setFont(editorFont());
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
    const int ch = fontMetrics().averageCharWidth();
    const int lines = monospace ? 18 : 6;
    m_edit->setMinimumSize(ch * (monospace ? 90 : 64), fontMetrics().lineSpacing() * lines);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setToolTip(tr("Save (Ctrl+Enter)"));
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_edit->installEventFilter(this);
}

bool TextEntryDialog::eventFilter(QObject *watched, QEvent *event)
{
    // Ctrl+Enter saves from the text box (Enter alone is a new line).
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers().testFlag(Qt::ControlModifier)) {
            accept();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

QString TextEntryDialog::text() const
{
    return m_edit->toPlainText();
}

void TextEntryDialog::setText(const QString &text)
{
    m_edit->setPlainText(text);
}

} // namespace ts
