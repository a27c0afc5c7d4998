// How fast a realistic prompt re-renders: a ~5 KB template with a 20-item few-shot
// section, a partial and a handful of variables. Prints parse+render and render-only
// rates; never run by CTest.

#include "template/mustache.h"

#include <chrono>
#include <cstdio>
#include <string>

using nlohmann::json;

namespace {

std::string makeTemplate()
{
    std::string t = "{{! Support triage prompt, version 7 }}\n"
                    "You are {{assistant.name}}, a support triage assistant for {{company}}.\n"
                    "{{> tone}}\n";
    // Instructions: plain text dominates real prompts.
    for (int i = 1; i <= 36; ++i) {
        t += "- Rule " + std::to_string(i)
            + ": read the customer's message carefully, decide which queue owns it, and "
              "explain the decision in one short sentence.\n";
    }
    t += "{{#policies}}\nPolicy: {{title}} ({{id}})\n{{/policies}}\n"
         "Examples:\n"
         "{{#examples}}\n"
         "<example index=\"{{index}}\">\n"
         "Customer: {{input}}\n"
         "{{#notes}}Note: {{.}}\n{{/notes}}\n"
         "Queue: {{output.queue}}\n"
         "Priority: {{output.priority}}\n"
         "</example>\n"
         "{{/examples}}\n"
         "{{^examples}}\nNo examples given.\n{{/examples}}\n"
         "Now triage this message from {{customer.name}} ({{customer.tier}}):\n"
         "{{{message}}}\n";
    return t;
}

json makeData()
{
    json data;
    data["assistant"]["name"] = "Tria";
    data["company"] = "Example Corp";
    data["customer"] = {{"name", "Ada"}, {"tier", "gold"}};
    data["message"] = "My invoice for March is wrong: I was charged twice for the same seat.";
    data["policies"] = json::array();
    for (int i = 0; i < 3; ++i)
        data["policies"].push_back({{"title", "Refunds within 30 days"}, {"id", i}});
    data["examples"] = json::array();
    for (int i = 0; i < 20; ++i) {
        data["examples"].push_back(
            {{"index", i},
             {"input", "The app crashes when I open the settings page on my phone, again."},
             {"notes", json::array({"mobile", "regression"})},
             {"output", {{"queue", "mobile-bugs"}, {"priority", i % 3 == 0 ? "high" : "normal"}}}});
    }
    return data;
}

template<typename F> double ratePerSecond(F &&f, double seconds, size_t &sink)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    long long runs = 0;
    double elapsed = 0;
    do {
        for (int i = 0; i < 100; ++i)
            sink += f();
        runs += 100;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return double(runs) / elapsed;
}

} // namespace

int main()
{
    const std::string source = makeTemplate();
    const json data = makeData();
    ts::PartialMap partials;
    partials.insert(QStringLiteral("tone"),
                    QStringLiteral("Be brief, polite and concrete. Never invent policy."));

    const auto parsed = ts::MustacheTemplate::parseUtf8(source);
    if (!parsed) {
        std::fprintf(stderr, "parse error: %s\n", qPrintable(parsed.error().toString()));
        return 1;
    }
    const std::string output = parsed->renderUtf8(data, partials);
    std::printf("template: %zu bytes, output: %zu bytes, 20 few-shot examples\n", source.size(),
                output.size());

    size_t sink = 0;
    const double parseRender = ratePerSecond(
        [&] {
            const auto t = ts::MustacheTemplate::parseUtf8(source);
            return t->renderUtf8(data, partials).size();
        },
        1.0, sink);
    const double renderOnly
        = ratePerSecond([&] { return parsed->renderUtf8(data, partials).size(); }, 1.0, sink);
    const QString qsource = QString::fromStdString(source);
    const double qtRoundTrip = ratePerSecond(
        [&] {
            const auto t = ts::MustacheTemplate::parse(qsource);
            return size_t(t->render(data, partials).size());
        },
        1.0, sink);
    const double renderQString
        = ratePerSecond([&] { return size_t(parsed->render(data, partials).size()); }, 1.0, sink);

    std::printf("parse+render (UTF-8):    %10.0f /s  (%6.1f us each)\n", parseRender,
                1e6 / parseRender);
    std::printf("render only (UTF-8):     %10.0f /s  (%6.1f us each)\n", renderOnly,
                1e6 / renderOnly);
    std::printf("parse+render (QString):  %10.0f /s  (%6.1f us each)\n", qtRoundTrip,
                1e6 / qtRoundTrip);
    std::printf("render only (QString):   %10.0f /s  (%6.1f us each)\n", renderQString,
                1e6 / renderQString);
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
