#include "uifixture.h"

#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/templatetextedit.h"

using namespace ts;
using namespace ts::test;

class TestUiDrafts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draftIsRestoredAfterReopening()
    {
        PromptsFixture fx;
        QVERIFY(fx.start());
        QVERIFY(fx.select(QStringLiteral("headline")));
        QVERIFY(fx.prompts->draftNote().isEmpty());
        const QString edited = QStringLiteral("Write one headline for: {{article}}\nAt most {{words}} words.");
        QSignalSpy draftSaved(fx.prompts.get(), &PromptsController::draftSaved);
        fx.section->editor()->messageEditors().last()->textEdit()->setPlainText(edited);
        QVERIFY(draftSaved.wait(waitMs)); // autosave after the pause, without Ctrl+S
        const PromptContent content = fx.prompts->content();

        // Close everything and open the file again, as after a crash or a restart.
        fx.stop();
        QVERIFY(fx.start());
        QCOMPARE(fx.prompts->listModel()->index(fx.prompts->listModel()->rowOf(fx.idOf(QStringLiteral("headline"))))
                     .data(PromptListModel::DirtyRole).toBool(), true);
        QVERIFY(fx.select(QStringLiteral("headline")));
        QVERIFY(fx.prompts->content() == content);
        QVERIFY(fx.prompts->isDirty());
        QVERIFY2(fx.prompts->draftNote().startsWith(QStringLiteral("Restored unsaved draft from ")),
                 qPrintable(fx.prompts->draftNote()));
        QCOMPARE(fx.section->editor()->messageEditors().last()->message().text, edited);

        // Saving a version supersedes the draft.
        QSignalSpy saved(fx.prompts.get(), &PromptsController::versionSaved);
        fx.prompts->saveVersion(QStringLiteral("Limit the length"));
        QVERIFY(saved.wait(waitMs));
        fx.stop();
        QVERIFY(fx.start());
        QVERIFY(fx.select(QStringLiteral("headline")));
        QVERIFY(fx.prompts->draftNote().isEmpty());
        QVERIFY(!fx.prompts->isDirty());
        QCOMPARE(fx.prompts->content().messages.last().text, edited);
    }

    void switchingPromptsKeepsThePendingDraft()
    {
        PromptsFixture fx;
        QVERIFY(fx.start(false));
        QVERIFY(fx.select(QStringLiteral("headline")));
        PromptContent changed = fx.prompts->content();
        changed.params.temperature = 1.25;
        fx.prompts->setContent(changed);
        // Switch at once, before the autosave delay: the draft is written on the way out.
        QVERIFY(fx.select(QStringLiteral("extract-order")));
        QVERIFY(fx.select(QStringLiteral("headline")));
        QCOMPARE(fx.prompts->content().params.temperature, std::optional<double>(1.25));
        QVERIFY(!fx.prompts->draftNote().isEmpty());
    }
};

QTEST_MAIN(TestUiDrafts)
#include "test_ui_drafts.moc"
