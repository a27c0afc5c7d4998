// LogRowValues writes the messages column and the full-text input itself (the import's hot
// path); what `logs list --json` and the detail pane read back must be byte for byte what
// nlohmann's dump of messagesToJson() and LogRecord::inputText() give.

#include "logs/logrecord.h"
#include "logs/logrowvalues.h"

#include <QTest>

using namespace ts;

class TestLogRowValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messagesAndSearchTextAsTheReference();
};

namespace {

QByteArray referenceMessages(const QList<LogMessage> &messages)
{
    const std::string text
        = messagesToJson(messages).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size()));
}

LogMessage message(const QString &role, std::optional<QString> content)
{
    LogMessage m;
    m.role = role;
    m.content = std::move(content);
    return m;
}

} // namespace

void TestLogRowValues::messagesAndSearchTextAsTheReference()
{
    QString control;
    for (char16_t c = 0; c < 0x20; ++c)
        control += QChar(c);
    LogMessage tool = message(QStringLiteral("tool"), QStringLiteral("18 \u00b0C"));
    tool.toolCallId = QStringLiteral("call_\"1\"");
    LogMessage withCalls = message(QStringLiteral("assistant"), std::nullopt);
    withCalls.toolCalls << LogToolCall {QStringLiteral("call_1"), QStringLiteral("weather"),
                                        nlohmann::json {{"city", "Paris\n"}}};

    const QList<QList<LogMessage>> cases = {
        {},
        {message(QStringLiteral("system"), QStringLiteral("Be brief."))},
        {message(QStringLiteral("user"), QStringLiteral("quote \" backslash \\ slash / del \x7f")),
         message(QStringLiteral("assistant"), std::nullopt),
         message(QStringLiteral("user"), QString()), // known but empty
         message(QStringLiteral("user"), control),
         message(QStringLiteral("user"),
                 QStringLiteral("accents \u00e9\u00e8, CJK \u4f60\u597d, emoji \U0001F600")),
         tool},
        {message(QStringLiteral("user"), QStringLiteral("call it")), withCalls, tool},
    };
    for (const QList<LogMessage> &messages : cases) {
        LogRecord record;
        record.messages = messages;
        record.output = QStringLiteral("out \"put\"\n");
        record.sourceFormat = QStringLiteral("otlp");
        const LogRowValues v = LogRowValues::from(record);
        QCOMPARE(v.messages, referenceMessages(messages));
        QCOMPARE(v.ftsInput, record.inputText().toUtf8());
        QCOMPARE(v.ftsOutput, record.output->toUtf8());
    }

    // Escapes as nlohmann writes them, checked by hand once.
    LogRecord record;
    record.messages = {message(QStringLiteral("user"), QStringLiteral("a\"b\\c\nd\x01"))};
    QCOMPARE(LogRowValues::from(record).messages,
             QByteArray("[{\"content\":\"a\\\"b\\\\c\\nd\\u0001\",\"role\":\"user\"}]"));
    QVERIFY(LogRowValues::from(record).ftsOutput.isEmpty());
}

QTEST_GUILESS_MAIN(TestLogRowValues)
#include "test_log_row_values.moc"
