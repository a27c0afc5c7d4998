#pragma once

#include <QString>

/// Default judge prompts, as Mustache templates. Each asks for reasoning first and a JSON
/// verdict last, the shape the parsers in judgeverdict.h read. Users copy and edit them;
/// the judge prompt is itself a versioned prompt.
namespace ts::judge {

/// Pointwise grading against a rubric. Variables: {{output}}, {{rubric}}, {{vars}} (the test
/// case's variables as text), {{expected}} (optional; its section disappears when empty).
/// Verdict: {"reason": …, "pass": true|false, "score": 0..1}.
QString pointwiseRubricTemplate();

/// Pairwise preference. Variables: {{output_a}}, {{output_b}}, {{rubric}}; {{vars}} optional.
/// Verdict: {"reason": …, "winner": "A"|"B"|"tie"}. Run it twice with the outputs swapped and
/// combine with combineBothOrders().
QString pairwiseTemplate();

/// Factual agreement with a reference answer, categories A–E as in promptfoo's factuality
/// (D fails, the rest pass). Variables: {{output}}, {{expected}}, {{vars}} (optional).
/// Verdict: {"reason": …, "category": "A".."E"}.
QString factualityTemplate();

/// promptfoo's model-graded-closedqa (after OpenAI evals' closedqa): does the submission meet
/// the criterion? Variables: {{input}} (the prompt), {{completion}}, {{criteria}}. The answer
/// ends with a line holding only "Y" or "N".
QString closedQaTemplate();

/// answer-relevance, step one: questions the output answers. Variables: {{output}}. The answer
/// is three questions, one per line.
QString answerRelevanceQuestionsTemplate();

/// select-best: which of several outputs best meets the criteria. Variables: {{criteria}},
/// {{outputs}} (each as "Output 0:\n…", "Output 1:\n…"). The answer is the chosen index.
QString selectBestTemplate();

} // namespace ts::judge
