#include "shell/commandpalette.h"

#include "common/designsystem.h"

#include <QAction>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>

namespace ts {

namespace {

void collect(QMenu *menu, const QString &path, QList<PaletteEntry> &out)
{
    for (QAction *action : menu->actions()) {
        if (action->isSeparator() || !action->isVisible())
            continue;
        const QString text = plainActionText(action->text());
        if (QMenu *sub = action->menu()) {
            collect(sub, path + QStringLiteral(" ▸ ") + text, out);
            continue;
        }
        if (text.isEmpty())
            continue;
        QString detail = path;
        if (!action->isEnabled())
            detail += QObject::tr(" (not available now)");
        if (!action->shortcut().isEmpty())
            detail
                += QStringLiteral("  ·  ") + action->shortcut().toString(QKeySequence::NativeText);
        QPointer<QAction> guard(action);
        out.append({action->isEnabled() ? QObject::tr("Action") : QObject::tr("Unavailable"), text,
                    detail, [guard] {
                        if (guard && guard->isEnabled())
                            guard->trigger();
                    }});
    }
}

} // namespace

QString plainActionText(const QString &text)
{
    QString plain = text.section(QLatin1Char('\t'), 0, 0);
    plain.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    plain.remove(QLatin1Char('&'));
    plain.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return plain;
}

CommandPalette::CommandPalette(QWidget *parent)
    : QDialog(parent, Qt::Popup | Qt::FramelessWindowHint)
{
    setObjectName(QStringLiteral("commandPalette"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(design::space::s, design::space::s, design::space::s,
                               design::space::s);
    layout->setSpacing(design::space::s);
    m_query = new QLineEdit(this);
    m_query->setPlaceholderText(tr("Type an action, section, prompt, dataset or eval…"));
    m_query->setClearButtonEnabled(true);
    m_query->addAction(design::icon(QStringLiteral("edit-find")), QLineEdit::LeadingPosition);
    m_query->installEventFilter(this);
    m_list = new QListWidget(this);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideMiddle);
    layout->addWidget(m_query);
    layout->addWidget(m_list, 1);
    connect(m_query, &QLineEdit::textChanged, this, &CommandPalette::refresh);
    connect(m_query, &QLineEdit::returnPressed, this, &CommandPalette::activateCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &CommandPalette::activateCurrent);
    setStyleSheet(
        QStringLiteral("#commandPalette { border: 1px solid palette(mid); border-radius: 8px; }"));
}

QList<PaletteEntry> CommandPalette::entries() const
{
    QList<PaletteEntry> all;
    if (m_menuBar)
        for (QAction *top : m_menuBar->actions())
            if (QMenu *menu = top->menu())
                collect(menu, plainActionText(top->text()), all);
    for (const Source &source : m_sources)
        all += source();
    return all;
}

int CommandPalette::score(const QString &query, const QString &text)
{
    const QString q = query.simplified().toCaseFolded();
    if (q.isEmpty())
        return 1;
    const QString t = text.toCaseFolded();
    if (t == q)
        return 1000;
    if (t.startsWith(q))
        return 900 - int(t.size());
    // Every word of the query starts a word of the text, in any order ("prompt new").
    const QStringList words = q.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QStringList textWords
        = t.split(QRegularExpression(QStringLiteral("[^\\w]+")), Qt::SkipEmptyParts);
    const bool allWordStarts = std::all_of(words.cbegin(), words.cend(), [&](const QString &w) {
        return std::any_of(textWords.cbegin(), textWords.cend(),
                           [&](const QString &tw) { return tw.startsWith(w); });
    });
    if (allWordStarts)
        return 700 - int(t.size());
    if (const qsizetype at = t.indexOf(q); at >= 0)
        return 500 - int(at) - int(t.size()) / 4;
    // Letters in order, rewarded when they start words ("nwp" → "New Prompt").
    int score = 300, from = 0;
    for (const QChar c : q) {
        if (c.isSpace())
            continue;
        const qsizetype at = t.indexOf(c, from);
        if (at < 0)
            return 0;
        const bool wordStart = at == 0 || !t.at(at - 1).isLetterOrNumber();
        score += wordStart ? 6 : -int(at - from);
        from = int(at) + 1;
    }
    return std::max(1, score - int(t.size()) / 4);
}

QList<PaletteEntry> CommandPalette::search(const QString &query) const
{
    QList<std::pair<int, PaletteEntry>> scored;
    const QList<PaletteEntry> all = entries();
    for (int i = 0; i < all.size(); ++i)
        if (int s = std::max(score(query, all[i].title),
                             score(query, all[i].kind + QLatin1Char(' ') + all[i].title) - 50);
            s > 0) {
            if (all[i].kind == tr("Unavailable"))
                s -= 2000; // listed, but after everything that can run now
            scored.append({s, all[i]});
        }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<PaletteEntry> result;
    for (auto &[s, entry] : scored)
        result.append(std::move(entry));
    return result;
}

void CommandPalette::popup()
{
    QWidget *window = parentWidget() ? parentWidget()->window() : nullptr;
    const int width = fontMetrics().averageCharWidth() * 80;
    const int height = fontMetrics().height() * 22;
    if (window) {
        const QPoint topCentre
            = window->mapToGlobal(QPoint(window->width() / 2, window->height() / 8));
        setGeometry(topCentre.x() - width / 2, topCentre.y(), std::min(width, window->width() - 40),
                    height);
    } else {
        resize(width, height);
    }
    m_query->clear();
    refresh();
    show();
    raise();
    activateWindow();
    m_query->setFocus();
}

void CommandPalette::refresh()
{
    m_shown = search(m_query->text());
    m_list->clear();
    for (const PaletteEntry &entry : std::as_const(m_shown)) {
        auto *item = new QListWidgetItem(m_list);
        item->setText(
            entry.title + QStringLiteral("      ") + entry.kind
            + (entry.detail.isEmpty() ? QString() : QStringLiteral(" · ") + entry.detail));
        item->setToolTip(entry.detail);
        if (entry.kind == tr("Unavailable"))
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void CommandPalette::activateCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_shown.size())
        return;
    const PaletteEntry entry = m_shown.at(row);
    if (entry.kind == tr("Unavailable"))
        return;
    hide();
    if (entry.activate)
        entry.activate();
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    // Up and Down move through the results while typing goes on in the query.
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up || key->key() == Qt::Key_PageDown
            || key->key() == Qt::Key_PageUp) {
            QCoreApplication::sendEvent(m_list, event);
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace ts
