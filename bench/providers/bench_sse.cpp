// Throughput of the provider stream layer on a large synthetic stream fed in 1-4 KB reads,
// the sizes a socket delivers: SSE framing alone, then full OpenAI chunk parsing (framing +
// JSON + accumulation), then Anthropic events and Ollama NDJSON for comparison.

#include "providers/responseparser.h"
#include "providers/ssedecoder.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cstdio>

using namespace ts;

namespace {

const char *const kWords[] = {" the", " model", " answer", " is", " déjà", " vu", " 世界", " 😀",
                              ",", " token", " stream", ".", " and", " then", "\\n", " x"};

QByteArray openAiStream(qsizetype targetBytes)
{
    QByteArray out;
    out.reserve(targetBytes + 1024);
    QRandomGenerator rng(7);
    out += "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
           "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
           "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    while (out.size() < targetBytes) {
        out += "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
               "\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
               "\"delta\":{\"content\":\"";
        out += kWords[rng.bounded(16)];
        out += "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
    }
    out += "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
           "\"stop\"}]}\n\ndata: [DONE]\n\n";
    return out;
}

QByteArray anthropicStream(qsizetype targetBytes)
{
    QByteArray out;
    QRandomGenerator rng(7);
    out += "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
           "\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
           "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    while (out.size() < targetBytes) {
        out += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
               "\"delta\":{\"type\":\"text_delta\",\"text\":\"";
        out += kWords[rng.bounded(16)];
        out += "\"}}\n\n";
    }
    out += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    return out;
}

QByteArray ollamaStream(qsizetype targetBytes)
{
    QByteArray out;
    QRandomGenerator rng(7);
    while (out.size() < targetBytes) {
        out += "{\"model\":\"llama3.2\",\"created_at\":\"2025-05-25T13:59:34.988660245Z\","
               "\"message\":{\"role\":\"assistant\",\"content\":\"";
        out += kWords[rng.bounded(16)];
        out += "\"},\"done\":false}\n";
    }
    out += "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
           "\"done\":true,\"done_reason\":\"stop\",\"eval_count\":1}\n";
    return out;
}

QList<qsizetype> readSizes(qsizetype total)
{
    QList<qsizetype> sizes;
    QRandomGenerator rng(11);
    for (qsizetype pos = 0; pos < total;) {
        const qsizetype n = std::min<qsizetype>(total - pos, rng.bounded(1024, 4097));
        sizes << n;
        pos += n;
    }
    return sizes;
}

template<typename Run>
double bestMBps(const QByteArray &body, int rounds, Run run)
{
    double best = 0;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        run();
        const double secs = double(t.nsecsElapsed()) / 1e9;
        best = std::max(best, double(body.size()) / (1024.0 * 1024.0) / secs);
    }
    return best;
}

double parserMBps(ProviderKind kind, const QByteArray &body, const QList<qsizetype> &sizes,
                  qsizetype *textChars)
{
    return bestMBps(body, 3, [&] {
        auto parser = makeResponseParser(kind, true);
        qsizetype pos = 0;
        for (qsizetype n : sizes) {
            parser->feed(QByteArrayView(body).sliced(pos, n));
            pos += n;
            *textChars += parser->takeDelta().text.size(); // what a live view would consume
        }
        parser->finish();
        if (!parser->result().complete)
            std::fprintf(stderr, "stream did not complete\n");
    });
}

} // namespace

int main()
{
    const qsizetype target = 32 * 1024 * 1024;
    const QByteArray openai = openAiStream(target);
    const QList<qsizetype> sizes = readSizes(openai.size());

    int events = 0;
    const double sse = bestMBps(openai, 3, [&] {
        SseDecoder d;
        int count = 0;
        d.setEventHandler([&count](const SseEvent &) { ++count; });
        qsizetype pos = 0;
        for (qsizetype n : sizes) {
            d.feed(QByteArrayView(openai).sliced(pos, n));
            pos += n;
        }
        d.finish();
        events = count;
    });

    qsizetype chars = 0;
    const double oa = parserMBps(ProviderKind::OpenAI, openai, sizes, &chars);
    const QByteArray anthropic = anthropicStream(target);
    const double an = parserMBps(ProviderKind::Anthropic, anthropic, readSizes(anthropic.size()), &chars);
    const QByteArray ollama = ollamaStream(target);
    const double ol = parserMBps(ProviderKind::Ollama, ollama, readSizes(ollama.size()), &chars);

    std::printf("stream size: %.1f MB, %d SSE events, reads of 1-4 KB (%lld reads)\n",
                double(openai.size()) / (1024.0 * 1024.0), events, static_cast<long long>(sizes.size()));
    std::printf("%-40s %8.1f MB/s  (%.2f M events/s)\n", "SseDecoder (framing only)", sse,
                sse * 1024 * 1024 / (double(openai.size()) / events) / 1e6);
    std::printf("%-40s %8.1f MB/s\n", "OpenAI parser (SSE + JSON + accumulate)", oa);
    std::printf("%-40s %8.1f MB/s\n", "Anthropic parser", an);
    std::printf("%-40s %8.1f MB/s\n", "Ollama NDJSON parser", ol);
    return 0;
}
