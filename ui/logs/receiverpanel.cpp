#include "logs/receiverpanel.h"

#include "common/themecolors.h"
#include "logs/logscontroller.h"
#include "logs/logtablemodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionFocusRect>
#include <QToolButton>

namespace ts {

ToggleSwitch::ToggleSwitch(const QString &text, QWidget *parent)
    : QAbstractButton(parent)
{
    setText(text);
    setCheckable(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

QSize ToggleSwitch::sizeHint() const
{
    const int h = fontMetrics().height();
    const int track = h * 2;
    return {track + h / 2 + fontMetrics().horizontalAdvance(text()) + 4, h + 6};
}

void ToggleSwitch::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const int h = fontMetrics().height();
    const QRectF track(1, (height() - h) / 2.0, h * 2.0 - 2, h);
    const QColor on = palette().color(QPalette::Highlight);
    const QColor off
        = ThemeColors::mix(palette().color(QPalette::Text), palette().color(QPalette::Base), 0.3);
    p.setPen(Qt::NoPen);
    p.setBrush(isEnabled() ? (isChecked() ? on : off) : c.muted);
    p.drawRoundedRect(track, h / 2.0, h / 2.0);
    const qreal knob = h - 4;
    const qreal x = isChecked() ? track.right() - knob - 2 : track.left() + 2;
    p.setBrush(palette().color(QPalette::Base));
    p.drawEllipse(QRectF(x, track.top() + 2, knob, knob));
    if (hasFocus()) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(on, 1.5));
        p.drawRoundedRect(track.adjusted(-1, -1, 1, 1), h / 2.0 + 1, h / 2.0 + 1);
    }
    p.setPen(
        palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText));
    const QRect label(int(track.right()) + h / 2, 0, width() - int(track.right()) - h / 2,
                      height());
    p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, text());
}

ReceiverPanel::ReceiverPanel(LogsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(fontMetrics().averageCharWidth());
    m_switch = new ToggleSwitch(tr("Receive traces"), this);
    m_switch->setObjectName(QStringLiteral("receiveTraces"));
    m_switch->setToolTip(tr("Run an OpenTelemetry (OTLP/HTTP) receiver on this computer: an "
                            "instrumented application sends its LLM calls straight here"));
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(4318);
    m_port->setPrefix(tr("port "));
    m_port->setToolTip(tr("The port to listen on (OTLP/HTTP's default is 4318)"));
    m_port->setAccessibleName(tr("Receiver port"));
    m_endpoint = new QLabel(this);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint->setFont(editorFont());
    m_copy = new QToolButton(this);
    m_copy->setAutoRaise(true);
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the address, to set as OTEL_EXPORTER_OTLP_ENDPOINT: traces go to "
                          "/v1/traces, and the message events older GenAI instrumentations "
                          "send as logs to /v1/logs"));
    m_status = new QLabel(this);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_switch);
    row->addWidget(m_port);
    row->addWidget(m_endpoint);
    row->addWidget(m_copy);
    row->addWidget(m_status);

    connect(m_switch, &QAbstractButton::toggled, this, [this](bool on) {
        if (on == m_controller.isReceiving())
            return;
        if (on)
            m_controller.startReceiving(quint16(m_port->value()));
        else
            m_controller.stopReceiving();
        refreshState();
    });
    connect(m_copy, &QToolButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_controller.receiverEndpoint());
        m_status->setText(tr("Copied"));
    });
    connect(&controller, &LogsController::receivingChanged, this, &ReceiverPanel::refreshState);
    connect(&controller, &LogsController::recordsReceived, this, &ReceiverPanel::refreshState);
    refreshState();
}

void ReceiverPanel::refreshState()
{
    const bool receiving = m_controller.isReceiving();
    const bool starting = m_controller.isStartingReceiver();
    {
        const QSignalBlocker blocker(m_switch);
        m_switch->setChecked(receiving || starting);
    }
    m_switch->QWidget::update();
    m_port->setVisible(!receiving);
    m_port->setEnabled(!starting);
    m_endpoint->setVisible(receiving);
    m_copy->setVisible(receiving);
    m_status->setVisible(receiving || starting);
    if (receiving) {
        m_endpoint->setText(m_controller.receiverEndpoint());
        const qint64 n = m_controller.receivedRecords();
        m_status->setText(
            n == 0 ? tr("waiting for spans…")
                   : tr("%1 received")
                         .arg(n == 1 ? tr("1 call") : tr("%1 calls").arg(formatCount(n))));
    } else if (starting) {
        m_status->setText(tr("starting…"));
    }
}

QString ReceiverPanel::endpointText() const
{
    return m_endpoint->isVisibleTo(this) ? m_endpoint->text() : QString();
}

QString ReceiverPanel::statusText() const
{
    return m_status->text();
}

} // namespace ts
