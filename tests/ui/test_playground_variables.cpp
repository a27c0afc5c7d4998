// Issue 12, defect 4: the playground and "+ Test case" use only the variables the template
// uses now, not values of renamed or half-typed tags.
#include "test_playground_fixture.h"

#include "playground/playgroundcolumn.h"
#include "playground/testcasedialog.h"
#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>

using namespace ts;
using namespace ts::test;

namespace {

QString variablesLine(const QWidget *view)
{
    for (const QLabel *label : view->findChildren<QLabel *>())
        if (label->text().contains(QStringLiteral("set in the editor")))
            return label->text();
    return {};
}

} // namespace

class TestPlaygroundVariables final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyTheTemplatesVariablesAreRunAndSaved()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QVERIFY(f.selectPrompt());
        PromptEditor *editor = f.prompts.section->editor();
        f.prompts.section->resize(1200, 800);
        f.prompts.section->show();
        QTRY_COMPARE_WITH_TIMEOUT(editor->variablesPanel()->variableNames().size(), 4, waitMs);

        // Type a tag, give it a value, then rename it while typing: {{order}} -> {{order_id}}
        // leaves "order" behind; a half-typed section leaves "ex" behind.
        TemplateTextEdit *text = editor->messageEditors().last()->textEdit();
        text->setFocus();
        text->moveCursor(QTextCursor::End);
        QTest::keyClicks(text, QStringLiteral(" {{order}}"));
        QTRY_VERIFY_WITH_TIMEOUT(editor->variablesPanel()->inputFor(QStringLiteral("order")),
                                 waitMs);
        QTest::keyClicks(qobject_cast<QPlainTextEdit *>(
                             editor->variablesPanel()->inputFor(QStringLiteral("order"))),
                         QStringLiteral("A-1"));
        text->setFocus();
        text->moveCursor(QTextCursor::End);
        QTest::keyClick(text, Qt::Key_Left);
        QTest::keyClick(text, Qt::Key_Left);
        QTest::keyClicks(text, QStringLiteral("_id"));
        text->moveCursor(QTextCursor::End);
        QTest::keyClicks(text, QStringLiteral(" {{#ex}}{{/ex}}"));
        QTRY_VERIFY_WITH_TIMEOUT(
            editor->variablesPanel()->variableNames().contains(QStringLiteral("ex")), waitMs);
        for (int i = 0; i < 15; ++i)
            QTest::keyClick(text, Qt::Key_Backspace);
        QTRY_COMPARE_WITH_TIMEOUT(editor->variablesPanel()->variableNames(),
                                  (QStringList {QStringLiteral("shop"), QStringLiteral("policies"),
                                                QStringLiteral("agent"), QStringLiteral("message"),
                                                QStringLiteral("order_id")}),
                                  waitMs);

        f.controller->setColumnModels({QStringLiteral("alpha")});
        QVERIFY(f.runAndWait());
        // The playground counts what the template uses: five, not seven.
        QVERIFY2(variablesLine(f.view.get()).contains(QStringLiteral("5 variables set")),
                 qPrintable(variablesLine(f.view.get())));
        QCOMPARE(f.controller->runVariables().size(), size_t(5));
        TestCaseDialog dialog(*f.controller, f.view->columns().at(0)->outputText());
        dialog.datasetBox()->setEditText(QStringLiteral("cases"));
        QSignalSpy saved(&dialog, &TestCaseDialog::saved);
        dialog.save();
        QVERIFY(saved.wait(waitMs));
        const auto vars = nlohmann::json::parse(
            f.queryText(QStringLiteral("SELECT vars FROM test_cases ORDER BY id DESC LIMIT 1"))
                .toStdString(),
            nullptr, false);
        QVERIFY(vars.is_object());
        QStringList keys;
        for (auto it = vars.begin(); it != vars.end(); ++it)
            keys << QString::fromStdString(it.key());
        keys.sort();
        QCOMPARE(keys,
                 (QStringList {QStringLiteral("agent"), QStringLiteral("message"),
                               QStringLiteral("order_id"), QStringLiteral("policies"),
                               QStringLiteral("shop")}));
    }
};

QTEST_MAIN(TestPlaygroundVariables)
#include "test_playground_variables.moc"
