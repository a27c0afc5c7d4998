#pragma once

#include "providers/sseresponseparser.h"

#include <QHash>

namespace ts {

/// Anthropic Messages responses: named events (message_start, content_block_*, message_delta,
/// message_stop, ping, error), text and thinking blocks kept apart, tool_use input
/// accumulated from input_json_delta per block, cumulative usage (last wins). Unknown event
/// types are ignored, as Anthropic's versioning policy asks.
class AnthropicResponseParser final : public SseResponseParser
{
public:
    explicit AnthropicResponseParser(bool stream);

protected:
    void handleEvent(const SseEvent &event, const nlohmann::json &data) override;
    void handleCompleteBody(const nlohmann::json &body) override;

private:
    void readUsage(const nlohmann::json &usage);
    void startBlock(int blockIndex, const nlohmann::json &block);
    void applyDelta(int blockIndex, const nlohmann::json &delta);

    QHash<int, int> m_toolForBlock; // content block index -> tool call index
};

} // namespace ts
