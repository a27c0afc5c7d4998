#include "prompts/parameterspanel.h"

#include "common/jsonedit.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>

namespace ts {

namespace {
const QString defaultText = QObject::tr("Provider default");
constexpr double temperatureUnset = -0.1;
constexpr double topPUnset = -0.05;
} // namespace

ParametersPanel::ParametersPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setRange(temperatureUnset, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setSpecialValueText(defaultText);
    m_temperature->setToolTip(tr("Randomness: 0 is (nearly) deterministic, higher is more varied."));

    m_maxTokens = new QSpinBox(this);
    m_maxTokens->setRange(0, 10'000'000);
    m_maxTokens->setSingleStep(64);
    m_maxTokens->setSpecialValueText(defaultText);

    m_topP = new QDoubleSpinBox(this);
    m_topP->setRange(topPUnset, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setSpecialValueText(defaultText);

    m_seed = new QLineEdit(this);
    m_seed->setPlaceholderText(tr("None (random)"));
    m_seed->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("-?[0-9]{0,18}")), m_seed));

    m_stop = new QPlainTextEdit(this);
    m_stop->setTabChangesFocus(true);
    m_stop->setPlaceholderText(tr("One per line; write \\n for a newline"));
    m_stop->setFixedHeight(3 * fontMetrics().lineSpacing() + 12);

    m_schema = new JsonEdit(this);
    m_schema->setPlaceholderText(tr("Optional JSON Schema the reply must follow, e.g.\n"
                                    "{\"type\": \"object\", \"properties\": {…}}"));
    m_schema->setCheck([](const nlohmann::json &json) {
        return json.is_object() ? QString()
                                : tr("A JSON Schema is an object, such as {\"type\": \"object\"}");
    });

    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Max tokens"), m_maxTokens);
    form->addRow(tr("Top p"), m_topP);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Stop sequences"), m_stop);
    form->addRow(tr("Response schema"), m_schema);

    auto changed = [this] {
        if (!m_loading)
            Q_EMIT edited();
    };
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, changed);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_seed, &QLineEdit::textChanged, this, changed);
    connect(m_stop, &QPlainTextEdit::textChanged, this, changed);
    connect(m_schema, &JsonEdit::edited, this, [this, changed] {
        if (m_schema->isValid())
            m_schemaValue = m_schema->json();
        changed();
    });
}

void ParametersPanel::setParameters(const ModelParameters &params,
                                    const std::optional<nlohmann::json> &schema)
{
    m_loading = true;
    m_temperature->setValue(params.temperature.value_or(temperatureUnset));
    m_maxTokens->setValue(params.maxTokens.value_or(0));
    m_topP->setValue(params.topP.value_or(topPUnset));
    m_seed->setText(params.seed ? QString::number(*params.seed) : QString());
    QStringList stops;
    for (const QString &s : params.stop)
        stops << escape(s);
    const QString stopText = stops.join(QLatin1Char('\n'));
    if (m_stop->toPlainText() != stopText)
        m_stop->setPlainText(stopText);
    m_schema->setJson(schema);
    m_schemaValue = schema;
    m_loading = false;
}

ModelParameters ParametersPanel::parameters() const
{
    ModelParameters p;
    if (m_temperature->value() > temperatureUnset + 1e-9)
        p.temperature = m_temperature->value();
    if (m_maxTokens->value() > 0)
        p.maxTokens = m_maxTokens->value();
    if (m_topP->value() > topPUnset + 1e-9)
        p.topP = m_topP->value();
    bool ok = false;
    const qint64 seed = m_seed->text().toLongLong(&ok);
    if (ok)
        p.seed = seed;
    for (const QString &line : m_stop->toPlainText().split(QLatin1Char('\n')))
        if (!line.isEmpty())
            p.stop << unescape(line);
    return p;
}

QString ParametersPanel::schemaProblem() const
{
    return m_schema->problem();
}

QString ParametersPanel::unescape(const QString &text)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\\') && i + 1 < text.size()) {
            const QChar n = text[++i];
            out += n == QLatin1Char('n') ? QChar(QLatin1Char('\n'))
                   : n == QLatin1Char('t') ? QChar(QLatin1Char('\t'))
                                           : n;
        } else {
            out += text[i];
        }
    }
    return out;
}

QString ParametersPanel::escape(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    out.replace(QLatin1Char('\t'), QStringLiteral("\\t"));
    return out;
}

} // namespace ts
