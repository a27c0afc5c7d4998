#include "common/settingsdialog.h"

#include "common/appsettings.h"
#include "common/designsystem.h"
#include "models/keystore.h"
#include "storage/project.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts {

namespace {
// Whether TOUCHSTONE_NO_KEYCHAIN was set by us (then a later "use the keychain" removes it)
// rather than by whoever started the app (then it stays).
bool keychainOffBySettings = false;

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    design::setTextRole(label, design::TextRole::Secondary);
    return label;
}
} // namespace

SettingsDialog::SettingsDialog(AppSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(design::space::m);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setVerticalSpacing(design::space::s);

    m_name = new QLineEdit(settings.personName(), this);
    m_name->setPlaceholderText(AppSettings::accountName());
    form->addRow(tr("Your &name:"), m_name);
    form->addRow(QString(),
                 hint(tr("Shown as the author of saved versions and runs and as the "
                         "annotator of your labels. Empty uses your account name."),
                      this));

    m_theme = new QComboBox(this);
    m_theme->addItem(tr("Follow the desktop"), design::themeName(design::Theme::System));
    m_theme->addItem(tr("Light"), design::themeName(design::Theme::Light));
    m_theme->addItem(tr("Dark"), design::themeName(design::Theme::Dark));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(settings.theme())));
    form->addRow(tr("&Theme:"), m_theme);

    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(settings.defaultConcurrency());
    m_concurrency->setSuffix(tr(" calls"));
    form->addRow(tr("New evals run &up to:"), m_concurrency);
    form->addRow(QString(),
                 hint(tr("Calls in flight at once when you start a new eval; each "
                         "model's own limit still applies."),
                      this));

    m_keychain = new QCheckBox(tr("Keep API keys in the OS &keychain"), this);
    m_keychain->setChecked(settings.useKeychain());
    form->addRow(QString(), m_keychain);
    m_keychainNote
        = hint(tr("Off: models read keys from environment variables (env:NAME) only."), this);
    form->addRow(QString(), m_keychainNote);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_theme, &QComboBox::currentIndexChanged, this, &SettingsDialog::previewTheme);
    // Sized to its text: the hints wrap at a readable width instead of stretching the dialog.
    setMinimumWidth(fontMetrics().averageCharWidth() * 72);
}

void SettingsDialog::previewTheme()
{
    design::ThemeManager::instance().apply(
        design::themeFromName(m_theme->currentData().toString()));
}

void SettingsDialog::accept()
{
    m_settings.setAnnotatorName(m_name->text());
    m_settings.setTheme(m_theme->currentData().toString());
    m_settings.setDefaultConcurrency(m_concurrency->value());
    m_settings.setUseKeychain(m_keychain->isChecked());
    apply(m_settings);
    QDialog::accept();
}

void SettingsDialog::reject()
{
    design::ThemeManager::instance().apply(design::themeFromName(m_settings.theme()));
    QDialog::reject();
}

void SettingsDialog::apply(const AppSettings &settings)
{
    setAuthorName(settings.personName());
    const design::Theme theme = design::themeFromName(settings.theme());
    auto &themes = design::ThemeManager::instance();
    if (theme != themes.theme() || QApplication::palette() != design::palette(themes.isDark()))
        themes.apply(theme);
    if (!settings.useKeychain() && !qEnvironmentVariableIsSet("TOUCHSTONE_NO_KEYCHAIN")) {
        qputenv("TOUCHSTONE_NO_KEYCHAIN", "1");
        keychainOffBySettings = true;
    } else if (settings.useKeychain() && keychainOffBySettings) {
        qunsetenv("TOUCHSTONE_NO_KEYCHAIN");
        keychainOffBySettings = false;
    }
}

} // namespace ts
