#include "io/promptfooimport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using nlohmann::json;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

QString fixture(const char *relative)
{
    return QStringLiteral(TOUCHSTONE_TEST_DATA "/data/promptfoo/") + QLatin1String(relative);
}

QString dump(const json &value)
{
    return QString::fromStdString(value.dump());
}

using Messages = QList<std::pair<QString, QString>>;

std::pair<QString, QString> msg(const char *role, const QString &content)
{
    return {QLatin1String(role), content};
}

} // namespace

class TestPromptfooImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gettingStartedExample()
    {
        const auto imported
            = importPromptfooConfig(fixture("getting-started/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        QCOMPARE(imported->description, QStringLiteral("Translation starter"));

        QCOMPARE(imported->prompts.size(), 2);
        QCOMPARE(imported->prompts.at(0).name, QStringLiteral("Prompt 1"));
        QCOMPARE(imported->prompts.at(0).messages,
                 Messages {msg("user",
                               QStringLiteral("Convert this English to {{language}}: {{input}}"))});
        QCOMPARE(imported->prompts.at(1).messages,
                 Messages {msg("user", QStringLiteral("Translate to {{language}}: {{input}}"))});

        QCOMPARE(imported->providers.size(), 2);
        QCOMPARE(imported->providers.at(0).id, QStringLiteral("openai:gpt-4o-mini"));
        QCOMPARE(imported->providers.at(0).providerKind, QStringLiteral("openai"));
        QCOMPARE(imported->providers.at(0).model, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(imported->providers.at(1).providerKind, QStringLiteral("anthropic"));
        QCOMPARE(imported->providers.at(1).model, QStringLiteral("claude-3-5-haiku-20241022"));

        QCOMPARE(imported->tests.size(), 2);
        QCOMPARE(dump(imported->tests.at(0).data.vars),
                 dump(json {{"language", "French"}, {"input", "Hello world"}}));
        QCOMPARE(dump(json(imported->tests.at(0).asserts)),
                 dump(json::parse(R"([{"type": "contains", "value": "Bonjour le monde"}])")));
        QCOMPARE(
            dump(json(imported->tests.at(1).asserts)),
            dump(json::parse(R"([{"type": "icontains", "value": "Dónde está la biblioteca"}])")));
        QVERIFY(imported->defaultAsserts.isEmpty());
        QVERIFY2(imported->unmapped.isEmpty(),
                 qPrintable(imported->unmapped.join(QLatin1Char('\n'))));
    }

    void promptsFromTextJsonRawAndLabels()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        QCOMPARE(imported->description, QStringLiteral("Multilingual support bot"));
        const QList<ImportedPrompt> &prompts = imported->prompts;
        QCOMPARE(prompts.size(), 5);
        // A text file with a "---" line holds two prompts.
        QCOMPARE(prompts.at(0).name, QStringLiteral("translate.txt #1"));
        QCOMPARE(
            prompts.at(0).messages,
            Messages {msg(
                "user",
                QStringLiteral("Translate the following text to {{ language }}:\n{{ input }}"))});
        QCOMPARE(prompts.at(1).name, QStringLiteral("translate.txt #2"));
        QCOMPARE(
            prompts.at(1).messages,
            Messages {msg(
                "user",
                QStringLiteral("You are a translator. Render \"{{input}}\" in {{language}}."))});
        // A JSON chat array keeps its roles.
        QCOMPARE(prompts.at(2).name, QStringLiteral("chat.json"));
        QCOMPARE(prompts.at(2).messages,
                 (Messages {msg("system",
                                QStringLiteral(
                                    "You are a concise assistant who answers in {{ language }}.")),
                            msg("user", QStringLiteral("{{ input }}"))}));
        // {id, label}: the label names it; Nunjucks-only syntax is kept as text (and listed).
        QCOMPARE(prompts.at(3).name, QStringLiteral("fancy"));
        QVERIFY(prompts.at(3).messages.at(0).second.contains(
            QLatin1String("{{ input | truncate(200) }}")));
        // {raw, label}
        QCOMPARE(prompts.at(4).name, QStringLiteral("strict"));
        QCOMPARE(prompts.at(4).messages,
                 Messages {msg("user", QStringLiteral("Reply in {{language}} only: {{input}}"))});
    }

    void providersMapKindModelConfigAndBaseUrl()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        const QList<ImportedProvider> &p = imported->providers;
        QCOMPARE(p.size(), 7); // bedrock and a JavaScript provider are not callable

        QCOMPARE(p.at(0).providerKind, QStringLiteral("openai"));
        QCOMPARE(p.at(0).model, QStringLiteral("gpt-4o-mini"));
        QVERIFY(p.at(0).baseUrl.isEmpty());
        QCOMPARE(dump(p.at(0).config), QStringLiteral("{}"));

        QCOMPARE(p.at(1).id, QStringLiteral("openai:chat:gpt-4o"));
        QCOMPARE(p.at(1).model, QStringLiteral("gpt-4o"));
        QCOMPARE(p.at(1).label, QStringLiteral("big"));
        QCOMPARE(p.at(1).baseUrl, QStringLiteral("https://gateway.example.com/v1"));
        QCOMPARE(dump(p.at(1).config), dump(json {{"temperature", 0.2}, {"max_tokens", 512}}));

        QCOMPARE(p.at(2).providerKind, QStringLiteral("anthropic"));
        QCOMPARE(p.at(2).model, QStringLiteral("claude-3-5-sonnet-20241022"));
        QCOMPARE(p.at(2).keyEnvVar, QStringLiteral("MY_ANTHROPIC_KEY"));
        QCOMPARE(dump(p.at(2).config), dump(json {{"temperature", 0}, {"max_tokens", 1024}}));

        // Gemini's nested generationConfig lands on the shared parameter names.
        QCOMPARE(p.at(3).providerKind, QStringLiteral("gemini"));
        QCOMPARE(p.at(3).model, QStringLiteral("gemini-1.5-flash"));
        QCOMPARE(dump(p.at(3).config), dump(json {{"temperature", 0.7}, {"max_tokens", 256}}));

        // Model names may contain colons.
        QCOMPARE(p.at(4).providerKind, QStringLiteral("ollama"));
        QCOMPARE(p.at(4).model, QStringLiteral("llama3.2:1b"));

        QCOMPARE(p.at(5).providerKind, QStringLiteral("openai"));
        QCOMPARE(p.at(5).model, QStringLiteral("meta-llama/llama-3.1-8b-instruct:free"));
        QCOMPARE(p.at(5).baseUrl, QStringLiteral("https://openrouter.ai/api/v1"));

        QCOMPARE(p.at(6).providerKind, QStringLiteral("gemini"));
        QCOMPARE(p.at(6).model, QStringLiteral("gemini-1.5-pro"));
    }

    void secretsAreNeverCopied()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        QString everything = imported->unmapped.join(QLatin1Char('\n'));
        for (const ImportedProvider &p : imported->providers)
            everything += dump(p.config) + p.baseUrl + p.keyEnvVar;
        QVERIFY(!everything.contains(QLatin1String("sk-should-never-be-copied")));
        QVERIFY(!everything.contains(QLatin1String("sk-also-never-copied")));
    }

    void defaultTestVarsAndAsserts()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        QCOMPARE(dump(imported->defaultVars), dump(json {{"tone", "friendly"}}));
        QCOMPARE(dump(json(imported->defaultAsserts)),
                 dump(json::parse(R"([{"type": "not-icontains", "value": "as an AI language model"},
                                      {"type": "latency", "threshold": 5000.0}])")));
        // Defaults are not merged into the tests: the caller decides where they live.
        QVERIFY(!imported->tests.at(0).data.vars.contains("tone"));
    }

    void inlineTestsWithAssertsThresholdMetadataAndVarExpansion()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        QCOMPARE(imported->tests.size(), 11);

        const ImportedTest &french = imported->tests.at(0);
        QCOMPARE(french.data.description, QStringLiteral("French greeting"));
        QCOMPARE(french.threshold, std::optional<double>(0.75));
        QCOMPARE(
            french.data.tags,
            (QStringList {QStringLiteral("category:greeting"), QStringLiteral("difficulty:easy")}));
        QVERIFY(!french.data.expected); // assertions stay assertions
        QCOMPARE(dump(json(french.asserts)), dump(json::parse(R"([
            {"type": "equals", "value": "Bonjour le monde", "weight": 2.0},
            {"type": "contains-any", "value": ["bonjour", "salut"]},
            {"type": "llm-rubric", "value": "Is a natural French greeting",
             "provider": "anthropic:messages:claude-3-5-haiku-20241022"},
            {"type": "javascript", "value": "output.length < 100"}])")));

        // Two lists of two values: four tests, each with the same assertions.
        QStringList combos;
        for (int i = 1; i <= 4; ++i) {
            const ImportedTest &t = imported->tests.at(i);
            combos.append(QString::fromStdString(t.data.vars["language"].get<std::string>() + "/"
                                                 + t.data.vars["input"].get<std::string>()));
            QCOMPARE(dump(json(t.asserts)), dump(json::parse(R"([
                {"type": "regex", "value": "^[A-Z]"}, {"type": "is-json"},
                {"type": "cost", "threshold": 0.002}])")));
        }
        combos.sort();
        QCOMPARE(combos,
                 (QStringList {QStringLiteral("Portuguese/Good night"),
                               QStringLiteral("Portuguese/See you soon"),
                               QStringLiteral("Spanish/Good night"),
                               QStringLiteral("Spanish/See you soon")}));
        QCOMPARE(dump(imported->tests.at(5).data.vars),
                 dump(json {{"language", "Dutch"}, {"input", "file://inputs/long_text.txt"}}));
    }

    void testsFromCsvAndJsonlFiles()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        const ImportedTest &french = imported->tests.at(6);
        QCOMPARE(dump(french.data.vars),
                 dump(json {{"language", "French"}, {"input", "Good morning, friend"}}));
        QCOMPARE(french.data.description, QStringLiteral("greeting"));
        QCOMPARE(french.threshold, std::optional<double>(0.5));
        QCOMPARE(french.data.tags, QStringList {QStringLiteral("topic:greetings")});
        QCOMPARE(dump(json(french.asserts)), dump(json::parse(R"([
            {"type": "icontains", "value": "bonjour"}, {"type": "not-contains", "value": "Good morning"}])")));

        // A cell without a known "type:" prefix is an equals check; -any values split on commas.
        const ImportedTest &german = imported->tests.at(7);
        QVERIFY(!german.threshold);
        QCOMPARE(dump(json(german.asserts)), dump(json::parse(R"([
            {"type": "equals", "value": "Danke"}, {"type": "contains-any", "value": ["danke", "dankeschön"]}])")));

        // grade: is promptfoo's old name for llm-rubric; defaultTest.options.provider reaches
        // the assertions that use a provider.
        QCOMPARE(dump(json(imported->tests.at(8).asserts)),
                 dump(json::parse(R"([{"type": "javascript", "value": "output.length < 50"},
                     {"type": "llm-rubric", "value": "is a polite farewell in Italian",
                      "provider": "openai:gpt-4o-mini"}])")));

        const ImportedTest &japanese = imported->tests.at(9);
        QCOMPARE(japanese.data.description, QStringLiteral("toast"));
        QCOMPARE(
            dump(json(japanese.asserts)),
            dump(json::parse(R"([{"type": "levenshtein", "value": "乾杯", "threshold": 2.0}])")));
        QCOMPARE(dump(json(imported->tests.at(10).asserts)),
                 dump(json::parse(R"([{"type": "similar", "value": "네", "threshold": 0.8,
                     "provider": "openai:gpt-4o-mini"}])")));
    }

    void everythingNotMappedIsListedWithItsPlace()
    {
        const auto imported = importPromptfooConfig(fixture("full/promptfooconfig.yaml"));
        QVERIFY2(imported, why(imported).constData());
        const QStringList expected = {
            QStringLiteral("promptfooconfig.yaml:90:3: env: environment settings are not imported"),
            QStringLiteral("promptfooconfig.yaml:88:13: outputPath: top-level key not supported"),
            QStringLiteral("promptfooconfig.yaml:6:5: prompts[2]: Nunjucks tag {% if %} has no "
                           "Mustache equivalent; left as text"),
            QStringLiteral("promptfooconfig.yaml:6:5: prompts[2]: Nunjucks filter \"| truncate\" "
                           "has no Mustache equivalent; left as text"),
            QStringLiteral("promptfooconfig.yaml:10:5: prompts[4]: prompt functions "
                           "(file://prompt_builder.py:make_prompt) are not supported"),
            QStringLiteral(
                "promptfooconfig.yaml:19:15: providers[1].config.apiKey: API keys are not "
                "imported; store a key reference (environment variable or keychain) instead"),
            QStringLiteral("promptfooconfig.yaml:21:21: providers[1].config.organization: provider "
                           "option not supported"),
            QStringLiteral("promptfooconfig.yaml:34:5: providers[6]: Vertex AI (Google Cloud auth) "
                           "imported as the Gemini API; set a Gemini API key"),
            QStringLiteral("promptfooconfig.yaml:35:5: providers[7]: provider "
                           "\"bedrock:anthropic.claude-3-haiku-20240307-v1:0\" is not supported"),
            QStringLiteral("promptfooconfig.yaml:36:5: providers[8]: provider "
                           "\"file://custom_provider.js\" is not supported"),
            QStringLiteral("promptfooconfig.yaml:82:14: tests[2].vars.input: file reference kept "
                           "as text, not loaded"),
            QStringLiteral("promptfooconfig.yaml:84:18: tests[2].options.transform: the test has "
                           "no assertions of its own to apply it to (defaultTest assertions are "
                           "shared by every test and see the untransformed output)"),
            QStringLiteral("tests.csv:1:83: column \"__prefix\" is not supported"),
        };
        QCOMPARE(imported->unmapped, expected);
    }

    void transformsAndScriptFilesCarryOver()
    {
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("promptfooconfig.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"(prompts: ["Say {{x}}"]
providers: [openai:gpt-4o-mini]
defaultTest:
  options:
    transform: output.trim()
  assert:
    - type: is-refusal
      transform: output.toLowerCase()
tests:
  - vars: {x: hi}
    options:
      transform: file://t.js:clean
    assert:
      - type: python
        value: file://checks/grade.py
      - type: similar
        value: hello
        threshold: 0.8
      - type: select-best
        value: friendliest
      - type: assert-set
        assert: []
  - vars: {x: yo}
    assert:
      - type: icontains
        value: YO
)");
        config.close();
        const auto imported = importPromptfooConfig(config.fileName());
        QVERIFY2(imported, why(imported).constData());
        const QString base = QDir(dir.path()).absolutePath();
        const std::string script
            = "file://" + QString(base + QStringLiteral("/checks/grade.py")).toStdString();
        const std::string transform
            = "file://" + QString(base + QStringLiteral("/t.js:clean")).toStdString();
        // an assertion's own transform wins; defaultTest's applies where a test sets none
        QCOMPARE(dump(json(imported->defaultAsserts)),
                 dump(json::parse(
                     R"x([{"type": "is-refusal", "transform": "output.toLowerCase()"}])x")));
        QCOMPARE(
            dump(json(imported->tests.at(0).asserts)),
            dump(json::array(
                {{{"type", "python"}, {"value", script}, {"transform", transform}},
                 {{"type", "similar"},
                  {"value", "hello"},
                  {"threshold", 0.8},
                  {"transform", transform}},
                 {{"type", "select-best"}, {"value", "friendliest"}, {"transform", transform}}})));
        QCOMPARE(dump(json(imported->tests.at(1).asserts)),
                 dump(json::parse(
                     R"x([{"type": "icontains", "value": "YO", "transform": "output.trim()"}])x")));
        // only what is still unmapped is listed
        QCOMPARE(imported->unmapped,
                 QStringList {QStringLiteral("promptfooconfig.yaml:21:9: tests[0].assert[3]: "
                                             "assertion type \"assert-set\" is not supported")});
    }

    void yamlSyntaxErrorNamesLineAndColumn()
    {
        const auto imported = importPromptfooConfig(fixture("errors/syntax.yaml"));
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(imported.error().message.startsWith(
                     QLatin1String("syntax.yaml:8:1: YAML syntax error: ")),
                 qPrintable(imported.error().message));
    }

    void referencedFileProblemsFailTheImport()
    {
        const auto missing = importPromptfooConfig(fixture("errors/missing_prompt.yaml"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::Io);
        QVERIFY2(
            missing.error().message.startsWith(QLatin1String(
                "missing_prompt.yaml:2:5: prompts[0]: cannot read prompts/does_not_exist.txt")),
            qPrintable(missing.error().message));

        const auto badCsv = importPromptfooConfig(fixture("errors/bad_csv.yaml"));
        QVERIFY(!badCsv);
        QCOMPARE(badCsv.error().message,
                 QStringLiteral("bad.csv:3: row has 1 fields, header has 2"));

        const auto badShape = importPromptfooConfig(fixture("errors/bad_shape.yaml"));
        QVERIFY(!badShape);
        QCOMPARE(
            badShape.error().message,
            QStringLiteral(
                "bad_shape.yaml:2:11: tests[0].vars: expected a mapping of variables, got array"));

        const auto noConfig = importPromptfooConfig(fixture("errors/nope.yaml"));
        QVERIFY(!noConfig);
        QCOMPARE(noConfig.error().code, ErrorCode::Io);
    }
};

QTEST_GUILESS_MAIN(TestPromptfooImport)
#include "test_promptfoo_import.moc"
