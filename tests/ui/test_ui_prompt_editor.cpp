#include "uifixture.h"

#include "common/jsonedit.h"
#include "prompts/messageeditor.h"
#include "prompts/parameterspanel.h"
#include "prompts/previewpane.h"
#include "prompts/prompteditor.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>

using namespace ts;
using namespace ts::test;

class TestUiPromptEditor final : public QObject
{
    Q_OBJECT

private:
    PromptsFixture m_fx;
    PromptEditor *editor() const { return m_fx.section->editor(); }
    MessageEditor *lastMessage() const { return editor()->messageEditors().last(); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_fx.create());
        QVERIFY(m_fx.start());
        m_fx.section->resize(1200, 800);
        m_fx.section->show();
        QVERIFY(m_fx.select(QStringLiteral("support-reply")));
    }

    void cleanup() { m_fx.stop(); }

    void loadedPromptShowsItsMessagesAndVariables()
    {
        QCOMPARE(editor()->messageEditors().size(), 4);
        QCOMPARE(editor()->messageEditors().first()->message().role, QStringLiteral("system"));
        const QStringList names = editor()->variablesPanel()->variableNames();
        QCOMPARE(names, (QStringList{QStringLiteral("shop"), QStringLiteral("policies"),
                                     QStringLiteral("agent"), QStringLiteral("message")}));
        // A section takes JSON (a list of few-shot items); a plain value takes text.
        QVERIFY(qobject_cast<JsonEdit *>(editor()->variablesPanel()->inputFor(QStringLiteral("policies"))));
        QVERIFY(qobject_cast<QPlainTextEdit *>(editor()->variablesPanel()->inputFor(QStringLiteral("shop"))));
        QVERIFY(!m_fx.prompts->isDirty());
    }

    void typingANewVariableAddsAnInputAndUpdatesThePreview()
    {
        TemplateTextEdit *text = lastMessage()->textEdit();
        text->setFocus();
        text->moveCursor(QTextCursor::End);
        QTest::keyClick(text, Qt::Key_Return);
        QTest::keyClicks(text, QStringLiteral("Order: {{order_id}}"));

        QTRY_VERIFY_WITH_TIMEOUT(editor()->variablesPanel()->variableNames().contains(QStringLiteral("order_id")), waitMs);
        auto *input = qobject_cast<QPlainTextEdit *>(editor()->variablesPanel()->inputFor(QStringLiteral("order_id")));
        QVERIFY(input);
        QTest::keyClicks(input, QStringLiteral("A-1234"));
        QTRY_VERIFY_WITH_TIMEOUT(editor()->previewPane()->plainText().contains(QStringLiteral("Order: A-1234")), waitMs);

        // Section values render as a list in the preview.
        auto *policies = qobject_cast<JsonEdit *>(editor()->variablesPanel()->inputFor(QStringLiteral("policies")));
        policies->editor()->setPlainText(QStringLiteral("[\"No refunds on sale items\", \"Free pickup\"]"));
        QTRY_VERIFY_WITH_TIMEOUT(editor()->previewPane()->plainText().contains(QStringLiteral("- Free pickup")), waitMs);
        // Invalid JSON says where it breaks and keeps the last good value.
        policies->editor()->setPlainText(QStringLiteral("[\"oops\",]"));
        QVERIFY(policies->problem().contains(QStringLiteral("line 1")));
        QTRY_VERIFY_WITH_TIMEOUT(editor()->previewPane()->plainText().contains(QStringLiteral("- Free pickup")), waitMs);

        // The edit is unsaved: the controller and the list say so.
        QVERIFY(m_fx.prompts->isDirty());
        const int row = m_fx.prompts->listModel()->rowOf(m_fx.prompts->currentPromptId());
        QVERIFY(m_fx.prompts->listModel()->index(row).data(PromptListModel::DirtyRole).toBool());
        QCOMPARE(m_fx.prompts->content().messages.last().text,
                 QStringLiteral("Customer message:\n{{message}}\nOrder: {{order_id}}"));
    }

    void invalidTemplateIsUnderlinedAtItsPosition()
    {
        const QString bad = QStringLiteral("Hello\nList: {{#items}} {{name}}\nend");
        const auto expected = MustacheTemplate::parse(bad);
        QVERIFY(!expected);
        lastMessage()->textEdit()->setPlainText(bad);

        QTRY_VERIFY_WITH_TIMEOUT(!lastMessage()->errorLabel()->isHidden(), waitMs);
        const QString where = QStringLiteral("Line %1, column %2").arg(expected.error().line).arg(expected.error().column);
        QVERIFY2(lastMessage()->errorLabel()->text().startsWith(where), qPrintable(lastMessage()->errorLabel()->text()));
        QVERIFY(lastMessage()->errorLabel()->text().contains(expected.error().message));
        QVERIFY(editor()->errorSummary().startsWith(QStringLiteral("Message 4, line %1, column %2")
                                                        .arg(expected.error().line).arg(expected.error().column)));

        const QTextCursor underline = lastMessage()->textEdit()->errorCursor();
        QVERIFY(!underline.isNull());
        QVERIFY(underline.hasSelection());
        QCOMPARE(underline.block().blockNumber(), expected.error().line - 1);
        QCOMPARE(underline.selectionStart() - underline.block().position(), expected.error().column - 1);
        const auto selections = lastMessage()->textEdit()->extraSelections();
        QCOMPARE(selections.size(), 1);
        QCOMPARE(selections[0].format.underlineStyle(), QTextCharFormat::WaveUnderline);
        QVERIFY(editor()->previewPane()->summary().contains(QStringLiteral("cannot be rendered")));

        // Fixing it clears the mark.
        lastMessage()->textEdit()->setPlainText(QStringLiteral("Hello {{#items}}{{name}}{{/items}}"));
        QTRY_VERIFY_WITH_TIMEOUT(lastMessage()->errorLabel()->isHidden(), waitMs);
        QVERIFY(lastMessage()->textEdit()->extraSelections().isEmpty());
        QVERIFY(editor()->errorSummary().isEmpty());
    }

    void messagesCanBeAddedReorderedAndRemoved()
    {
        editor()->addMessage(QStringLiteral("assistant"));
        QCOMPARE(m_fx.prompts->content().messages.size(), 5);
        QCOMPARE(m_fx.prompts->content().messages.last().role, QStringLiteral("assistant"));
        lastMessage()->textEdit()->setPlainText(QStringLiteral("Happy to help!"));
        Q_EMIT lastMessage()->moveUpClicked();
        QCOMPARE(m_fx.prompts->content().messages[3].text, QStringLiteral("Happy to help!"));
        QCOMPARE(m_fx.prompts->content().messages[4].text, QStringLiteral("Customer message:\n{{message}}"));
        Q_EMIT editor()->messageEditors()[3]->removeClicked();
        QCOMPARE(m_fx.prompts->content().messages.size(), 4);
        QCOMPARE(m_fx.prompts->content().messages[3].text, QStringLiteral("Customer message:\n{{message}}"));
    }

    void parametersAndSchemaFlowIntoTheContent()
    {
        ParametersPanel *params = editor()->parametersPanel();
        QCOMPARE(params->parameters().temperature, std::optional<double>(0.3));
        params->setParameters([] {
            ModelParameters p;
            p.temperature = 0.9;
            p.seed = 42;
            p.stop = {QStringLiteral("\n\n"), QStringLiteral("END")};
            return p;
        }(), std::nullopt);
        QCOMPARE(params->parameters().stop, (QStringList{QStringLiteral("\n\n"), QStringLiteral("END")}));
        params->schemaEdit()->editor()->setPlainText(QStringLiteral("[1, 2]"));
        QVERIFY(!params->schemaProblem().isEmpty());
        QVERIFY(editor()->blockingProblem().contains(QStringLiteral("schema")));
        params->schemaEdit()->editor()->setPlainText(QStringLiteral("{\"type\": \"object\"}"));
        QVERIFY(params->schemaProblem().isEmpty());
        QVERIFY(m_fx.prompts->content().responseSchema.has_value());
        QCOMPARE(m_fx.prompts->content().responseSchema->value("type", ""), std::string("object"));
    }
};

QTEST_MAIN(TestUiPromptEditor)
#include "test_ui_prompt_editor.moc"
