#pragma once

#include "models/modelconfig.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace ts {

class ModelCatalog;
class RunServices;

/// Add, edit and remove the project's models: start from a provider preset, name where the
/// key lives (an environment variable, or the OS keychain when one runs; the key itself never
/// enters the project file), list the models a server offers and send a tiny test request.
/// Saving goes through the ProjectSession's worker; the dialog never waits on disk or network.
class ModelsDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class KeyMode { Environment, Keychain, None };

    ModelsDialog(ModelCatalog &catalog, RunServices &services, QWidget *parent = nullptr);

    /// Starts a new, unsaved model from a preset ("openai", "ollama", ... see modelPresets()).
    void newFromPreset(const QString &presetId);
    /// Shows the stored model `name` for editing.
    bool selectModel(const QString &name);
    /// The configuration as the form describes it (key reference included, no secret).
    ModelConfig formModel() const;

    void save();
    void removeCurrent();
    /// True when the form differs from the model as it was loaded (or a key was pasted).
    bool hasUnsavedChanges() const;
    /// Asks to save or discard unsaved changes before closing; Cancel keeps the dialog open.
    void reject() override;
    void testConnection();
    void listServerModels();

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *providerBox() const { return m_provider; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QComboBox *modelIdBox() const { return m_modelId; }
    QComboBox *keyModeBox() const { return m_keyMode; }
    QLineEdit *envVarEdit() const { return m_envVar; }
    QLineEdit *secretEdit() const { return m_secret; }
    QListView *list() const { return m_list; }
    /// The last result of Save, Test connection or listing, as shown.
    QString statusText() const;
    bool statusIsError() const { return m_statusError; }

Q_SIGNALS:
    void modelSaved(const QString &name);
    void connectionTested(bool ok, const QString &message);
    void serverModelsListed(int count);

private:
    enum class Leave { Proceed, Stay, Saving };
    void load(const ModelConfig &model);
    /// With unsaved changes asks Save / Discard / Cancel. Saving runs `then` once stored.
    Leave confirmLeave(std::function<void()> then);
    void selectListRow(const QString &name);
    void showPresetFor(const ModelConfig &model);
    void setKeyMode(KeyMode mode);
    void showStatus(const QString &text, bool error);
    void saveWithKeyRef(ModelConfig model, std::function<void()> then = {});
    void saveThen(std::function<void()> then);
    void runTest(const ModelConfig &model);

    ModelCatalog &m_catalog;
    RunServices &m_services;
    ModelConfig m_current; ///< id 0 while new
    nlohmann::json m_loaded; ///< formModel() right after load(): what "unsaved" compares to
    bool m_asking = false;
    QListView *m_list = nullptr;
    QComboBox *m_preset = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_provider = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QComboBox *m_modelId = nullptr;
    QPushButton *m_listButton = nullptr;
    QComboBox *m_keyMode = nullptr;
    QStackedWidget *m_keyStack = nullptr;
    QLineEdit *m_envVar = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_keyHint = nullptr;
    QLineEdit *m_priceIn = nullptr;
    QLineEdit *m_priceOut = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_status = nullptr;
    bool m_statusError = false;
};

} // namespace ts
