#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ts {

class AppSettings;

/// Settings ▸ Preferences: your name (on saved versions, runs and labels), the theme (follow
/// the desktop, light, dark; previewed as you choose), calls in flight for a new eval, and
/// whether API keys may live in the OS keychain. OK saves and applies; Cancel restores.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(AppSettings &settings, QWidget *parent = nullptr);

    /// Applies saved settings to the process: the author name core writes, the theme, and
    /// the keychain switch. Called at start and after OK.
    static void apply(const AppSettings &settings);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *themeBox() const { return m_theme; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }
    QCheckBox *keychainBox() const { return m_keychain; }

    void accept() override;
    void reject() override;

private:
    void previewTheme();

    AppSettings &m_settings;
    QLineEdit *m_name = nullptr;
    QComboBox *m_theme = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QCheckBox *m_keychain = nullptr;
    QLabel *m_keychainNote = nullptr;
};

} // namespace ts
