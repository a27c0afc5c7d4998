#include "cli.h"
#include "clirunner.h"

#include "common/json.h"
#include "insights/embeddingcache.h"
#include "models/keystore.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "runs/modelprobe.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QEventLoop>
#include <QTextStream>

namespace ts::cli {

namespace {

nlohmann::json modelJson(const ModelConfig &m)
{
    nlohmann::json json = m.toJson();
    json["id"] = m.id;
    return json;
}

int add(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Add a model configuration. Start from a preset (openai, anthropic, gemini, ollama, "
        "lmstudio, vllm, custom) or give --provider and --base-url. The key is never stored: "
        "name an environment variable (--key-env) or store it in the OS keychain (--keychain "
        "ENTRY with the key on stdin)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"),
                            QStringLiteral("Display name, unique in the project."));
    p.addOptions({
        {QStringLiteral("preset"), QStringLiteral("Provider preset."), QStringLiteral("PRESET")},
        {QStringLiteral("provider"), QStringLiteral("openai, anthropic, gemini or ollama."),
         QStringLiteral("KIND")},
        {QStringLiteral("base-url"), QStringLiteral("Server URL."), QStringLiteral("URL")},
        {QStringLiteral("model"), QStringLiteral("Model id sent to the server."),
         QStringLiteral("ID")},
        {QStringLiteral("key-env"), QStringLiteral("Environment variable holding the API key."),
         QStringLiteral("VAR")},
        {QStringLiteral("keychain"),
         QStringLiteral("Store the key read from stdin in the OS keychain under ENTRY."),
         QStringLiteral("ENTRY")},
        {QStringLiteral("price-in"), QStringLiteral("Price per million input tokens."),
         QStringLiteral("USD")},
        {QStringLiteral("price-out"), QStringLiteral("Price per million output tokens."),
         QStringLiteral("USD")},
        {QStringLiteral("param"), QStringLiteral("Default parameter (repeatable)."),
         QStringLiteral("NAME=VALUE")},
        {QStringLiteral("concurrency"),
         QStringLiteral("Most requests in flight at once (default 4)."), QStringLiteral("N")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("model add"), 2, 2); code >= 0)
        return code;
    ModelConfig m;
    m.name = p.positionalArguments().at(1);
    if (p.isSet(QStringLiteral("preset"))) {
        auto preset = findPreset(p.value(QStringLiteral("preset")));
        if (!preset)
            return usageError(
                QStringLiteral("unknown preset \"%1\"").arg(p.value(QStringLiteral("preset"))),
                QStringLiteral("model add"));
        m.provider = preset->provider;
        m.baseUrl = preset->baseUrl;
        m.modelId = preset->exampleModel;
        if (!preset->keyEnvVar.isEmpty())
            m.keyRef = QStringLiteral("env:") + preset->keyEnvVar;
    }
    if (p.isSet(QStringLiteral("provider"))) {
        auto kind = parseProviderKind(p.value(QStringLiteral("provider")));
        if (!kind)
            return usageError(
                QStringLiteral("--provider must be openai, anthropic, gemini or ollama"),
                QStringLiteral("model add"));
        m.provider = *kind;
    }
    if (!p.isSet(QStringLiteral("preset")) && !p.isSet(QStringLiteral("provider")))
        return usageError(QStringLiteral("give --preset or --provider"),
                          QStringLiteral("model add"));
    if (p.isSet(QStringLiteral("base-url")))
        m.baseUrl = p.value(QStringLiteral("base-url"));
    if (m.baseUrl.isEmpty())
        m.baseUrl = defaultBaseUrl(m.provider);
    if (p.isSet(QStringLiteral("model")))
        m.modelId = p.value(QStringLiteral("model"));
    if (p.isSet(QStringLiteral("key-env")))
        m.keyRef = QStringLiteral("env:") + p.value(QStringLiteral("key-env"));
    auto number = [&](const QString &opt, std::optional<double> &target) {
        if (!p.isSet(opt))
            return true;
        bool ok = false;
        target = p.value(opt).toDouble(&ok);
        return ok;
    };
    if (!number(QStringLiteral("price-in"), m.priceInputPerMTok)
        || !number(QStringLiteral("price-out"), m.priceOutputPerMTok))
        return usageError(QStringLiteral("prices must be numbers"), QStringLiteral("model add"));
    if (p.isSet(QStringLiteral("concurrency")))
        m.maxConcurrency = p.value(QStringLiteral("concurrency")).toInt();
    auto params = parseKeyValues(p.values(QStringLiteral("param")), QStringLiteral("--param"));
    if (!params)
        return report(params.error());
    m.params = ModelParameters::fromJson(*params);
    if (const QString problem = ModelStore::problem(m); !problem.isEmpty())
        return report(Error {ErrorCode::InvalidArgument, problem});

    if (p.isSet(QStringLiteral("keychain"))) {
        QTextStream in(stdin);
        const QString secret = in.readLine().trimmed();
        if (secret.isEmpty())
            return usageError(
                QStringLiteral("--keychain reads the key from stdin, which was empty"),
                QStringLiteral("model add"));
        auto ref = KeyStore::storeInKeychain(p.value(QStringLiteral("keychain")), secret);
        if (!ref)
            return report(ref.error());
        m.keyRef = *ref;
    }
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    ModelStore store(project->db());
    auto added = store.add(m);
    if (!added)
        return report(added.error());
    if (p.isSet(QStringLiteral("json")))
        outJson(modelJson(*added));
    else
        out(QStringLiteral("Added model %1 (%2 %3 at %4)\n")
                .arg(added->name, providerDisplayName(added->provider), added->modelId,
                     added->baseUrl));
    return Ok;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the model configurations of a project."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("model list"), 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto models = ModelStore(project->db()).list();
    if (!models)
        return report(models.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json list = nlohmann::json::array();
        for (const ModelConfig &m : *models)
            list.push_back(modelJson(m));
        outJson(list);
        return Ok;
    }
    if (models->isEmpty())
        out(QStringLiteral(
            "No models yet. Add one with 'touchstone-cli model add FILE NAME --preset openai'.\n"));
    for (const ModelConfig &m : *models)
        out(QStringLiteral("%1  %2 %3  %4  key: %5\n")
                .arg(m.name, providerKindName(m.provider), m.modelId, m.baseUrl,
                     m.keyRef.isEmpty() ? QStringLiteral("none") : m.keyRef));
    return Ok;
}

int remove(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Remove a model configuration (its past runs stay)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Model name."));
    if (int code = parseOrExit(p, args, QStringLiteral("model remove"), 2, 2); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    if (auto ok = ModelStore(project->db()).remove(p.positionalArguments().at(1)); !ok)
        return report(ok.error());
    out(QStringLiteral("Removed model %1\n").arg(p.positionalArguments().at(1)));
    return Ok;
}

int test(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Send a tiny request (\"Reply with OK.\") to a "
                                               "configured model and report what happened."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Model name."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("model test"), 2, 2); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto model = ModelStore(project->db()).find(p.positionalArguments().at(1));
    if (!model)
        return report(model.error());
    NetworkClient network;
    RunEngine engine(nullptr, &network);
    QEventLoop loop;
    Generation result;
    ModelProbe::testConnection(engine, *model, &loop, [&](const Generation &g) {
        result = g;
        loop.quit();
    });
    loop.exec();
    if (p.isSet(QStringLiteral("json")))
        outJson(completionJson(result));
    else if (result.ok())
        out(QStringLiteral("OK: %1 answered in %2 ms: %3\n")
                .arg(model->name)
                .arg(qRound(result.latencyMs.value_or(0)))
                .arg(result.output.left(80)));
    else
        err(QStringLiteral("touchstone-cli: %1 failed: %2\n")
                .arg(model->name,
                     result.error ? result.error->message : generationStatusName(result.status)));
    return result.ok() ? Ok : Failure;
}

int defaultEmbedding(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show or set the project's default embedding model: the model that embeds for `similar` "
        "and answer-relevance assertions when an eval names none (eval --embedding-model, or "
        "Embedding model in New Eval, choose another for one eval)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"),
                            QStringLiteral("Model name (omit to show the current one)."),
                            QStringLiteral("[NAME]"));
    p.addOption({QStringLiteral("clear"), QStringLiteral("Unset the default.")});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("model default-embedding"), 1, 2); code >= 0)
        return code;
    const QStringList positional = p.positionalArguments();
    if (p.isSet(QStringLiteral("clear")) && positional.size() > 1)
        return usageError(QStringLiteral("give NAME or --clear, not both"),
                          QStringLiteral("model default-embedding"));
    auto project = Project::open(positional.at(0));
    if (!project)
        return report(project.error());
    if (p.isSet(QStringLiteral("clear"))) {
        if (auto ok = setDefaultEmbeddingModel(project->db(), std::nullopt); !ok)
            return report(ok.error());
        out(QStringLiteral("The project has no default embedding model now.\n"));
        return Ok;
    }
    if (positional.size() > 1) {
        auto model = ModelStore(project->db()).find(positional.at(1));
        if (!model)
            return report(model.error());
        if (auto ok = setDefaultEmbeddingModel(project->db(), model->id); !ok)
            return report(ok.error());
        if (p.isSet(QStringLiteral("json")))
            outJson(modelJson(*model));
        else
            out(QStringLiteral("Default embedding model: %1 (%2 %3)\n")
                    .arg(model->name, providerDisplayName(model->provider), model->modelId));
        return Ok;
    }
    auto current = defaultEmbeddingModel(project->db());
    if (!current)
        return report(current.error());
    if (p.isSet(QStringLiteral("json")))
        outJson(*current ? modelJson(**current) : nlohmann::json());
    else if (*current)
        out(QStringLiteral("%1 (%2 %3)\n")
                .arg((*current)->name, providerDisplayName((*current)->provider),
                     (*current)->modelId));
    else
        out(QStringLiteral("No default embedding model. Set one with 'touchstone-cli model "
                           "default-embedding FILE NAME'.\n"));
    return Ok;
}

} // namespace

int runModel(const QStringList &args)
{
    struct Sub
    {
        const char *name;
        int (*run)(const QStringList &);
        const char *summary;
    };
    static const Sub subs[] = {
        {"add", &add, "Add a model configuration"},
        {"list", &list, "List model configurations"},
        {"remove", &remove, "Remove a model configuration"},
        {"test", &test, "Send a tiny request and report the result"},
        {"default-embedding", &defaultEmbedding,
         "Show or set the project's default embedding model"},
    };
    const QString sub = args.value(1);
    for (const Sub &s : subs)
        if (sub == QLatin1String(s.name))
            return s.run(QStringList {QStringLiteral("model ") + sub} + args.mid(2));
    QString help
        = QStringLiteral("Usage: touchstone-cli model SUBCOMMAND FILE ...\n\nSubcommands:\n");
    for (const Sub &s : subs)
        help += QStringLiteral("  %1%2\n")
                    .arg(QLatin1String(s.name), -19)
                    .arg(QLatin1String(s.summary));
    help += QStringLiteral("\nPresets:");
    for (const ModelPreset &preset : modelPresets())
        help += QLatin1Char(' ') + preset.id;
    help += QLatin1Char('\n');
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return Ok;
    }
    if (!sub.isEmpty())
        err(QStringLiteral("touchstone-cli: unknown model subcommand \"%1\"\n\n").arg(sub));
    err(help);
    return BadUsage;
}

int runModels(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "List what a server offers. With --remote, asks the server of every configured model "
        "(or only --model NAME). Without a FILE, give --provider and --base-url."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (optional)."));
    p.addOptions({
        {QStringLiteral("remote"), QStringLiteral("Ask the servers (the only mode so far).")},
        {QStringLiteral("model"), QStringLiteral("Only the server of this configured model."),
         QStringLiteral("NAME")},
        {QStringLiteral("provider"), QStringLiteral("openai, anthropic, gemini or ollama."),
         QStringLiteral("KIND")},
        {QStringLiteral("base-url"), QStringLiteral("Server URL."), QStringLiteral("URL")},
        {QStringLiteral("api-key-env"), QStringLiteral("Environment variable holding the key."),
         QStringLiteral("VAR")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("models"), 0, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("remote")))
        return usageError(QStringLiteral("say --remote to ask the servers what they offer"),
                          QStringLiteral("models"));
    QList<ModelConfig> targets;
    if (!p.positionalArguments().isEmpty()) {
        auto project = Project::open(p.positionalArguments().at(0));
        if (!project)
            return report(project.error());
        auto models = ModelStore(project->db()).list();
        if (!models)
            return report(models.error());
        for (const ModelConfig &m : *models)
            if (!p.isSet(QStringLiteral("model")) || m.name == p.value(QStringLiteral("model")))
                targets.append(m);
        if (targets.isEmpty())
            return report(Error {
                ErrorCode::NotFound,
                p.isSet(QStringLiteral("model"))
                    ? QStringLiteral("No model named \"%1\"").arg(p.value(QStringLiteral("model")))
                    : QStringLiteral("The project has no models")});
    } else {
        auto kind = parseProviderKind(p.value(QStringLiteral("provider")));
        if (!kind)
            return usageError(QStringLiteral("give FILE, or --provider and --base-url"),
                              QStringLiteral("models"));
        ModelConfig m;
        m.name = p.value(QStringLiteral("base-url"));
        m.provider = *kind;
        m.baseUrl = p.value(QStringLiteral("base-url"));
        if (p.isSet(QStringLiteral("api-key-env")))
            m.keyRef = QStringLiteral("env:") + p.value(QStringLiteral("api-key-env"));
        targets.append(m);
    }
    NetworkClient network;
    nlohmann::json all = nlohmann::json::array();
    int failures = 0;
    for (const ModelConfig &m : targets) {
        QEventLoop loop;
        Result<QList<ModelInfo>> result = QList<ModelInfo>();
        ModelProbe::listModels(&network, nullptr, m, &loop, [&](Result<QList<ModelInfo>> r) {
            result = std::move(r);
            loop.quit();
        });
        loop.exec();
        nlohmann::json entry = {{"model", sstr(m.name)},
                                {"base_url", sstr(m.baseUrl)},
                                {"provider", sstr(providerKindName(m.provider))}};
        if (!result) {
            ++failures;
            entry["error"] = sstr(result.error().message);
            if (!p.isSet(QStringLiteral("json")))
                err(QStringLiteral("touchstone-cli: %1: %2\n")
                        .arg(m.baseUrl, result.error().message));
        } else {
            nlohmann::json ids = nlohmann::json::array();
            for (const ModelInfo &info : *result)
                ids.push_back(sstr(info.id));
            entry["available"] = ids;
            if (!p.isSet(QStringLiteral("json"))) {
                out(QStringLiteral("%1 (%2):\n").arg(m.baseUrl, providerDisplayName(m.provider)));
                for (const ModelInfo &info : *result)
                    out(QStringLiteral("  %1\n").arg(info.id));
            }
        }
        all.push_back(entry);
    }
    if (p.isSet(QStringLiteral("json")))
        outJson(all);
    return failures ? Failure : Ok;
}

} // namespace ts::cli
