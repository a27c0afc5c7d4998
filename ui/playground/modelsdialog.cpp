#include "playground/modelsdialog.h"

#include "common/themecolors.h"
#include "models/keystore.h"
#include "models/modelstore.h"
#include "playground/modelcatalog.h"
#include "playground/modellistmodel.h"
#include "playground/runservices.h"
#include "runs/modelprobe.h"
#include "runs/runengine.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ts {

namespace {

std::optional<double> price(const QLineEdit *edit)
{
    bool ok = false;
    const double value = edit->text().trimmed().toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

// Environment variable names as shells accept them; anything else is probably the key itself.
QString envVarProblem(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (name.isEmpty() || valid.match(name).hasMatch())
        return {};
    return QObject::tr("\"%1…\" is not an environment variable name; it looks like the key itself. "
                       "Put the key in an environment variable and write the variable's name here "
                       "(for example OPENAI_API_KEY): the project never stores keys.")
        .arg(name.left(6));
}

QString priceText(std::optional<double> value)
{
    return value ? QString::number(*value) : QString();
}

} // namespace

ModelsDialog::ModelsDialog(ModelCatalog &catalog, RunServices &services, QWidget *parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_services(services)
{
    setWindowTitle(tr("Models"));
    auto *layout = new QHBoxLayout(this);

    auto *left = new QVBoxLayout;
    m_list = new QListView(this);
    m_list->setModel(catalog.model());
    m_list->setMinimumWidth(200);
    left->addWidget(m_list, 1);
    auto *addButton = new QPushButton(tr("Add ▾"), this);
    auto *presetMenu = new QMenu(addButton);
    for (const ModelPreset &p : modelPresets())
        presetMenu->addAction(p.title, this, [this, id = p.id] {
            if (confirmLeave([this, id] { newFromPreset(id); }) == Leave::Proceed)
                newFromPreset(id);
        });
    addButton->setMenu(presetMenu);
    m_remove = new QPushButton(tr("Remove"), this);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(addButton);
    listButtons->addWidget(m_remove);
    left->addLayout(listButtons);
    layout->addLayout(left);

    auto *right = new QVBoxLayout;
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetBox"));
    for (const ModelPreset &p : modelPresets())
        m_preset->addItem(p.title, p.id);
    m_preset->setToolTip(tr("Fills provider, server and a typical model and key variable"));
    form->addRow(tr("Start from:"), m_preset);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("e.g. gpt-4o-mini (shown as the column title)"));
    form->addRow(tr("&Name:"), m_name);
    m_provider = new QComboBox(this);
    for (ProviderKind k : {ProviderKind::OpenAI, ProviderKind::Anthropic, ProviderKind::Gemini,
                           ProviderKind::Ollama})
        m_provider->addItem(providerDisplayName(k), providerKindName(k));
    form->addRow(tr("&Protocol:"), m_provider);
    m_baseUrl = new QLineEdit(this);
    form->addRow(tr("&Server URL:"), m_baseUrl);
    m_modelId = new QComboBox(this);
    m_modelId->setEditable(true);
    m_modelId->setInsertPolicy(QComboBox::NoInsert);
    m_listButton = new QPushButton(tr("List models"), this);
    m_listButton->setToolTip(tr("Ask the server which models it offers"));
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_modelId, 1);
    modelRow->addWidget(m_listButton);
    auto *modelLabel = new QLabel(tr("&Model id:"), this);
    modelLabel->setBuddy(m_modelId); // a row holding a layout gets no buddy by itself
    form->addRow(modelLabel, modelRow);

    m_keyMode = new QComboBox(this);
    m_keyMode->addItem(tr("Environment variable"), int(KeyMode::Environment));
    m_keyMode->addItem(tr("OS keychain"), int(KeyMode::Keychain));
    m_keyMode->addItem(tr("No key (local server)"), int(KeyMode::None));
    form->addRow(tr("API &key:"), m_keyMode);
    m_keyStack = new QStackedWidget(this);
    m_envVar = new QLineEdit(m_keyStack);
    m_envVar->setPlaceholderText(tr("e.g. OPENAI_API_KEY"));
    m_secret = new QLineEdit(m_keyStack);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(
        tr("Paste the key; it is stored in the keychain, never in the project"));
    m_keyStack->addWidget(m_envVar);
    m_keyStack->addWidget(m_secret);
    m_keyStack->addWidget(new QWidget(m_keyStack));
    m_keyStack->setFixedHeight(m_envVar->sizeHint().height());
    form->addRow(QString(), m_keyStack);
    m_keyHint = new QLabel(this);
    m_keyHint->setWordWrap(true);
    m_keyHint->setStyleSheet(QStringLiteral("QLabel { color: %1; }")
                                 .arg(ThemeColors::fromPalette(palette()).muted.name()));
    form->addRow(QString(), m_keyHint);

    m_priceIn = new QLineEdit(this);
    m_priceIn->setObjectName(QStringLiteral("priceInEdit"));
    m_priceOut = new QLineEdit(this);
    m_priceOut->setObjectName(QStringLiteral("priceOutEdit"));
    const QString muted = QStringLiteral("QLabel { color: %1; }")
                              .arg(ThemeColors::fromPalette(palette()).muted.name());
    // The unit stays beside the field: a placeholder would vanish as soon as a price is typed.
    auto priceRow = [&](const QString &label, QLineEdit *edit) {
        auto *v = new QDoubleValidator(0, 1e6, 6, edit);
        v->setLocale(QLocale::c());
        edit->setValidator(v);
        edit->setPlaceholderText(tr("optional"));
        edit->setMaximumWidth(edit->fontMetrics().horizontalAdvance(QStringLiteral("0000.000000"))
                              + 24);
        auto *unit = new QLabel(tr("USD per million tokens"), this);
        unit->setStyleSheet(muted);
        auto *row = new QHBoxLayout;
        row->addWidget(edit);
        row->addWidget(unit, 1);
        auto *title = new QLabel(label, this);
        title->setBuddy(edit);
        form->addRow(title, row);
    };
    priceRow(tr("&Input price:"), m_priceIn);
    priceRow(tr("O&utput price:"), m_priceOut);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Most requests in flight at once for this model"));
    form->addRow(tr("&Concurrency:"), m_concurrency);
    right->addLayout(form);

    auto *actions = new QHBoxLayout;
    m_test = new QPushButton(tr("Test connection"), this);
    m_save = new QPushButton(tr("Save"), this);
    m_save->setDefault(true);
    actions->addWidget(m_test);
    actions->addStretch(1);
    actions->addWidget(m_save);
    right->addLayout(actions);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 2);
    right->addWidget(m_status);
    right->addStretch(1);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    right->addWidget(close);
    layout->addLayout(right, 1);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &ModelsDialog::save);
    connect(m_remove, &QPushButton::clicked, this, &ModelsDialog::removeCurrent);
    connect(m_test, &QPushButton::clicked, this, &ModelsDialog::testConnection);
    connect(m_listButton, &QPushButton::clicked, this, &ModelsDialog::listServerModels);
    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        const QString keepName = m_name->text();
        const qint64 keepId = m_current.id;
        const nlohmann::json keepLoaded = m_loaded;
        newFromPreset(m_preset->itemData(index).toString());
        if (keepId) { // editing a stored model: apply the preset's server, keep its identity
            m_current.id = keepId;
            m_name->setText(keepName);
            m_loaded = keepLoaded; // the preset is an unsaved change of the stored model
            m_remove->setEnabled(true);
            m_save->setText(tr("Save"));
        }
    });
    connect(m_keyMode, &QComboBox::activated, this,
            [this](int index) { setKeyMode(KeyMode(m_keyMode->itemData(index).toInt())); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                const ModelConfig *m = m_catalog.model()->modelAt(index.row());
                if (!m || m_asking || (m_current.id && m->id == m_current.id))
                    return;
                const QString target = m->name;
                if (!hasUnsavedChanges()) {
                    load(*m);
                    return;
                }
                // Keep the edited model selected while asking (and after Cancel).
                selectListRow(m_current.name);
                if (confirmLeave([this, target] { selectModel(target); }) == Leave::Proceed)
                    selectModel(target);
            });

    if (!catalog.models().isEmpty())
        m_list->setCurrentIndex(catalog.model()->index(0));
    else
        newFromPreset(QStringLiteral("openai"));
}

void ModelsDialog::newFromPreset(const QString &presetId)
{
    const auto preset = findPreset(presetId);
    if (!preset)
        return;
    ModelConfig m;
    m.provider = preset->provider;
    m.baseUrl = preset->baseUrl;
    m.modelId = preset->exampleModel;
    m.name = preset->exampleModel;
    if (!preset->keyEnvVar.isEmpty())
        m.keyRef = QStringLiteral("env:") + preset->keyEnvVar;
    m_list->clearSelection();
    load(m);
    m_preset->setCurrentIndex(m_preset->findData(presetId));
    m_name->setFocus();
    m_name->selectAll();
}

bool ModelsDialog::selectModel(const QString &name)
{
    const int row = m_catalog.model()->rowOf(name);
    if (row < 0)
        return false;
    selectListRow(name);
    load(*m_catalog.model()->modelAt(row));
    return true;
}

void ModelsDialog::selectListRow(const QString &name)
{
    const QSignalBlocker block(m_list->selectionModel());
    const int row = m_catalog.model()->rowOf(name);
    if (row < 0)
        m_list->selectionModel()->clear();
    else
        m_list->selectionModel()->setCurrentIndex(m_catalog.model()->index(row),
                                                  QItemSelectionModel::ClearAndSelect);
    m_list->viewport()->update();
}

bool ModelsDialog::hasUnsavedChanges() const
{
    if (m_loaded.is_null())
        return false; // nothing loaded yet
    return formModel().toJson() != m_loaded || !m_secret->text().isEmpty();
}

ModelsDialog::Leave ModelsDialog::confirmLeave(std::function<void()> then)
{
    if (!hasUnsavedChanges())
        return Leave::Proceed;
    const QString name = m_name->text().trimmed();
    QMessageBox box(QMessageBox::Question, tr("Unsaved Changes"),
                    m_current.id ? tr("Save your changes to \"%1\"?").arg(m_current.name)
                                 : tr("Add the new model \"%1\"?").arg(name),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Discarding brings back what is stored."));
    box.setDefaultButton(QMessageBox::Save);
    m_asking = true;
    const int answer = box.exec();
    m_asking = false;
    switch (answer) {
    case QMessageBox::Discard:
        return Leave::Proceed;
    case QMessageBox::Save:
        saveThen(std::move(then));
        return Leave::Saving;
    default:
        return Leave::Stay;
    }
}

void ModelsDialog::reject()
{
    if (m_asking)
        return;
    if (confirmLeave([this] { QDialog::reject(); }) == Leave::Proceed)
        QDialog::reject();
}

void ModelsDialog::showPresetFor(const ModelConfig &model)
{
    auto trimmed = [](QString url) {
        while (url.endsWith(QLatin1Char('/')))
            url.chop(1);
        return url;
    };
    const QString url
        = trimmed(model.baseUrl.isEmpty() ? defaultBaseUrl(model.provider) : model.baseUrl);
    QString id;
    for (const ModelPreset &p : modelPresets())
        if (p.provider == model.provider && trimmed(p.baseUrl) == url)
            id = p.id;
    if (id.isEmpty() && model.provider == ProviderKind::OpenAI)
        id = QStringLiteral("custom"); // another OpenAI-compatible server
    for (const ModelPreset &p : modelPresets())
        if (id.isEmpty() && p.provider == model.provider)
            id = p.id;
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(id)));
}

void ModelsDialog::load(const ModelConfig &model)
{
    m_current = model;
    m_name->setText(model.name);
    m_provider->setCurrentIndex(m_provider->findData(providerKindName(model.provider)));
    m_baseUrl->setText(model.baseUrl);
    m_baseUrl->setPlaceholderText(defaultBaseUrl(model.provider));
    m_modelId->clear();
    m_modelId->setEditText(model.modelId);
    m_secret->clear();
    if (model.keyRef.startsWith(QLatin1String("keychain:"))) {
        setKeyMode(KeyMode::Keychain);
    } else if (model.keyRef.startsWith(QLatin1String("env:"))) {
        m_envVar->setText(model.keyRef.mid(4));
        setKeyMode(KeyMode::Environment);
    } else {
        m_envVar->clear();
        setKeyMode(KeyMode::None);
    }
    m_priceIn->setText(priceText(model.priceInputPerMTok));
    m_priceOut->setText(priceText(model.priceOutputPerMTok));
    m_concurrency->setValue(model.maxConcurrency);
    m_remove->setEnabled(model.id != 0);
    m_save->setText(model.id ? tr("Save") : tr("Add model"));
    showPresetFor(model);
    showStatus(QString(), false);
    m_loaded = formModel().toJson();
}

void ModelsDialog::setKeyMode(KeyMode mode)
{
    m_keyMode->setCurrentIndex(m_keyMode->findData(int(mode)));
    m_keyStack->setCurrentIndex(int(mode));
    QString hint;
    switch (mode) {
    case KeyMode::Environment:
        hint = tr("The key is read from this environment variable when a request is sent.");
        break;
    case KeyMode::Keychain:
        if (!KeyStore::keychainAvailable()) {
            hint = KeyStore::keychainUnavailableMessage() + QLatin1Char(' ')
                + tr("Use an environment variable instead (for example %1).")
                      .arg(m_envVar->text().isEmpty() ? QStringLiteral("OPENAI_API_KEY")
                                                      : m_envVar->text());
        } else if (m_current.keyRef.startsWith(QLatin1String("keychain:"))) {
            hint = tr("A key is stored in the keychain as \"%1\". Paste a new one to replace it.")
                       .arg(m_current.keyRef.mid(9));
        } else {
            hint = tr("Stored in your OS keychain (Secret Service / KWallet); the project keeps "
                      "only its name.");
        }
        break;
    case KeyMode::None:
        hint = tr("For local servers such as Ollama, LM Studio or llama.cpp.");
        break;
    }
    m_keyHint->setText(hint);
    m_secret->setEnabled(mode != KeyMode::Keychain || KeyStore::keychainAvailable());
}

ModelConfig ModelsDialog::formModel() const
{
    ModelConfig m = m_current;
    m.name = m_name->text().trimmed();
    m.provider
        = parseProviderKind(m_provider->currentData().toString()).value_or(ProviderKind::OpenAI);
    m.baseUrl = m_baseUrl->text().trimmed();
    m.modelId = m_modelId->currentText().trimmed();
    switch (KeyMode(m_keyMode->currentData().toInt())) {
    case KeyMode::Environment:
        m.keyRef = m_envVar->text().trimmed().isEmpty()
            ? QString()
            : QStringLiteral("env:") + m_envVar->text().trimmed();
        break;
    case KeyMode::Keychain:
        if (!m_current.keyRef.startsWith(QLatin1String("keychain:")))
            m.keyRef = QStringLiteral("keychain:") + m.name;
        break;
    case KeyMode::None:
        m.keyRef.clear();
        break;
    }
    m.priceInputPerMTok = price(m_priceIn);
    m.priceOutputPerMTok = price(m_priceOut);
    m.maxConcurrency = m_concurrency->value();
    return m;
}

void ModelsDialog::showStatus(const QString &text, bool error)
{
    m_statusError = error;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_status->setStyleSheet(
        QStringLiteral("QLabel { color: %1; }").arg((error ? c.error : c.addedText).name()));
    m_status->setText(text);
}

QString ModelsDialog::statusText() const
{
    return m_status->text();
}

void ModelsDialog::save()
{
    saveThen({});
}

void ModelsDialog::saveThen(std::function<void()> then)
{
    ModelConfig model = formModel();
    const bool keychain = KeyMode(m_keyMode->currentData().toInt()) == KeyMode::Keychain;
    if (keychain && !KeyStore::keychainAvailable()) {
        showStatus(
            KeyStore::keychainUnavailableMessage() + QLatin1Char(' ')
                + tr("Choose \"Environment variable\" and name the variable that holds the key."),
            true);
        return;
    }
    if (const QString problem = ModelStore::problem(model); !problem.isEmpty()) {
        showStatus(problem, true);
        return;
    }
    if (const QString problem = envVarProblem(m_envVar->text().trimmed());
        !problem.isEmpty() && KeyMode(m_keyMode->currentData().toInt()) == KeyMode::Environment) {
        showStatus(problem, true);
        return;
    }
    const QString secret = m_secret->text();
    if (keychain && !secret.isEmpty()) {
        const QString entry = model.keyRef.mid(9);
        showStatus(tr("Storing the key in the keychain…"), false);
        m_catalog.storeKey(entry, secret, this,
                           [this, model, then = std::move(then)](Result<QString> ref) mutable {
                               if (!ref) {
                                   showStatus(ref.error().message, true);
                                   return;
                               }
                               m_secret->clear();
                               model.keyRef = *ref;
                               saveWithKeyRef(model, std::move(then));
                           });
        return;
    }
    if (keychain && !m_current.keyRef.startsWith(QLatin1String("keychain:"))) {
        showStatus(tr("Paste the key to store it in the keychain."), true);
        return;
    }
    saveWithKeyRef(model, std::move(then));
}

void ModelsDialog::saveWithKeyRef(ModelConfig model, std::function<void()> then)
{
    m_save->setEnabled(false);
    m_catalog.save(model, this, [this, then = std::move(then)](Result<ModelConfig> saved) {
        m_save->setEnabled(true);
        if (!saved) {
            showStatus(saved.error().message, true);
            return;
        }
        m_current = *saved;
        m_loaded = formModel().toJson(); // the form is what is stored now
        m_remove->setEnabled(true);
        m_save->setText(tr("Save"));
        showStatus(tr("Saved \"%1\".").arg(saved->name), false);
        Q_EMIT modelSaved(saved->name);
        // The list reloads after the save; select the saved model once it is there.
        auto *once = new QObject(this);
        connect(&m_catalog, &ModelCatalog::modelsChanged, once,
                [this, once, then, name = saved->name] {
                    once->deleteLater();
                    selectListRow(name);
                    if (then)
                        then(); // what the user asked for before saving: another model, or closing
                });
    });
}

void ModelsDialog::removeCurrent()
{
    if (!m_current.id)
        return;
    const QString name = m_current.name;
    m_catalog.remove(name, this, [this, name](Result<void> removed) {
        if (!removed) {
            showStatus(removed.error().message, true);
            return;
        }
        showStatus(tr("Removed \"%1\". Runs keep the configuration they used.").arg(name), false);
        m_current = ModelConfig {};
        m_remove->setEnabled(false);
        m_save->setText(tr("Add model"));
    });
}

void ModelsDialog::testConnection()
{
    const ModelConfig model = formModel();
    if (const QString problem = ModelStore::problem(model); !problem.isEmpty()) {
        showStatus(problem, true);
        return;
    }
    if (const QString problem = envVarProblem(m_envVar->text().trimmed());
        !problem.isEmpty() && KeyMode(m_keyMode->currentData().toInt()) == KeyMode::Environment) {
        showStatus(problem, true);
        return;
    }
    const bool keychain = KeyMode(m_keyMode->currentData().toInt()) == KeyMode::Keychain;
    if (keychain && !m_secret->text().isEmpty() && KeyStore::keychainAvailable()) {
        // The request resolves the key from its reference: store the typed key first.
        m_catalog.storeKey(model.keyRef.mid(9), m_secret->text(), this,
                           [this, model](Result<QString> ref) {
                               if (!ref) {
                                   showStatus(ref.error().message, true);
                                   return;
                               }
                               runTest(model);
                           });
        return;
    }
    runTest(model);
}

void ModelsDialog::runTest(const ModelConfig &model)
{
    RunEngine *engine = m_services.engine();
    if (!engine) {
        showStatus(tr("Open a project first."), true);
        return;
    }
    m_test->setEnabled(false);
    showStatus(tr("Sending a tiny request to %1…").arg(model.modelId), false);
    ModelProbe::testConnection(*engine, model, this, [this, model](Generation g) {
        m_test->setEnabled(true);
        if (g.ok()) {
            const QString answer = g.output.simplified().left(60);
            const QString message = tr("Connected: %1 answered \"%2\" in %3 ms.")
                                        .arg(model.modelId, answer)
                                        .arg(qRound64(g.latencyMs.value_or(0)));
            showStatus(message, false);
            Q_EMIT connectionTested(true, message);
        } else {
            const QString message = g.error ? g.error->message : tr("The server gave no answer.");
            showStatus(message, true);
            Q_EMIT connectionTested(false, message);
        }
    });
}

void ModelsDialog::listServerModels()
{
    const ModelConfig model = formModel();
    m_listButton->setEnabled(false);
    showStatus(tr("Asking the server for its models…"), false);
    ModelProbe::listModels(m_services.network(), m_services.writer(), model, this,
                           [this](Result<QList<ModelInfo>> models) {
                               m_listButton->setEnabled(true);
                               if (!models) {
                                   showStatus(models.error().message, true);
                                   return;
                               }
                               const QString typed = m_modelId->currentText();
                               m_modelId->clear();
                               for (const ModelInfo &info : *models)
                                   m_modelId->addItem(info.id);
                               m_modelId->setEditText(typed);
                               showStatus(
                                   models->size() == 1
                                       ? tr("The server offers 1 model; pick it from the list.")
                                       : tr("The server offers %1 models; pick one from the list.")
                                             .arg(models->size()),
                                   false);
                               Q_EMIT serverModelsListed(int(models->size()));
                               if (!models->isEmpty() && isVisible())
                                   m_modelId->showPopup();
                           });
}

} // namespace ts
