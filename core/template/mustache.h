#pragma once

#include "common/error.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace ts {

/// A problem found while parsing or rendering a template, at a 1-based line and column
/// (the column counts Unicode code points, as an editor shows them).
struct TemplateError
{
    int line = 0;
    int column = 0;
    QString message;
    /// The partial whose source holds the problem; empty for the main template.
    QString partial;

    /// "3:5: message", or "partial \"name\" 3:5: message" inside a partial.
    QString toString() const;
    /// The same as a ts::Error with ErrorCode::Template, for code that works in Results.
    Error toError() const;
};

/// One name a template reads from its data, for showing an input per variable.
struct TemplateVariable
{
    enum class Kind {
        Value, ///< interpolated: {{name}}, {{{name}}}, {{&name}}
        Section, ///< {{#name}}...{{/name}} (also when it is interpolated elsewhere)
        InvertedSection, ///< only ever used as {{^name}}...{{/name}}
    };

    /// The first segment of the name: "person" for {{person.name}}.
    QString name;
    Kind kind = Kind::Value;
    /// Every full name used with this first segment, as written: "person", "person.name".
    QStringList paths;
    /// For sections: the names used inside them (they may also resolve to outer data).
    QList<TemplateVariable> children;
};

/// Partial name -> partial source, for {{> name}}.
using PartialMap = QHash<QString, QString>;

struct RenderOptions
{
    /// Escape & < > " ' in {{name}} (never in {{{name}}} or {{&name}}). Off for prompts.
    bool escapeHtml = false;
    /// With renderChecked(): a {{> name}} with no such partial is an error, not "".
    bool strictPartials = false;
    /// A {{> name}} alone on its line whose partial does not end in a line break keeps the
    /// line break after the tag, so the lines around it stay apart. The spec drops it (a
    /// partial brings its own); prompt snippets are written without one.
    bool keepLineAfterPartial = false;
};

/// A Mustache template (https://github.com/mustache/spec: interpolation, sections,
/// inverted sections, comments, partials, set delimiters; no lambdas), parsed once and
/// rendered many times against nlohmann::json data.
///
/// Truthiness follows the spec's `!!data`: false, null, 0, "", [] and a missing name are
/// falsy. Numbers print as JavaScript does (85, 1.21, 1.0 -> "1"); objects and arrays
/// print as compact JSON. Copies share the parsed tree and the partial cache; rendering
/// is safe from several threads at once.
class MustacheTemplate final
{
public:
    /// An empty template, which renders as "".
    MustacheTemplate();

    /// Parses \a source; on a syntax error returns where and what.
    static tl::expected<MustacheTemplate, TemplateError> parse(const QString &source);
    /// The same over UTF-8 text, avoiding a conversion.
    static tl::expected<MustacheTemplate, TemplateError> parseUtf8(std::string_view source);

    /// Renders against \a data. Unknown names and partials render as ""; a partial that
    /// does not parse renders as "" (use renderChecked() to see why).
    QString render(const nlohmann::json &data, const PartialMap &partials = {},
                   const RenderOptions &options = {}) const;
    /// render() producing UTF-8.
    std::string renderUtf8(const nlohmann::json &data, const PartialMap &partials = {},
                           const RenderOptions &options = {}) const;
    /// render() that fails on a partial that does not parse, on partials nested too deep
    /// (endless recursion) and, with strictPartials, on an unknown partial.
    tl::expected<QString, TemplateError> renderChecked(const nlohmann::json &data,
                                                       const PartialMap &partials = {},
                                                       const RenderOptions &options = {}) const;

    /// The names this template reads, in order of first use; the implicit iterator {{.}}
    /// is left out. Partials are not followed.
    QList<TemplateVariable> variables() const;
    /// The same, following {{> name}} into \a partials (recursion stops at a repeat).
    QList<TemplateVariable> variables(const PartialMap &partials) const;
    /// The partial names this template uses, in order of first use.
    QStringList partials() const;

    struct Impl; // public only so that the .cpp's helpers can name it

private:
    explicit MustacheTemplate(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> m_impl;
};

} // namespace ts
