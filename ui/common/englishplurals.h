#pragma once

#include <QTranslator>

namespace ts {

/// English plural forms for the interface's counted strings, which are written in two ways:
/// `tr("%n version(s)", nullptr, n)` ("1 version", "3 versions"), and, where more than the noun
/// changes, `tr("%n variant differs", "%n variants differ", n)` — the second text, in the place
/// of Qt's disambiguation, is the plural form. Without a translator Qt prints the source text
/// as it is ("3 version(s)", "3 variant differs"). Installed once by the application.
class EnglishPlurals final : public QTranslator
{
    Q_OBJECT

public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *sourceText,
                      const char *disambiguation = nullptr, int n = -1) const override;
    bool isEmpty() const override { return false; }
};

} // namespace ts
