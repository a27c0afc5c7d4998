#pragma once

#include "prompts/promptcontent.h"

#include <QList>
#include <QString>

namespace ts {

struct PromptVersion;

/// One line of a line-based diff. Line numbers are 1-based; 0 where the line does not exist
/// on that side.
struct DiffLine
{
    enum class Kind { Same, Added, Removed };
    Kind kind = Kind::Same;
    QString text;
    int oldLine = 0;
    int newLine = 0;
};

/// The diff of one part of a prompt: a message, the parameters or the response schema.
struct DiffSection
{
    QString title; ///< "message 2 (user)", "parameters", "response schema"
    QList<DiffLine> lines;
    bool changed() const;
};

/// A whole-prompt diff in a form the GUI colours line by line and the CLI prints as unified diff.
struct PromptDiff
{
    QString fromName;
    QString toName;
    QList<DiffSection> sections;

    bool hasChanges() const;
    /// `--- from` / `+++ to` followed by one `@@ section @@` hunk group per changed section.
    QString unified(int context = 3) const;
};

/// Line diff of two texts (libdtl).
QList<DiffLine> diffLines(const QString &before, const QString &after);

PromptDiff diffContent(const PromptContent &from, const PromptContent &to, const QString &fromName,
                       const QString &toName);
PromptDiff diffVersions(const PromptVersion &from, const PromptVersion &to);

} // namespace ts
