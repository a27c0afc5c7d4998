#pragma once

#include <QAbstractButton>
#include <QWidget>

class QLabel;
class QSpinBox;
class QToolButton;

namespace ts {

class LogsController;

/// An on/off switch drawn as a pill with a knob; toggled with a click or the space bar.
class ToggleSwitch final : public QAbstractButton
{
    Q_OBJECT

public:
    explicit ToggleSwitch(const QString &text, QWidget *parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

/// "Receive traces": a switch that runs the OTLP/HTTP receiver, the port it listens on, the
/// URL to point an exporter at (with a copy button) and how many calls arrived.
class ReceiverPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ReceiverPanel(LogsController &controller, QWidget *parent = nullptr);

    ToggleSwitch *toggle() const { return m_switch; }
    QSpinBox *portBox() const { return m_port; }
    /// The endpoint shown while receiving, empty otherwise.
    QString endpointText() const;
    QString statusText() const;

private:
    void refreshState();

    LogsController &m_controller;
    ToggleSwitch *m_switch = nullptr;
    QSpinBox *m_port = nullptr;
    QLabel *m_endpoint = nullptr;
    QToolButton *m_copy = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace ts
