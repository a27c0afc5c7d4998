#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace ts {

/// Asks which label to point at which version: existing names to move, or a new name.
class LabelDialog final : public QDialog
{
    Q_OBJECT

public:
    /// `labels`: names in use (offered first); `versions`: numbers, newest first.
    LabelDialog(const QStringList &labels, const QList<int> &versions, int selectedVersion,
                QWidget *parent = nullptr);

    QString label() const;
    int version() const;
    void setLabel(const QString &label);

private:
    void validate();
    QComboBox *m_label = nullptr;
    QComboBox *m_version = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ts
