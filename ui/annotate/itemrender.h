#pragma once

#include <QString>

#include <nlohmann/json.hpp>

class QTextBrowser;

namespace ts {

struct ThemeColors;

/// How the output of an item is shown.
enum class OutputFormat { Markdown, Raw, Json };

/// The style sheet of the input and output panes (role headers, muted text, code blocks).
QString itemStyleSheet(const ThemeColors &colors);
/// An item's input as a person reads it: the conversation with a header per role, or the
/// variables as name and value.
QString inputHtml(const nlohmann::json &input, const ThemeColors &colors);
/// The anchor inputHtml() puts at the last user message: what the output answers, scrolled to
/// when a prompt's system text and few-shot examples come before it.
inline constexpr auto kQuestionAnchor = "question";
/// Shows an item's input from its last user message (the top when there is none).
void scrollToQuestion(QTextBrowser *input);
/// An output as Markdown (rendered, raw HTML escaped), raw text, or pretty-printed JSON (with
/// a note when it is not JSON).
QString outputHtml(const QString &text, OutputFormat format, const ThemeColors &colors);

} // namespace ts
