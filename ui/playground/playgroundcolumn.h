#pragma once

#include "playground/streamingmarkdown.h"

#include <QColor>
#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabBar;
class QTextBrowser;
class QToolButton;
class QHBoxLayout;

namespace ts {

class PlaygroundController;

/// One model's column in the playground: its name and state, the output rendered as Markdown
/// (or raw text, or pretty JSON) with reasoning folded away, a sample selector when there are
/// several, and a metrics row (time to first token, tokens/s, tokens, cost, finish reason) with
/// any error in words below. Several samples show as tabs, or side by side within the column.
/// Reads its state from the controller; re-renders at most ~30 times a second however fast text
/// arrives.
class PlaygroundColumn final : public QFrame
{
    Q_OBJECT

public:
    /// The narrowest a sample's text gets: six single-sample columns fit beside the prompt at
    /// 1600 px; a column showing n samples side by side is at least n times this.
    static constexpr int minimumWidthPerSample = 160;

    PlaygroundColumn(PlaygroundController &controller, int column, QWidget *parent = nullptr);

    int column() const { return m_column; }
    /// Shows everything again from the controller's state.
    void refresh();
    /// New text for `sample`: asks for a render (renderRequested) if it is the one shown.
    void sampleProgressed(int sample);
    /// Renders the output now if something changed since the last render; false if nothing did.
    bool renderIfPending();
    bool isRenderPending() const { return m_renderPending; }
    void sampleChanged(int sample);

    int currentSample() const { return m_sample; }
    void showSample(int sample);
    void setRaw(bool raw);
    bool isRaw() const;
    /// Several samples one beside the other instead of as tabs.
    void setSamplesSideBySide(bool sideBySide);
    bool samplesSideBySide() const { return m_sideBySide; }
    /// Whether the samples are shown side by side now (asked for, and more than one).
    bool showsSamplesSideBySide() const;
    /// The views of the samples shown side by side (empty otherwise).
    QList<QTextBrowser *> sampleViews() const { return m_sampleViews; }

    /// What is shown, for tests and copy.
    QString outputText() const;
    QString stateText() const;
    QString metricsText() const;
    QString errorText() const;
    QString noteText() const;
    QTextBrowser *outputView() const { return m_browser; }
    /// How many times the output was re-rendered (the benchmark counts updates with it).
    int renderCount() const { return m_renders; }
    /// Time spent rendering the output (ms): the longest single render and the total.
    double longestRenderMs() const { return m_renderMaxMs; }
    double totalRenderMs() const { return m_renderTotalMs; }

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    /// The output changed: the view renders columns one at a time (see PlaygroundView), so
    /// that a repaint never has to lay out every column at once.
    void renderRequested();
    void addTestCaseRequested(int column, int sample);
    void removeRequested(int column);
    void copied(const QString &what);

private:
    void renderOutput();
    void renderOutputNow();
    void updateSampleView();
    void updateTabs();
    void applyStyle();
    void copyOutput();
    void updateSamplesLayout();
    void renderSideBySide();

    PlaygroundController &m_controller;
    int m_column = 0;
    int m_sample = 0;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QLabel *m_state = nullptr;
    QToolButton *m_rawButton = nullptr;
    QToolButton *m_copyButton = nullptr;
    QToolButton *m_caseButton = nullptr;
    QToolButton *m_removeButton = nullptr;
    QTabBar *m_tabs = nullptr;
    QLabel *m_note = nullptr;
    QToolButton *m_reasoningToggle = nullptr;
    QPlainTextEdit *m_reasoning = nullptr;
    QStackedWidget *m_stack = nullptr;
    QTextBrowser *m_browser = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QLabel *m_metrics = nullptr;
    QLabel *m_error = nullptr;
    bool m_renderPending = false;
    qsizetype m_rawShown = 0; ///< characters of the current sample already in the raw view
    qsizetype m_reasoningShown = 0;
    int m_renders = 0;
    double m_renderMaxMs = 0;
    double m_renderTotalMs = 0;
    StreamingMarkdown m_markdown;
    QColor m_styledBase; ///< the palette's Base when the style sheet was made
    bool m_sideBySide = false;
    QWidget *m_samplesPage = nullptr;
    QHBoxLayout *m_samplesLayout = nullptr;
    QList<QTextBrowser *> m_sampleViews;
    QList<QLabel *> m_sampleCaptions;
    std::vector<StreamingMarkdown> m_sampleMarkdown;
};

} // namespace ts
