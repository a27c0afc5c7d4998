#include "common/jsonedit.h"

#include "common/json.h"
#include "common/themecolors.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ts {

namespace {

// nlohmann reports a byte offset; people want a line and a column.
QString describeParseError(const std::string &text, const nlohmann::json::parse_error &e)
{
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < end; ++i)
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    const int column = QString::fromUtf8(text.data() + lineStart, qsizetype(end - lineStart)).size() + 1;
    QString what = QString::fromUtf8(e.what());
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
    // parsing value - invalid literal; last read: 'x'" -> the part after the last ": ".
    const qsizetype cut = what.indexOf(QLatin1String("syntax error while parsing"));
    if (cut >= 0)
        what = what.mid(cut);
    return QObject::tr("Invalid JSON at line %1, column %2: %3").arg(line).arg(column).arg(what);
}

} // namespace

JsonEdit::JsonEdit(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_edit = new QPlainTextEdit(this);
    m_edit->setFont(editorFont());
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        validate();
        if (!m_settingText)
            Q_EMIT edited();
    });
    validate();
}

void JsonEdit::setPlaceholderText(const QString &text)
{
    m_edit->setPlaceholderText(text);
}

void JsonEdit::setText(const QString &text)
{
    if (text == m_edit->toPlainText())
        return;
    m_settingText = true;
    m_edit->setPlainText(text);
    m_settingText = false;
    validate();
}

QString JsonEdit::text() const
{
    return m_edit->toPlainText();
}

void JsonEdit::setJson(const std::optional<nlohmann::json> &json)
{
    setText(json ? QString::fromStdString(json->dump(2)) : QString());
}

void JsonEdit::validate()
{
    const std::string text = m_edit->toPlainText().toStdString();
    m_value.reset();
    m_problem.clear();
    if (QString::fromStdString(text).trimmed().isEmpty()) {
        if (!m_allowEmpty)
            m_problem = tr("Enter a JSON value");
    } else {
        try {
            m_value = nlohmann::json::parse(text);
            if (m_check)
                m_problem = m_check(*m_value);
            if (!m_problem.isEmpty())
                m_value.reset();
        } catch (const nlohmann::json::parse_error &e) {
            m_problem = describeParseError(text, e);
        } catch (const nlohmann::json::exception &e) {
            m_problem = QString::fromUtf8(e.what());
        }
    }
    const ThemeColors c = ThemeColors::fromPalette(palette());
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, m_problem.isEmpty() ? c.muted : c.error);
    m_status->setPalette(p);
    m_status->setText(m_problem.isEmpty() ? (m_value ? tr("Valid JSON") : tr("Empty: not set"))
                                          : m_problem);
    m_status->setToolTip(m_problem);
}

} // namespace ts
