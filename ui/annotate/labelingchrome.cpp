#include "annotate/labelingchrome.h"

#include "annotate/labelingsession.h"
#include "common/themecolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts {

QString keyCap(const QString &key, const QPalette &palette)
{
    const ThemeColors c = ThemeColors::fromPalette(palette);
    // A key cap stands out from the window: the base colour on a light theme, a lifted grey
    // on a dark one.
    const QColor cap = c.dark
        ? ThemeColors::mix(palette.color(QPalette::Text), palette.color(QPalette::Window), 0.25)
        : palette.color(QPalette::Base);
    return QStringLiteral("<span style='background-color:%1; color:%2; font-weight:600'>"
                          "&nbsp;%3&nbsp;</span>")
        .arg(cap.name(), palette.color(QPalette::Text).name(), key.toHtmlEscaped());
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text.toUpper(), parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    f.setWeight(QFont::DemiBold);
    f.setLetterSpacing(QFont::PercentageSpacing, 106);
    label->setFont(f);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QWidget *makeDonePage(QWidget *parent, int gap, QLabel *&title, QPushButton *&back)
{
    auto *done = new QWidget(parent);
    auto *layout = new QVBoxLayout(done);
    layout->addStretch(2);
    title = new QLabel(done);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.25);
    font.setWeight(QFont::DemiBold);
    title->setFont(font);
    title->setAlignment(Qt::AlignCenter);
    back = new QPushButton(QObject::tr("Back to Queues"), done);
    back->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(title);
    layout->addSpacing(gap / 2);
    layout->addWidget(back, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    return done;
}

LabelingHeader::LabelingHeader(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    const int ch = fontMetrics().averageCharWidth();
    m_back = new QToolButton(this);
    m_back->setText(tr("Queues"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back->setAutoRaise(true);
    m_back->setFocusPolicy(Qt::NoFocus);
    m_back->setToolTip(tr("Back to the queues (Esc); every label is already saved"));
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_kind = new QLabel(this);
    m_kind->setForegroundRole(QPalette::PlaceholderText);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("labelingProgress"));
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(ch * 28);
    m_progress->setMaximumHeight(fontMetrics().height() / 2 + 2);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("labelingCount"));
    m_who = new QLabel(this);
    m_who->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_back);
    layout->addSpacing(ch);
    layout->addWidget(m_title);
    layout->addSpacing(ch);
    layout->addWidget(m_kind, 0, Qt::AlignBaseline);
    layout->addStretch(1);
    layout->addWidget(m_who);
    layout->addSpacing(ch * 3);
    layout->addWidget(m_progress);
    layout->addWidget(m_count);
    connect(m_back, &QToolButton::clicked, this, &LabelingHeader::backRequested);
}

void LabelingHeader::setSession(LabelingSession *session)
{
    m_session = session;
    refresh();
}

void LabelingHeader::refresh()
{
    if (!m_session)
        return;
    const QueueInfo &q = m_session->queue();
    m_title->setText(q.name);
    m_kind->setText(
        q.kind == QueueKind::Pairwise
            ? (q.blind ? tr("Pairwise · blind") : tr("Pairwise"))
            : tr("Yes / no · %n criterion", "Yes / no · %n criteria", int(q.criteria.size())));
    const QueueProgress p = m_session->progress();
    m_progress->setRange(0, qMax(1, p.total));
    m_progress->setValue(qMin(p.done, p.total));
    m_count->setText(tr("%1 of %2 done").arg(p.done).arg(p.total));
    m_who->setText(tr("Labeling as %1").arg(m_session->annotator()));
}

KeyBar::KeyBar(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("keyBar"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
}

void KeyBar::setKeys(const QList<std::pair<QString, QString>> &keys)
{
    m_keys = keys;
    QStringList plain;
    for (const auto &[key, what] : keys)
        plain << key + QLatin1Char(' ') + what;
    m_plain = plain.join(QStringLiteral(" · "));
    render();
}

void KeyBar::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        render();
}

void KeyBar::render()
{
    const QColor muted = ThemeColors::fromPalette(palette()).muted;
    QStringList parts;
    for (const auto &[key, what] : m_keys)
        parts << keyCap(key, palette())
                + QStringLiteral("&nbsp;<span style='color:%1'>%2</span>")
                      .arg(muted.name(), what.toHtmlEscaped());
    setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp; ")));
}

} // namespace ts
