#include "common/appsettings.h"
#include "common/englishplurals.h"
#include "shell/mainwindow.h"
#include "shell/screenshotter.h"
#include "shell/workbench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTemporaryDir>

#include <memory>

int main(int argc, char *argv[])
{
    QApplication::setHighDpiScaleFactorRoundingPolicy(
        Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Touchstone"));
    QApplication::setApplicationVersion(QStringLiteral(TOUCHSTONE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("touchstone"));
    ts::EnglishPlurals plurals;
    QCoreApplication::installTranslator(&plurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop workbench for prompt engineering"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Open the demo project (created on first use)."));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Write screenshots of every section (editor, history, playground, datasets, "
                       "evals) to DIR, then quit."),
        QStringLiteral("DIR"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QStringLiteral("Use the light or dark theme this time (system follows the desktop)."),
        QStringLiteral("light|dark|system"));
    parser.addOption(demo);
    parser.addOption(screenshot);
    parser.addOption(theme);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("A .touchstone project to open."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    const QString file = parser.positionalArguments().value(0);
    const bool screenshots = parser.isSet(screenshot);

    // Screenshots run with throw-away settings so they look the same on every machine.
    QTemporaryDir scratch;
    auto settings = screenshots
        ? std::make_unique<ts::AppSettings>(scratch.filePath(QStringLiteral("settings.ini")))
        : std::make_unique<ts::AppSettings>();
    if (parser.isSet(theme))
        settings->setTheme(parser.value(theme));
    ts::Workbench workbench(*settings); // applies the settings: theme, author name, keychain
    std::unique_ptr<ts::Screenshotter> shooter;
    if (screenshots) {
        shooter = std::make_unique<ts::Screenshotter>(workbench, parser.value(screenshot));
        workbench.window()->resize(1400, 860); // a fixed frame, so screenshots compare
    }
    workbench.start(file.isEmpty() ? QString() : QDir::current().absoluteFilePath(file),
                    parser.isSet(demo) || (screenshots && file.isEmpty()));
    return app.exec();
}
