#pragma once

#include <QString>

#include <optional>

namespace ts {

/// What a person judges: a generation (eval, playground), a production log record, or the
/// production output kept with a test case that came from a log.
struct Target
{
    enum class Kind { Generation, Log, Case };
    Kind kind = Kind::Generation;
    qint64 id = 0;

    /// "generation", "log" or "case": the stored kind.
    QString kindName() const;
    /// "generation:12": a stable key for hashing, agreement and messages.
    QString key() const;
    static std::optional<Kind> parseKind(const QString &name);
    static std::optional<Target> parseKey(const QString &key);

    friend bool operator==(const Target &a, const Target &b) { return a.kind == b.kind && a.id == b.id; }
};

} // namespace ts
