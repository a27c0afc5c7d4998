// The prompt preview after typing (issue 12, defect 15 and the preview stall): an edit in a
// long prompt replaces only the characters that changed, and what the preview shows is always
// exactly the rendered messages, whatever was inserted, deleted or restructured.
#include "prompts/previewpane.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>

using namespace ts;

namespace {

RenderedMessage msg(const QString &role, const QString &text)
{
    return {role, text, std::nullopt};
}

/// What the preview document must read for `messages`: each role in capitals, then its text.
QString expected(const QList<RenderedMessage> &messages)
{
    QStringList parts;
    for (const RenderedMessage &m : messages)
        parts << m.role.toUpper() + QLatin1Char('\n')
                + (m.error ? QStringLiteral("Cannot render: %1").arg(m.error->toString()) : m.text);
    return parts.join(QLatin1Char('\n'));
}

QString longText(int kb)
{
    QString text;
    for (int i = 0; text.size() < kb * 1024; ++i)
        text += QStringLiteral("Paragraph %1: the customer wrote about an order.\n").arg(i);
    return text;
}

} // namespace

class TestPreviewIncremental final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aKeystrokeReplacesOnlyWhatChanged()
    {
        PreviewPane pane;
        pane.resize(600, 400);
        pane.show();
        QList<RenderedMessage> messages
            = {msg(QStringLiteral("system"), QStringLiteral("You answer mail.")),
               msg(QStringLiteral("user"), longText(100))};
        pane.setMessages(messages);
        QTextDocument *doc = pane.view()->document();
        QCOMPARE(doc->toPlainText(), expected(messages));

        int largestChange = 0;
        connect(doc, &QTextDocument::contentsChange, this, [&](int, int removed, int added) {
            largestChange = std::max({largestChange, removed, added});
        });
        messages[1].text.insert(5000, QLatin1Char('x'));
        pane.setMessages(messages);
        QCOMPARE(doc->toPlainText(), expected(messages));
        QVERIFY2(largestChange <= 2, qPrintable(QString::number(largestChange)));
        QVERIFY(pane.summary().contains(
            QString::number(messages[0].text.size() + messages[1].text.size())));
    }

    void randomEditsAlwaysShowTheRenderedMessages()
    {
        PreviewPane pane;
        QList<RenderedMessage> messages = {
            msg(QStringLiteral("system"), QStringLiteral("Be brief.\nSign as {{agent}}.")),
            msg(QStringLiteral("user"), longText(4)), msg(QStringLiteral("assistant"), QString())};
        pane.setMessages(messages);
        QRandomGenerator random(12);
        const QString alphabet = QStringLiteral("ab \ncd\n");
        for (int round = 0; round < 300; ++round) {
            RenderedMessage &m = messages[random.bounded(int(messages.size()))];
            const int at = m.text.isEmpty() ? 0 : random.bounded(int(m.text.size()) + 1);
            switch (random.bounded(4)) {
            case 0:
                m.text.insert(at, alphabet.mid(random.bounded(int(alphabet.size())), 3));
                break;
            case 1:
                m.text.remove(at, random.bounded(40));
                break;
            case 2: // the same characters again around the edit: prefix and suffix overlap
                m.text.insert(at, m.text.mid(at, 2));
                break;
            default:
                break; // unchanged
            }
            pane.setMessages(messages);
            QCOMPARE(pane.view()->document()->toPlainText(), expected(messages));
        }

        // A new message, an error, a removed message: the structure is rebuilt.
        messages.append(msg(QStringLiteral("user"), QStringLiteral("And one more.")));
        pane.setMessages(messages);
        QCOMPARE(pane.view()->document()->toPlainText(), expected(messages));
        TemplateError error;
        error.line = 1;
        error.column = 3;
        error.message = QStringLiteral("unclosed tag");
        messages[0].error = error;
        pane.setMessages(messages);
        QCOMPARE(pane.view()->document()->toPlainText(), expected(messages));
        QVERIFY(pane.summary().contains(QStringLiteral("cannot be rendered")));
        messages.removeAt(1);
        messages[0].error.reset();
        pane.setMessages(messages);
        QCOMPARE(pane.view()->document()->toPlainText(), expected(messages));
        pane.setMessages({});
        QVERIFY(pane.view()->document()->toPlainText().contains(QStringLiteral("Add a message")));
    }
};

QTEST_MAIN(TestPreviewIncremental)
#include "test_preview_incremental.moc"
