#include "common/error.h"

namespace ts {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unknown: return QStringLiteral("unknown");
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid_argument");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::AlreadyExists: return QStringLiteral("already_exists");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::NotAProject: return QStringLiteral("not_a_project");
    case ErrorCode::NewerSchema: return QStringLiteral("newer_schema");
    case ErrorCode::ReadOnly: return QStringLiteral("read_only");
    case ErrorCode::Locked: return QStringLiteral("locked");
    case ErrorCode::Corrupt: return QStringLiteral("corrupt");
    case ErrorCode::Database: return QStringLiteral("database");
    case ErrorCode::Template: return QStringLiteral("template");
    case ErrorCode::Network: return QStringLiteral("network");
    case ErrorCode::Timeout: return QStringLiteral("timeout");
    case ErrorCode::Auth: return QStringLiteral("auth");
    case ErrorCode::RateLimited: return QStringLiteral("rate_limited");
    case ErrorCode::QuotaExceeded: return QStringLiteral("quota_exceeded");
    case ErrorCode::ServerError: return QStringLiteral("server_error");
    case ErrorCode::ModelNotFound: return QStringLiteral("model_not_found");
    case ErrorCode::Protocol: return QStringLiteral("protocol");
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace ts
