#include "models/keystore.h"

#include <QEventLoop>
#include <QTimer>
#include <QtGlobal>

#include <qt6keychain/keychain.h>

#include <atomic>

namespace ts {

namespace {

const QString service = QStringLiteral("Touchstone");
constexpr int keychainTimeoutMs = 10000;

void noteUnavailableOnce()
{
    static std::atomic<bool> said{false};
    if (!said.exchange(true))
        qWarning("%s", qPrintable(KeyStore::keychainUnavailableMessage()));
}

// Runs a QtKeychain job to completion on this thread's own event loop.
bool runJob(QKeychain::Job &job)
{
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    timeout.start(keychainTimeoutMs);
    loop.exec();
    return timeout.isActive();
}

} // namespace

bool KeyStore::keychainAvailable()
{
    if (qEnvironmentVariableIsSet("TOUCHSTONE_NO_KEYCHAIN"))
        return false;
#if defined(Q_OS_LINUX)
    // Secret Service lives on the session bus; without one every call would just time out.
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return false;
#endif
    return true;
}

QString KeyStore::keychainUnavailableMessage()
{
    return QStringLiteral("No OS keychain service is available here; API keys are read from "
                          "environment variables (env:VAR references) only.");
}

Result<QString> KeyStore::resolve(const QString &keyRef)
{
    if (keyRef.isEmpty())
        return QString();
    if (keyRef.startsWith(QLatin1String("env:"))) {
        const QString var = keyRef.mid(4);
        const QString value = qEnvironmentVariable(var.toLocal8Bit().constData());
        if (value.isEmpty())
            return fail(ErrorCode::Auth,
                        QStringLiteral("API key missing: environment variable %1 is not set").arg(var));
        return value;
    }
    if (keyRef.startsWith(QLatin1String("keychain:"))) {
        const QString entry = keyRef.mid(9);
        if (!keychainAvailable()) {
            noteUnavailableOnce();
            return fail(ErrorCode::Auth,
                        QStringLiteral("API key missing: it is stored in the OS keychain (entry "
                                       "\"%1\"), which is not available here. Name an environment "
                                       "variable instead.")
                            .arg(entry));
        }
        QKeychain::ReadPasswordJob job(service);
        job.setKey(entry);
        if (!runJob(job))
            return fail(ErrorCode::Auth, QStringLiteral("The OS keychain did not answer in time"));
        if (job.error() != QKeychain::NoError)
            return fail(ErrorCode::Auth, QStringLiteral("API key missing: keychain entry \"%1\": %2")
                                             .arg(entry, job.errorString()));
        return job.textData();
    }
    return fail(ErrorCode::InvalidArgument,
                QStringLiteral("Unknown key reference \"%1\" (use env:VAR or keychain:ENTRY)")
                    .arg(keyRef.left(12)));
}

Result<QString> KeyStore::storeInKeychain(const QString &entry, const QString &secret)
{
    if (!keychainAvailable())
        return fail(ErrorCode::Io, keychainUnavailableMessage());
    QKeychain::WritePasswordJob job(service);
    job.setKey(entry);
    job.setTextData(secret);
    if (!runJob(job))
        return fail(ErrorCode::Io, QStringLiteral("The OS keychain did not answer in time"));
    if (job.error() != QKeychain::NoError)
        return fail(ErrorCode::Io, QStringLiteral("Could not store the key in the OS keychain: %1")
                                       .arg(job.errorString()));
    return QStringLiteral("keychain:") + entry;
}

Result<void> KeyStore::removeFromKeychain(const QString &entry)
{
    if (!keychainAvailable())
        return fail(ErrorCode::Io, keychainUnavailableMessage());
    QKeychain::DeletePasswordJob job(service);
    job.setKey(entry);
    if (!runJob(job) || job.error() != QKeychain::NoError)
        return fail(ErrorCode::Io, QStringLiteral("Could not remove the key from the OS keychain"));
    return {};
}

} // namespace ts
