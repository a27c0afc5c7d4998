#pragma once

#include "prompts/templateanalysis.h"

#include <QTextCharFormat>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace ts {

/// The exact messages that will be sent, rendered with the current variable values. Updates
/// replace only the characters that changed, so typing in a long prompt stays cheap.
class PreviewPane final : public QWidget
{
    Q_OBJECT

public:
    explicit PreviewPane(QWidget *parent = nullptr);

    /// `unset`: variables that still have no value, named in the summary line.
    void setMessages(const QList<RenderedMessage> &messages, const QStringList &unset = {});
    QString summary() const;
    /// The rendered messages as plain text ("[system]\n...\n\n[user]\n..."), for tests and copy.
    QString plainText() const { return m_plain; }
    QTextBrowser *view() const { return m_view; }

protected:
    void changeEvent(QEvent *event) override;

private:
    /// Whether `messages` have the same roles and errors as those shown (then only texts change).
    bool sameShape(const QList<RenderedMessage> &messages) const;
    /// Writes m_shown into the document from scratch.
    void rebuild();

    QLabel *m_summary = nullptr;
    QTextBrowser *m_view = nullptr;
    QString m_plain;
    QList<RenderedMessage> m_shown;
    QList<int> m_bodies; ///< document position where each shown message's text starts
    QTextCharFormat m_bodyFormat;
};

} // namespace ts
