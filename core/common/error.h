#pragma once

#include <QString>

#include <tl/expected.hpp>

namespace ts {

/// What went wrong, in categories a caller can branch on.
enum class ErrorCode {
    Unknown,
    InvalidArgument, ///< bad input from the user: a malformed file, template or value
    NotFound,
    AlreadyExists,
    Io,              ///< the disk refused: permissions, missing directory, full disk
    NotAProject,     ///< a file that is not a Touchstone project
    NewerSchema,     ///< written by a newer Touchstone
    ReadOnly,
    Locked,
    Corrupt,
    Database,        ///< any other SQLite failure
    Template,        ///< a Mustache parse or render error
    Network,         ///< host unreachable, DNS, TLS, connection cut
    Timeout,
    Auth,            ///< key missing or rejected
    RateLimited,
    QuotaExceeded,
    ServerError,
    ModelNotFound,
    Protocol,        ///< the server answered something we could not understand
    Cancelled,
};

/// An error as a value: a code to branch on and a message a person can act on.
struct Error
{
    ErrorCode code = ErrorCode::Unknown;
    QString message;

    static Error make(ErrorCode code, const QString &message) { return Error{code, message}; }
};

template<typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail(ErrorCode::NotFound, tr(...));`
inline tl::unexpected<Error> fail(ErrorCode code, const QString &message)
{
    return tl::unexpected<Error>(Error{code, message});
}

inline tl::unexpected<Error> fail(Error error)
{
    return tl::unexpected<Error>(std::move(error));
}

/// Stable lowercase name of a code, for JSON output and logs.
QString errorCodeName(ErrorCode code);

} // namespace ts
