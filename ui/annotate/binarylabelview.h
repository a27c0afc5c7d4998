#pragma once

#include "annotate/itemrender.h"

#include <QList>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTextBrowser;
class QTimer;

namespace ts {

class KeyBar;
class LabelingHeader;
class LabelingSession;
class TextEntryDialog;
struct LabelingItem;

/// Yes / no labeling, one keystroke per label: the item's input, its output (Markdown, raw or
/// JSON), and the queue's criteria with the focused one marked. Y, X and S answer the focused
/// criterion and move to the next; the next item comes when every criterion is answered.
class BinaryLabelView final : public QWidget
{
    Q_OBJECT

public:
    explicit BinaryLabelView(QWidget *parent = nullptr);

    /// Shows `session` (not owned; it must outlive its use here or be replaced first).
    void setSession(LabelingSession *session);
    LabelingSession *session() const { return m_session; }

    OutputFormat outputFormat() const { return m_format; }
    void setOutputFormat(OutputFormat format);

    QTextBrowser *inputView() const { return m_input; }
    QTextBrowser *outputView() const { return m_output; }
    LabelingHeader *header() const { return m_header; }
    KeyBar *keyBar() const { return m_keys; }
    QPushButton *testCaseButton() const { return m_testCase; }
    QSplitter *splitter() const { return m_split; }
    /// The note or correction dialog while one is open.
    TextEntryDialog *openDialog() const { return m_dialog; }

    void editNote();
    void editCorrection();
    /// Asks for a test case from the current item when it failed, else from the previous one.
    void requestTestCase();

Q_SIGNALS:
    void backRequested();
    void addTestCaseRequested(std::shared_ptr<const ts::LabelingItem> item);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QLabel *marker = nullptr;
        QPushButton *yes = nullptr;
        QPushButton *no = nullptr;
        QPushButton *skip = nullptr;
    };
    void buildCriteria();
    void showItem();
    void updateLabels();
    void renderOutput();
    std::shared_ptr<const LabelingItem> failedItem() const;

    LabelingSession *m_session = nullptr;
    OutputFormat m_format = OutputFormat::Markdown;
    LabelingHeader *m_header = nullptr;
    QStackedWidget *m_stack = nullptr;
    QSplitter *m_split = nullptr;
    QTextBrowser *m_input = nullptr;
    QTextBrowser *m_output = nullptr;
    QLabel *m_context = nullptr;
    QList<QPushButton *> m_formatButtons;
    QWidget *m_criteriaBox = nullptr;
    QList<Row> m_rows;
    QLabel *m_note = nullptr;
    QLabel *m_correction = nullptr;
    QLabel *m_time = nullptr;
    QPushButton *m_testCase = nullptr;
    QLabel *m_doneTitle = nullptr;
    QPushButton *m_doneBack = nullptr;
    KeyBar *m_keys = nullptr;
    QTimer *m_clock = nullptr;
    TextEntryDialog *m_dialog = nullptr;
    std::optional<QString> m_shownCorrection;
};

/// "1 min 05 s", "12 s": time spent on an item.
QString formatSeconds(double seconds);

} // namespace ts
