#pragma once

#include "history/generationsquery.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QTabWidget;
class QTreeWidget;

namespace ts {

class DiffView;
class HistoryController;

/// Version history of the selected prompt: the versions with labels, a coloured diff of the one
/// or two selected versions, label moves, and the generations the version produced.
class HistoryView final : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryView(HistoryController &controller, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    DiffView *diffView() const { return m_diff; }
    QTreeWidget *labelMovesView() const { return m_moves; }
    QTreeWidget *generationsView() const { return m_generations; }
    QTreeWidget *usedByView() const { return m_usedBy; }
    QSplitter *verticalSplitter() const { return m_vsplit; }
    QSplitter *horizontalSplitter() const { return m_hsplit; }
    /// Selects versions by number (one shows its change from the parent, two are compared).
    void selectVersions(const QList<int> &numbers);
    QList<int> selectedVersions() const;

    /// Asks for confirmation, then restores the selected version.
    void restoreSelected();
    void setLabelOnSelected();
    void removeLabelFromSelected();

protected:
    /// Back on screen (after a playground run, say): the generations may have changed.
    void showEvent(QShowEvent *event) override;

private:
    void updateDiff();
    void updateUsedBy();
    void updateMoves();
    void showGenerations(int number, const QList<GenerationSummary> &rows);
    void appendGenerations(int number, const QList<GenerationSummary> &rows);
    void requestGenerations(int number);
    void updateGenerationsTab();

    HistoryController &m_controller;
    QLabel *m_hint = nullptr;
    QTableView *m_table = nullptr;
    DiffView *m_diff = nullptr;
    QTabWidget *m_side = nullptr;
    QTreeWidget *m_moves = nullptr;
    QTreeWidget *m_generations = nullptr;
    QTreeWidget *m_usedBy = nullptr;
    QPushButton *m_restore = nullptr;
    QPushButton *m_setLabel = nullptr;
    QPushButton *m_removeLabel = nullptr;
    QSplitter *m_vsplit = nullptr;
    QSplitter *m_hsplit = nullptr;
    bool m_showingSnippet = false;
    int m_generationsOf = 0; ///< the version whose generations the list shows (0: none yet)
    int m_generationRows = 0;
    std::optional<qint64> m_generationTotal;
};

} // namespace ts
