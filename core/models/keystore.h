#pragma once

#include "common/error.h"

#include <QString>

namespace ts {

/// Resolves a model's key reference at call time: "env:VAR" reads the environment,
/// "keychain:ENTRY" reads the OS keychain (Secret Service / KWallet through QtKeychain).
/// Where no keychain service runs (CI, a bare server, TOUCHSTONE_NO_KEYCHAIN=1) it says so once
/// and env references keep working. Keychain calls wait on a local event loop: call them from a
/// worker thread, never the UI thread.
class KeyStore final
{
public:
    /// The key for `keyRef`; an empty string for an empty reference (local servers).
    static Result<QString> resolve(const QString &keyRef);
    /// Stores `secret` in the keychain under `entry` and returns the reference "keychain:entry".
    static Result<QString> storeInKeychain(const QString &entry, const QString &secret);
    static Result<void> removeFromKeychain(const QString &entry);
    /// False when TOUCHSTONE_NO_KEYCHAIN is set or no session bus is reachable.
    static bool keychainAvailable();
    /// The sentence shown once when the keychain is unavailable.
    static QString keychainUnavailableMessage();
};

} // namespace ts
