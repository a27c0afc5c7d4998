// Counted strings read as English: "1 version", "3 versions", "2 variants differ".

#include "common/englishplurals.h"

#include <QCoreApplication>
#include <QTest>

using namespace ts;

class TestEnglishPlurals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QCoreApplication::installTranslator(&m_plurals); }

    void nounsWithAnS()
    {
        QCOMPARE(tr("%n version(s)", nullptr, 1), QStringLiteral("1 version"));
        QCOMPARE(tr("%n version(s)", nullptr, 3), QStringLiteral("3 versions"));
        QCOMPARE(tr("%n version(s)", nullptr, 0), QStringLiteral("0 versions"));
        QCOMPARE(tr("Delete it with its %n version(s), labels and draft?", nullptr, 2),
                 QStringLiteral("Delete it with its 2 versions, labels and draft?"));
        QCOMPARE(tr("%n failing record(s) on %1", nullptr, 1).arg(QStringLiteral("June 2")),
                 QStringLiteral("1 failing record on June 2"));
    }

    void pluralGivenInFull()
    {
        QCOMPARE(tr("%n variant differs", "%n variants differ", 1),
                 QStringLiteral("1 variant differs"));
        QCOMPARE(tr("%n variant differs", "%n variants differ", 4),
                 QStringLiteral("4 variants differ"));
    }

    void otherTextIsLeftAlone()
    {
        QCOMPARE(tr("Compare"), QStringLiteral("Compare"));
        QCOMPARE(tr("Open", "menu"), QStringLiteral("Open"));
        QCOMPARE(tr("%n criteria", nullptr, 3), QStringLiteral("3 criteria"));
    }

private:
    EnglishPlurals m_plurals;
};

QTEST_GUILESS_MAIN(TestEnglishPlurals)
#include "test_english_plurals.moc"
