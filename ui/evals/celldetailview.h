#pragma once

#include "evals/evalresults.h"
#include "evals/evalscontroller.h"

#include <QHash>
#include <QSet>
#include <QWidget>

#include <memory>

class QComboBox;
class QTextBrowser;

namespace ts {

/// What one cell of the results matrix holds: the case's variables and expected output, then
/// for the variant the request as sent, every sample's output, each assertion and judge verdict
/// with its reason. With a second variant chosen, both outputs side by side with the words that
/// differ marked.
class CellDetailView final : public QWidget
{
    Q_OBJECT

public:
    explicit CellDetailView(QWidget *parent = nullptr);

    /// Shows a cell: `caseIndex` indexes `results->cases` (a page of the eval, or the whole
    /// eval; -1 clears).
    void showCell(std::shared_ptr<const EvalResults> results, int caseIndex, int variant);
    /// The variant shown beside the cell's (-1: none).
    void setCompareVariant(int variant);
    int compareVariant() const;

    QComboBox *compareCombo() const { return m_compare; }
    QTextBrowser *browser() const { return m_text; }
    /// The detail as plain text (tests read it).
    QString plainText() const;

    /// The request a generation sent (asked for with requestWanted()).
    void setRequest(qint64 generationId, const QList<RenderedMessage> &messages);

    /// An HTML table with `left` and `right` side by side, changed words tinted.
    static QString sideBySideHtml(const QString &left, const QString &right,
                                  const QPalette &palette);

Q_SIGNALS:
    /// The detail would show the request of `generationId`; answer with setRequest().
    void requestWanted(qint64 generationId);

private:
    void render();
    void fillCompare();

    std::shared_ptr<const EvalResults> m_results;
    int m_case = -1;
    int m_variant = -1;
    QHash<qint64, QList<RenderedMessage>> m_requests;
    QSet<qint64> m_asked;
    QComboBox *m_compare = nullptr;
    QTextBrowser *m_text = nullptr;
};

} // namespace ts
