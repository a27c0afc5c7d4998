#include "cli.h"
#include "clirunner.h"

#include "net/networkclient.h"
#include "runs/runengine.h"

namespace ts::cli {

int runComplete(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Send one chat request and print one JSON object: text, reasoning, finish_reason, "
        "input_tokens, output_tokens, tool_calls, error {type, message, status}, ttft_ms, "
        "latency_ms. Exit 0 when the model answered, 1 when it failed (the JSON is still printed)."));
    p.addOptions({
        {QStringLiteral("provider"), QStringLiteral("openai, anthropic, gemini or ollama."), QStringLiteral("KIND")},
        {QStringLiteral("base-url"), QStringLiteral("Server URL (default: the provider's)."), QStringLiteral("URL")},
        {QStringLiteral("model"), QStringLiteral("Model id."), QStringLiteral("M")},
        {QStringLiteral("system"), QStringLiteral("System message."), QStringLiteral("TEXT")},
        {QStringLiteral("message"), QStringLiteral("User message (repeatable; ROLE=TEXT for another role)."), QStringLiteral("TEXT")},
        {QStringLiteral("param"), QStringLiteral("temperature, max_tokens, top_p, seed, stop (repeatable)."), QStringLiteral("NAME=VALUE")},
        {QStringLiteral("stream"), QStringLiteral("Stream the answer (default).")},
        {QStringLiteral("no-stream"), QStringLiteral("Ask for one whole answer.")},
        {QStringLiteral("api-key-env"), QStringLiteral("Environment variable holding the key."), QStringLiteral("VAR")},
    });
    if (int code = parseOrExit(p, args, QStringLiteral("complete"), 0, 0); code >= 0)
        return code;
    const auto kind = parseProviderKind(p.value(QStringLiteral("provider")));
    if (!kind)
        return usageError(QStringLiteral("--provider must be openai, anthropic, gemini or ollama"),
                          QStringLiteral("complete"));
    if (p.value(QStringLiteral("model")).isEmpty())
        return usageError(QStringLiteral("--model is required"), QStringLiteral("complete"));
    if (!p.isSet(QStringLiteral("message")))
        return usageError(QStringLiteral("--message is required"), QStringLiteral("complete"));
    if (p.isSet(QStringLiteral("stream")) && p.isSet(QStringLiteral("no-stream")))
        return usageError(QStringLiteral("--stream and --no-stream exclude each other"), QStringLiteral("complete"));

    GenerationSpec spec;
    spec.model.name = p.value(QStringLiteral("model"));
    spec.model.provider = *kind;
    spec.model.baseUrl = p.value(QStringLiteral("base-url"));
    spec.model.modelId = p.value(QStringLiteral("model"));
    spec.model.maxConcurrency = 1;
    if (p.isSet(QStringLiteral("api-key-env")))
        spec.keyRefOverride = QStringLiteral("env:") + p.value(QStringLiteral("api-key-env"));
    if (p.isSet(QStringLiteral("system")))
        spec.messages.append({QStringLiteral("system"), p.value(QStringLiteral("system"))});
    static const QStringList roles = {QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant")};
    for (const QString &m : p.values(QStringLiteral("message"))) {
        const qsizetype eq = m.indexOf(QLatin1Char('='));
        if (eq > 0 && roles.contains(m.left(eq)))
            spec.messages.append({m.left(eq), m.mid(eq + 1)});
        else
            spec.messages.append({QStringLiteral("user"), m});
    }
    auto params = parseKeyValues(p.values(QStringLiteral("param")), QStringLiteral("--param"));
    if (!params)
        return report(params.error());
    auto gp = GenerationParams::fromJson(*params);
    if (!gp)
        return report(Error{ErrorCode::InvalidArgument, gp.error().message});
    spec.params = *gp;
    spec.stream = !p.isSet(QStringLiteral("no-stream"));
    spec.useCache = false;

    NetworkClient network;
    RunEngine engine(nullptr, &network);
    const QList<Generation> results = runJobs(engine, {spec});
    const Generation &g = results.first();
    outJson(completionJson(g));
    return g.ok() ? Ok : Failure;
}

} // namespace ts::cli
