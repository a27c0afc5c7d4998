// touchstone-fake-server: the fake LLM server as a process, for the CLI tests, manual
// checks and benchmarks. Prints "listening on http://127.0.0.1:PORT" first, runs until killed.

#include "fakellmserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("touchstone-fake-server"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A deterministic fake LLM server (OpenAI, Anthropic, Gemini, Ollama wire formats)."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port on 127.0.0.1 (0 = any free port)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"),
                                     QStringLiteral("Delay before the first token."),
                                     QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption rate(QStringLiteral("tokens-per-sec"),
                                  QStringLiteral("Streaming rate (0 = as fast as possible)."),
                                  QStringLiteral("rate"), QStringLiteral("0"));
    const QCommandLineOption tokens(QStringLiteral("output-tokens"),
                                    QStringLiteral("Tokens per answer."), QStringLiteral("n"),
                                    QStringLiteral("16"));
    const QCommandLineOption key(QStringLiteral("expect-key"),
                                 QStringLiteral("Answer 401 unless requests carry this key."),
                                 QStringLiteral("key"));
    const QCommandLineOption fault(QStringLiteral("fault"),
                                   QStringLiteral("Server-wide fault, e.g. fault=429,times=2."),
                                   QStringLiteral("spec"));
    parser.addOptions({port, latency, rate, tokens, key, fault});
    parser.process(app);

    ts::test::FakeServerConfig config;
    config.latencyMs = parser.value(latency).toInt();
    config.tokensPerSec = parser.value(rate).toDouble();
    config.outputTokens = parser.value(tokens).toInt();
    config.expectedKey = parser.value(key).toUtf8();
    config.behavior.apply(parser.value(fault));

    ts::test::FakeLlmServer server(config);
    if (!server.listen(quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "cannot listen on 127.0.0.1:%s\n", qPrintable(parser.value(port)));
        return 1;
    }
    std::printf("listening on %s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
