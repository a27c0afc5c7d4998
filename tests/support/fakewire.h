#pragma once

// The four LLM wire formats as the fake server speaks them: pure functions from a parsed
// request to a reply plan (status, headers, timed body pieces), no I/O.

#include "fakebehavior.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>
#include <utility>

namespace ts::test {

enum class FakeApi { OpenAi, Anthropic, Gemini, Ollama };

/// A chat request reduced to what the fake needs.
struct FakeChat
{
    FakeApi api = FakeApi::OpenAi;
    QString model; ///< as sent, fault suffix included
    QString prompt; ///< text of the last user message
    int inputTokens = 0; ///< words in every message (and system prompt)
    int maxTokens = -1;
    bool stream = false;
    bool includeUsage = false;
    bool sse = true; ///< Gemini streamGenerateContent without alt=sse answers a JSON array
    /// The request asked for token log probabilities (OpenAI/Ollama `logprobs: true`, Gemini
    /// `generationConfig.responseLogprobs`; Anthropic has no such option).
    bool wantsLogProbs = false;
    /// When non-empty, output token i carries logProbs[i % size] in the API's own shape.
    QList<double> logProbs;
};

/// What to send back and when.
struct FakeReply
{
    struct Piece
    {
        int delayMs = 0; ///< wait before sending this piece
        QByteArray bytes;
    };
    enum class End { Complete, Drop, Stall };

    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool streamed = false; ///< chunked transfer, pieces sent as they come due
    bool hang = false; ///< never answer at all
    bool reset = false; ///< drop the connection without answering
    QList<Piece> pieces; ///< for a plain reply exactly one piece: the body
    End end = End::Complete;
    /// A plain reply sends only this many bytes of its body (the head still declares the
    /// whole length) before `end`; -1 sends it all.
    qsizetype cutAt = -1;
    QString model; ///< for concurrency accounting
};

/// Parses a chat request body; std::nullopt when it is not JSON or names no model.
std::optional<FakeChat> parseFakeChat(FakeApi api, const QByteArray &body,
                                      const QString &pathModel = {});

/// The deterministic answer: `count` tokens derived from the model and the prompt.
QStringList fakeAnswerTokens(const QString &model, const QString &prompt, int count);

/// A chat answer (streamed or not) shaped by `behavior`.
FakeReply fakeChatReply(const FakeChat &chat, const FakeBehavior &behavior, int outputTokens,
                        int latencyMs, double tokensPerSec);

/// An error answer in the API's own JSON shape; `quota` makes a 429 say insufficient_quota.
FakeReply fakeErrorReply(FakeApi api, int status, const QString &model, bool quota = false,
                         const FakeBehavior &behavior = {});

/// Model listings: OpenAI and Anthropic /v1/models, Gemini /v1beta/models, Ollama /api/tags.
FakeReply fakeModelsReply(FakeApi api, const QStringList &models);

/// Embeddings: OpenAI /v1/embeddings, Ollama /api/embed, Gemini :embedContent. Only models
/// whose name contains "embed" embed; others answer 400 "... does not support embeddings", as
/// a real server does for a chat model. A text found in `fixed` gets that vector; any other a
/// deterministic unit vector derived from its hash.
FakeReply fakeEmbeddingsReply(FakeApi api, const QByteArray &body, const QString &pathModel = {},
                              const QHash<QString, QList<double>> &fixed = {});

/// Word count used for every token figure the fake reports.
int fakeWordCount(const QString &text);

} // namespace ts::test
