#pragma once

#include <QLabel>
#include <QList>
#include <QWidget>

#include <utility>

class QProgressBar;
class QPushButton;
class QToolButton;

namespace ts {

class LabelingSession;

/// The strip above a labeling view: back to the queues, the queue's name, where the
/// annotator stands (a bar and "12 of 25"), who is labeling and the time on this item.
class LabelingHeader final : public QWidget
{
    Q_OBJECT

public:
    explicit LabelingHeader(QWidget *parent = nullptr);

    void setSession(LabelingSession *session);
    /// Re-reads progress and the time on the item.
    void refresh();

    QProgressBar *progressBar() const { return m_progress; }
    QLabel *progressLabel() const { return m_count; }

Q_SIGNALS:
    void backRequested();

private:
    LabelingSession *m_session = nullptr;
    QToolButton *m_back = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_kind = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_who = nullptr;
};

/// A line of keys and what they do, every key a labeling view answers to.
class KeyBar final : public QLabel
{
    Q_OBJECT

public:
    explicit KeyBar(QWidget *parent = nullptr);
    /// (keys, what): {"Y", "yes"}, {"⌫ / Ctrl+Z", "undo"}.
    void setKeys(const QList<std::pair<QString, QString>> &keys);
    /// Text of the keys, for tests: "Y yes · X no · …".
    QString plainKeys() const { return m_plain; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QList<std::pair<QString, QString>> m_keys;
    QString m_plain;
};

/// An HTML key cap ("Y") for labels and buttons with rich text.
QString keyCap(const QString &key, const QPalette &palette);

/// A title in the type scale's "section label" size: small caps-like, muted, semi-bold.
QLabel *sectionLabel(const QString &text, QWidget *parent);

/// The page a labeling view shows when the queue is done (or the next item is being read):
/// one sentence and one action. `title` and `back` receive the page's label and button.
QWidget *makeDonePage(QWidget *parent, int gap, QLabel *&title, QPushButton *&back);

} // namespace ts
