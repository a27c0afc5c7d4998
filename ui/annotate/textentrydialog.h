#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace ts {

/// A note or a corrected answer: a text box sized to its job, Ctrl+Enter to save, Esc to
/// leave it as it was.
class TextEntryDialog final : public QDialog
{
    Q_OBJECT

public:
    TextEntryDialog(const QString &title, const QString &hint, const QString &text, bool monospace,
                    QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_edit; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPlainTextEdit *m_edit = nullptr;
};

} // namespace ts
