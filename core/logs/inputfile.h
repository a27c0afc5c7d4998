#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <istream>
#include <memory>
#include <optional>

namespace ts {

/// A log file read as a stream, gzip or not (detected from its magic bytes), so that memory
/// does not grow with the file. Read it either line by line (JSON Lines, CSV) or as one
/// std::istream (one JSON document, parsed with nlohmann's SAX or callback parser) — not both.
class InputFile final
{
public:
    static Result<InputFile> open(const QString &path);
    /// An in-memory body (the OTLP receiver, tests); `name` is used in messages.
    static InputFile fromBytes(QByteArray bytes, const QString &name);

    InputFile(InputFile &&) noexcept;
    InputFile &operator=(InputFile &&) noexcept;
    ~InputFile();

    QString path() const;
    /// The first bytes of the (decompressed) content, without consuming them.
    QByteArray head() const;
    /// The next line without its "\n" (or "\r\n"); nullopt at the end.
    std::optional<QByteArray> readLine();
    /// The same without copying it: the view is valid until the next read.
    std::optional<QByteArrayView> readLineView();
    /// 1-based number of the line readLine() returned last.
    qint64 lineNumber() const;
    /// The rest of the content as a stream.
    std::istream &stream();
    /// Position in the file on disk (compressed bytes for gzip), for progress.
    qint64 position() const;
    qint64 size() const;
    bool failed() const; ///< a read error or a corrupt gzip stream
    QString errorString() const;

private:
    struct State;
    explicit InputFile(std::unique_ptr<State> state);
    std::unique_ptr<State> d;
};

} // namespace ts
