#pragma once

#include <QDialog>

#include <functional>

class QLineEdit;
class QListWidget;
class QMenuBar;

namespace ts {

/// One thing the palette can find: an action from the menus, a section, or a named item of
/// the project (prompt, dataset, eval).
struct PaletteEntry
{
    QString kind; ///< "Action", "Section", "Prompt", "Dataset", "Eval" …
    QString title; ///< what is matched: "New Prompt…", "support-reply"
    QString detail; ///< where it lives or its shortcut: "Prompt menu · Ctrl+N"
    std::function<void()> activate;
};

/// Ctrl+K: type a few letters of any action, section, prompt, dataset or eval and press Enter.
/// Matches whole words first, then starts of words, then letters in order ("nwp" finds
/// "New Prompt"); items of the project come from sources the workbench registers.
class CommandPalette final : public QDialog
{
    Q_OBJECT

public:
    using Source = std::function<QList<PaletteEntry>()>;

    explicit CommandPalette(QWidget *parent = nullptr);

    /// Every enabled action reachable from `bar`'s menus (submenus included) is an entry.
    void setMenuBar(QMenuBar *bar) { m_menuBar = bar; }
    void addSource(Source source) { m_sources.append(std::move(source)); }

    /// All entries now (actions, then each source's).
    QList<PaletteEntry> entries() const;
    /// Entries matching `query`, best first; every entry for an empty query.
    QList<PaletteEntry> search(const QString &query) const;
    /// How well `query` matches `text` (0: not at all). Higher is better.
    static int score(const QString &query, const QString &text);

    /// Clears the query, fills the list and shows the palette over the window.
    void popup();

    QLineEdit *queryEdit() const { return m_query; }
    QListWidget *resultList() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void activateCurrent();

    QMenuBar *m_menuBar = nullptr;
    QList<Source> m_sources;
    QList<PaletteEntry> m_shown;
    QLineEdit *m_query = nullptr;
    QListWidget *m_list = nullptr;
};

/// Text of an action as a person reads it: no '&' mnemonics, no trailing tab part.
QString plainActionText(const QString &text);

} // namespace ts
