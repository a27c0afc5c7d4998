// Runs every test of the official Mustache specification (github.com/mustache/spec,
// copied into spec/ with its LICENSE) as one data row each, with HTML escaping on as the
// spec expects.

#include "template/mustache.h"

#include <QFile>
#include <QTest>

using nlohmann::json;

class TestMustacheSpec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spec_data();
    void spec();
    void everySpecTestRan();

private:
    int m_rows = 0;
};

namespace {

const char *const specFiles[]
    = {"comments", "delimiters", "interpolation", "inverted", "partials", "sections"};

json loadSpec(const char *name)
{
    QFile file(QStringLiteral(TOUCHSTONE_TEST_DATA "/spec/%1.json").arg(QLatin1String(name)));
    if (!file.open(QIODevice::ReadOnly))
        return json();
    const QByteArray bytes = file.readAll();
    return json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
}

} // namespace

void TestMustacheSpec::spec_data()
{
    QTest::addColumn<QByteArray>("test");
    m_rows = 0;
    for (const char *name : specFiles) {
        const json spec = loadSpec(name);
        QVERIFY2(spec.is_object() && spec.contains("tests"),
                 qPrintable(QStringLiteral("cannot read spec/%1.json").arg(QLatin1String(name))));
        for (const json &test : spec["tests"]) {
            const std::string row = std::string(name) + ": " + test["name"].get<std::string>();
            QTest::newRow(row.c_str()) << QByteArray::fromStdString(test.dump());
            ++m_rows;
        }
    }
}

void TestMustacheSpec::spec()
{
    QFETCH(QByteArray, test);
    const json t = json::parse(test.toStdString());

    ts::PartialMap partials;
    if (t.contains("partials")) {
        for (const auto &[name, source] : t["partials"].items())
            partials.insert(QString::fromStdString(name),
                            QString::fromStdString(source.get<std::string>()));
    }
    const auto parsed
        = ts::MustacheTemplate::parse(QString::fromStdString(t["template"].get<std::string>()));
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));

    ts::RenderOptions options;
    options.escapeHtml = true;
    const auto rendered = parsed->renderChecked(t["data"], partials, options);
    QVERIFY2(rendered, qPrintable(rendered ? QString() : rendered.error().toString()));
    QCOMPARE(*rendered, QString::fromStdString(t["expected"].get<std::string>()));
    // The UTF-8 path renders the same text.
    QCOMPARE(parsed->renderUtf8(t["data"], partials, options), t["expected"].get<std::string>());
}

void TestMustacheSpec::everySpecTestRan()
{
    QCOMPARE(m_rows, 136);
}

QTEST_GUILESS_MAIN(TestMustacheSpec)
#include "test_mustache_spec.moc"
