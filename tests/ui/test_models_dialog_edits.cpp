// The models dialog keeps what the user typed (issue 12, defect 2): selecting another model
// with unsaved edits asks to save, discard or stay, and closing asks too. Its form reads right
// (defect 13): every mnemonic label has a buddy (no literal "&Model id:"), "Start from" names
// the stored model's own provider, and the price fields keep their unit once filled.

#include "test_playground_fixture.h"

#include "playground/modellistmodel.h"
#include "playground/modelsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>

using namespace ts;
using namespace ts::test;

namespace {

ModelConfig model(const QString &name, ProviderKind provider, const QString &baseUrl,
                  const QString &modelId)
{
    ModelConfig m;
    m.name = name;
    m.provider = provider;
    m.baseUrl = baseUrl;
    m.modelId = modelId;
    return m;
}

QList<ModelConfig> threeModels()
{
    return {model(QStringLiteral("Claude"), ProviderKind::Anthropic,
                  QStringLiteral("https://api.anthropic.com"), QStringLiteral("claude-3-5-haiku")),
            model(QStringLiteral("Gemini"), ProviderKind::Gemini,
                  QStringLiteral("https://generativelanguage.googleapis.com"),
                  QStringLiteral("gemini-2.0-flash")),
            model(QStringLiteral("Llama"), ProviderKind::Ollama,
                  QStringLiteral("http://localhost:11434"), QStringLiteral("llama3.2"))};
}

/// Clicks the row of `name` in the dialog's model list, as a user would.
void clickModel(ModelsDialog &dialog, const QString &name)
{
    QListView *list = dialog.list();
    const int row = static_cast<ModelListModel *>(list->model())->rowOf(name);
    QVERIFY(row >= 0);
    const QRect rect = list->visualRect(list->model()->index(row, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
}

/// Answers the next message box with `button` while it lives; text() is what the box asked.
class MessageBoxAnswer
{
public:
    explicit MessageBoxAnswer(QMessageBox::StandardButton button)
    {
        m_poll.setInterval(20);
        QObject::connect(&m_poll, &QTimer::timeout, &m_poll, [this, button] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            m_text = box->text();
            m_poll.stop();
            if (QAbstractButton *b = box->button(button))
                b->click();
        });
        m_poll.start();
    }
    QString text() const { return m_text; }

private:
    QTimer m_poll;
    QString m_text;
};

void typeUrl(ModelsDialog &dialog, const QString &url)
{
    QLineEdit *edit = dialog.baseUrlEdit();
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, url);
}

} // namespace

class TestModelsDialogEdits final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void discardingAnEditBringsTheStoredValueBack()
    {
        PlaygroundFixture f;
        QVERIFY(f.start(threeModels()));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        clickModel(dialog, QStringLiteral("Gemini"));
        QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("Gemini"));
        typeUrl(dialog, QStringLiteral("https://gemini.example.test"));

        // Cancel: the edit stays on screen, Gemini stays selected.
        {
            MessageBoxAnswer cancel(QMessageBox::Cancel);
            clickModel(dialog, QStringLiteral("Llama"));
            QVERIFY2(cancel.text().contains(QStringLiteral("Gemini")), qPrintable(cancel.text()));
        }
        QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("Gemini"));
        QCOMPARE(dialog.baseUrlEdit()->text(), QStringLiteral("https://gemini.example.test"));
        QCOMPARE(dialog.list()->currentIndex().data().toString(), QStringLiteral("Gemini"));

        // Discard: Llama shows, and Gemini has its stored URL again.
        {
            MessageBoxAnswer discard(QMessageBox::Discard);
            clickModel(dialog, QStringLiteral("Llama"));
            QVERIFY(!discard.text().isEmpty());
        }
        QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("Llama"));
        clickModel(dialog, QStringLiteral("Gemini"));
        QCOMPARE(dialog.baseUrlEdit()->text(),
                 QStringLiteral("https://generativelanguage.googleapis.com"));
        QCOMPARE(f.queryText(QStringLiteral("SELECT base_url FROM models WHERE name = 'Gemini'")),
                 QStringLiteral("https://generativelanguage.googleapis.com"));
    }

    void savingFromTheQuestionKeepsTheEdit()
    {
        PlaygroundFixture f;
        QVERIFY(f.start(threeModels()));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        clickModel(dialog, QStringLiteral("Gemini"));
        typeUrl(dialog, QStringLiteral("https://gemini.example.test"));

        {
            MessageBoxAnswer save(QMessageBox::Save);
            clickModel(dialog, QStringLiteral("Llama"));
            QVERIFY(!save.text().isEmpty());
        }
        // Saved, then Llama is shown.
        QVERIFY(waitUntil([&] { return dialog.nameEdit()->text() == QStringLiteral("Llama"); }));
        QCOMPARE(f.queryText(QStringLiteral("SELECT base_url FROM models WHERE name = 'Gemini'")),
                 QStringLiteral("https://gemini.example.test"));
        clickModel(dialog, QStringLiteral("Gemini"));
        QCOMPARE(dialog.baseUrlEdit()->text(), QStringLiteral("https://gemini.example.test"));
        // Back on the saved model nothing is pending: closing asks nothing.
        MessageBoxAnswer none(QMessageBox::Cancel);
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(!dialog.isVisible());
        QVERIFY(none.text().isEmpty());
    }

    void closingWithAnEditAsks()
    {
        PlaygroundFixture f;
        QVERIFY(f.start(threeModels()));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        clickModel(dialog, QStringLiteral("Llama"));
        typeUrl(dialog, QStringLiteral("http://gpu-box:11434"));
        {
            MessageBoxAnswer cancel(QMessageBox::Cancel);
            QTest::keyClick(&dialog, Qt::Key_Escape);
            QVERIFY(!cancel.text().isEmpty());
        }
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.baseUrlEdit()->text(), QStringLiteral("http://gpu-box:11434"));

        // Discard closes.
        MessageBoxAnswer discard(QMessageBox::Discard);
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(!dialog.isVisible());
    }

    void formLabelsReadRight()
    {
        PlaygroundFixture f;
        QVERIFY(f.start(threeModels()));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        // A label with a mnemonic has a buddy; without one Qt shows the "&" literally.
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            const QString text = label->text();
            if (label->isVisible() && text.contains(QLatin1Char('&'))
                && !text.contains(QStringLiteral("&&")) && !text.contains(QLatin1Char('<')))
                QVERIFY2(label->buddy(), qPrintable(QStringLiteral("literal & in ") + text));
        }

        // "Start from" names the stored model's provider, not the first preset.
        clickModel(dialog, QStringLiteral("Claude"));
        auto *preset = dialog.findChild<QComboBox *>(QStringLiteral("presetBox"));
        QVERIFY(preset);
        QCOMPARE(preset->currentText(), QStringLiteral("Anthropic"));
        clickModel(dialog, QStringLiteral("Llama"));
        QCOMPARE(preset->currentText(), QStringLiteral("Ollama (local)"));

        // A filled price still says what it is in.
        auto *priceIn = dialog.findChild<QLineEdit *>(QStringLiteral("priceInEdit"));
        QVERIFY(priceIn);
        priceIn->setText(QStringLiteral("0.8"));
        bool unitShown = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            unitShown = unitShown
                || (label->isVisible()
                    && label->text().contains(QStringLiteral("per million tokens"))
                    && (label->buddy() == priceIn
                        || label->parentWidget() == priceIn->parentWidget()));
        QVERIFY(unitShown);
    }
};

QTEST_MAIN(TestModelsDialogEdits)
#include "test_models_dialog_edits.moc"
