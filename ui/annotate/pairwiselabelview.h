#pragma once

#include "annotate/itemrender.h"

#include <QList>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTextBrowser;

namespace ts {

class KeyBar;
class LabelingHeader;
class LabelingSession;
class TextEntryDialog;

/// Blind pairwise labeling: one input, two outputs side by side with model and prompt hidden
/// (when the queue is blind), the sides drawn per item and annotator. A / ← picks the left
/// output, B / → the right, T a tie, X both bad; the choice is stored for the true items.
/// Criteria are optional: 1–9 picks a criterion, then A/B/T/X answers it.
class PairwiseLabelView final : public QWidget
{
    Q_OBJECT

public:
    explicit PairwiseLabelView(QWidget *parent = nullptr);

    void setSession(LabelingSession *session);
    LabelingSession *session() const { return m_session; }
    /// "You picked the left side in 7 of 12 pairs (58%)".
    void setPositionBias(const QString &text);

    void setOutputFormat(OutputFormat format);
    OutputFormat outputFormat() const { return m_format; }

    QTextBrowser *inputView() const { return m_input; }
    QTextBrowser *leftView() const { return m_left; }
    QTextBrowser *rightView() const { return m_right; }
    LabelingHeader *header() const { return m_header; }
    KeyBar *keyBar() const { return m_keys; }
    QLabel *biasLabel() const { return m_bias; }
    TextEntryDialog *openDialog() const { return m_dialog; }

    void editNote();

Q_SIGNALS:
    void backRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void buildRows();
    void showItem();
    void updateChoices();
    void renderOutputs();

    LabelingSession *m_session = nullptr;
    OutputFormat m_format = OutputFormat::Markdown;
    LabelingHeader *m_header = nullptr;
    QStackedWidget *m_stack = nullptr;
    QSplitter *m_split = nullptr;
    QTextBrowser *m_input = nullptr;
    QTextBrowser *m_left = nullptr;
    QTextBrowser *m_right = nullptr;
    QLabel *m_leftContext = nullptr;
    QLabel *m_rightContext = nullptr;
    QList<QPushButton *> m_formatButtons;
    QWidget *m_rowsBox = nullptr;
    /// Row 0 is the overall choice, then one per criterion.
    struct Row
    {
        QWidget *widget = nullptr;
        QLabel *marker = nullptr;
        QList<QPushButton *> picks; ///< left, tie, right, both bad
    };
    QList<Row> m_rows;
    QLabel *m_note = nullptr;
    QLabel *m_bias = nullptr;
    QLabel *m_doneTitle = nullptr;
    QPushButton *m_doneBack = nullptr;
    KeyBar *m_keys = nullptr;
    TextEntryDialog *m_dialog = nullptr;
};

} // namespace ts
