#pragma once

#include "common/error.h"
#include "io/importedtest.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

namespace ts {

/// A prompt from a promptfoo config as chat messages (role, content). Plain-text prompts are
/// one "user" message. promptfoo's Nunjucks `{{ var }}` is kept as is: it reads the same in
/// Mustache; Nunjucks-only constructs ({% %}, {# #}, filters) are listed as unmapped.
struct ImportedPrompt
{
    QString name;
    QList<std::pair<QString, QString>> messages;
};

/// A provider from a promptfoo config, mapped to one of Touchstone's provider kinds.
struct ImportedProvider
{
    QString id; ///< as written, e.g. "openai:gpt-4o-mini", "ollama:chat:llama3"
    QString providerKind; ///< "openai" (and compatible servers), "anthropic", "gemini", "ollama"
    QString model;
    QString label;
    /// Generation parameters with OpenAI-style names: temperature, max_tokens, top_p, top_k,
    /// frequency_penalty, presence_penalty, stop, seed, response_format, ... Anything else in
    /// the promptfoo config is listed as unmapped, and API keys are never copied.
    nlohmann::json config = nlohmann::json::object();
    QString baseUrl; ///< empty for the provider's default endpoint
    QString keyEnvVar; ///< from `apiKeyEnvar`, the variable holding the key (never the key)
};

/// Everything read from a promptfooconfig.yaml, independent of storage.
struct PromptfooImport
{
    QList<ImportedPrompt> prompts;
    QList<ImportedProvider> providers;
    QList<ImportedTest> tests;
    QList<nlohmann::json> defaultAsserts; ///< defaultTest.assert, applying to every test
    nlohmann::json defaultVars
        = nlohmann::json::object(); ///< defaultTest.vars (not merged into tests)
    QString description;
    /// Every key, assertion type or provider that was not mapped, with where it was:
    /// "promptfooconfig.yaml:12:9: tests[0].assert[1]: assertion type \"javascript\" is not
    /// supported".
    QStringList unmapped;
};

/// Reads a promptfoo config and the files it references (`file://` prompts and tests, relative
/// to the config). Supports prompts as strings, files (.txt/.md with `---` separators, .json or
/// .yaml chat arrays, simple `*` globs) and {id, label, raw}; providers as ids or {id, label,
/// config}; inline tests, test files (.csv with promptfoo's `__expected` shorthand, .jsonl,
/// .yaml, .json), arrays in vars expanded to every combination, defaultTest, description.
/// Errors (unreadable files, YAML syntax at "file:line:col", wrong shapes) fail the whole import.
Result<PromptfooImport> importPromptfooConfig(const QString &yamlPath);

} // namespace ts
