#include "evals/judgeprompts.h"

namespace ts::judge {

QString pointwiseRubricTemplate()
{
    return QStringLiteral(
        "You are an impartial grader. Judge the output below against the rubric, and nothing "
        "else.\n"
        "\n"
        "<rubric>\n{{rubric}}\n</rubric>\n"
        "\n"
        "<test_case_variables>\n{{vars}}\n</test_case_variables>\n"
        "{{#expected}}\n"
        "<reference_answer>\n{{expected}}\n</reference_answer>\n"
        "{{/expected}}\n"
        "\n"
        "<output>\n{{output}}\n</output>\n"
        "\n"
        "First, reason step by step: go through each requirement of the rubric and say whether "
        "the output meets it, quoting the output where it helps.{{#expected}} Use the reference "
        "answer to check correctness; the output need not match its wording.{{/expected}} Do not "
        "reward length or confident tone for their own sake.\n"
        "\n"
        "Then end your answer with exactly one JSON object on its own line, with nothing after "
        "it:\n"
        "{\"reason\": \"<one or two sentences>\", \"pass\": <true or false>, \"score\": <a number "
        "from 0 to 1>}\n"
        "\"pass\" is true only if the output meets every requirement of the rubric.\n");
}

QString pairwiseTemplate()
{
    return QStringLiteral(
        "You are an impartial judge comparing two outputs produced for the same input.\n"
        "\n"
        "<rubric>\n{{rubric}}\n</rubric>\n"
        "{{#vars}}\n"
        "<test_case_variables>\n{{vars}}\n</test_case_variables>\n"
        "{{/vars}}\n"
        "\n"
        "<output_a>\n{{output_a}}\n</output_a>\n"
        "\n"
        "<output_b>\n{{output_b}}\n</output_b>\n"
        "\n"
        "First, reason step by step about how well each output meets the rubric. The order in "
        "which the outputs appear, their length and their style must not influence you beyond "
        "what the rubric asks. If neither is better, the answer is a tie.\n"
        "\n"
        "Then end your answer with exactly one JSON object on its own line, with nothing after "
        "it:\n"
        "{\"reason\": \"<one or two sentences>\", \"winner\": \"A\" | \"B\" | \"tie\"}\n");
}

QString factualityTemplate()
{
    return QStringLiteral(
        "You are checking whether a submitted answer is factually consistent with an expert's "
        "reference answer. Ignore differences in style, grammar and punctuation.\n"
        "{{#vars}}\n"
        "<test_case_variables>\n{{vars}}\n</test_case_variables>\n"
        "{{/vars}}\n"
        "\n"
        "<reference_answer>\n{{expected}}\n</reference_answer>\n"
        "\n"
        "<submitted_answer>\n{{output}}\n</submitted_answer>\n"
        "\n"
        "Compare the factual content and choose exactly one category:\n"
        "(A) The submitted answer is a subset of the reference answer and fully consistent "
        "with it.\n"
        "(B) The submitted answer is a superset of the reference answer and fully consistent "
        "with it.\n"
        "(C) The submitted answer contains all the same details as the reference answer.\n"
        "(D) The submitted answer and the reference answer disagree.\n"
        "(E) The answers differ, but the differences do not matter for factuality.\n"
        "\n"
        "First, reason step by step: list the facts each answer states and where they agree "
        "or conflict.\n"
        "\n"
        "Then end your answer with exactly one JSON object on its own line, with nothing after "
        "it:\n"
        "{\"reason\": \"<one or two sentences>\", \"category\": \"<A, B, C, D or E>\"}\n");
}

QString closedQaTemplate()
{
    return QStringLiteral(
        "You are assessing a submitted answer on a given task based on a criterion. Here is the "
        "data:\n"
        "[BEGIN DATA]\n"
        "***\n"
        "[Task]: {{input}}\n"
        "***\n"
        "[Submission]: {{completion}}\n"
        "***\n"
        "[Criterion]: {{criteria}}\n"
        "***\n"
        "[END DATA]\n"
        "Does the submission meet the criterion? First, write out in a step by step manner your "
        "reasoning about the criterion to be sure that your conclusion is correct. Avoid simply "
        "stating the correct answers at the outset. Then print only the single character \"Y\" "
        "or \"N\" (without quotes or punctuation) on its own line corresponding to the correct "
        "answer. At the end, repeat just the letter again by itself on a new line.\n");
}

QString answerRelevanceQuestionsTemplate()
{
    return QStringLiteral(
        "Generate three different questions that the following answer would be a direct and "
        "complete response to. Write each question on its own line, with no numbering and "
        "nothing else.\n"
        "\n"
        "<answer>\n{{output}}\n</answer>\n");
}

QString selectBestTemplate()
{
    return QStringLiteral(
        "You are comparing several outputs produced for the same input and must choose the one "
        "that best meets the criteria.\n"
        "\n"
        "<criteria>\n{{criteria}}\n</criteria>\n"
        "\n"
        "{{outputs}}\n"
        "\n"
        "Their order, length and style must not influence you beyond what the criteria ask. "
        "Reason briefly, then end your answer with a line holding only the number of the best "
        "output (for example: 0).\n");
}

} // namespace ts::judge
