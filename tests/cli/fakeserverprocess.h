#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QString>

/// The project's fake LLM server as a child process, for tests that spawn the CLI.
class FakeServerProcess
{
public:
    explicit FakeServerProcess(const QStringList &args = {})
    {
        m_process.start(QStringLiteral(TOUCHSTONE_FAKE_SERVER_PATH),
                        QStringList{QStringLiteral("--port"), QStringLiteral("0")} + args);
        m_process.waitForStarted();
        while (m_process.waitForReadyRead(10000)) {
            m_buffer += m_process.readAllStandardOutput();
            const auto match = QRegularExpression(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)"))
                                   .match(QString::fromUtf8(m_buffer));
            if (match.hasMatch()) {
                m_url = match.captured(0);
                break;
            }
        }
    }
    ~FakeServerProcess()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    /// "http://127.0.0.1:PORT", empty if the server did not start.
    QString url() const { return m_url; }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QString m_url;
};
