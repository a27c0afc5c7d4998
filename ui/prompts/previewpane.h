#pragma once

#include "prompts/templateanalysis.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace ts {

/// The exact messages that will be sent, rendered with the current variable values.
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

private:
    QLabel *m_summary = nullptr;
    QTextBrowser *m_view = nullptr;
    QString m_plain;
};

} // namespace ts
