#include "io/promptfooimport.h"

#include "io/datasetimport.h"
#include "io/promptfooproviders.h"
#include "io/promptfootests.h"
#include "io/yamlconvert.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace ts {

namespace {

using nlohmann::json;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

bool isFileRef(const json &value)
{
    return value.is_string() && value.get<std::string>().rfind("file://", 0) == 0;
}

class PromptfooReader final
{
public:
    explicit PromptfooReader(const QString &path)
        : m_dir(QFileInfo(path).absoluteDir())
        , m_fileName(QFileInfo(path).fileName())
    {
    }

    Result<PromptfooImport> read(const QByteArray &bytes);

private:
    Result<void> readPrompts(const json &node);
    Result<void> addPromptRef(const QString &text, const QString &label, const QString &where);
    Result<void> loadPromptFile(const QString &file, const QString &label, const QString &where);
    Result<void> addPrompt(const QString &name, const json &content, const QString &where);
    Result<void> readTests(const json &node, const QString &where);
    Result<void> loadTestsFile(const QString &ref, const QString &where);
    Result<void> readDefaultTest(const json &node);
    void applyDefaultTransform();
    Result<QStringList> expandFiles(const QString &ref, const QString &where);
    Result<QByteArray> readFile(const QString &absolutePath, const QString &where);

    QString locate(const QString &entry) const;
    tl::unexpected<Error> error(const QString &where, const QString &message) const
    {
        return fail(ErrorCode::InvalidArgument, locate(where + QStringLiteral(": ") + message));
    }

    QDir m_dir;
    QString m_fileName;
    QHash<QString, std::pair<int, int>> m_positions;
    PromptfooImport m_out;
    QString m_defaultTransform; ///< defaultTest.options.transform
    nlohmann::json m_defaultProvider; ///< defaultTest.options.provider
    QList<std::pair<qsizetype, qsizetype>> m_fromOtherFiles; ///< unmapped entries already located
};

// "tests[1].assert[0]: why" -> "promptfooconfig.yaml:14:9: tests[1].assert[0]: why", using the
// nearest enclosing node whose position is known.
QString PromptfooReader::locate(const QString &entry) const
{
    QString path = entry.left(entry.indexOf(QLatin1String(": ")));
    while (!path.isEmpty()) {
        const auto it = m_positions.constFind(path);
        if (it != m_positions.cend())
            return QStringLiteral("%1:%2:%3: %4")
                .arg(m_fileName)
                .arg(it->first + 1)
                .arg(it->second + 1)
                .arg(entry);
        const qsizetype cut
            = std::max(path.lastIndexOf(QLatin1Char('.')), path.lastIndexOf(QLatin1Char('[')));
        path = cut > 0 ? path.left(cut) : QString();
    }
    return entry;
}

Result<PromptfooImport> PromptfooReader::read(const QByteArray &bytes)
{
    json root;
    try {
        root = yamlToJson(YAML::Load(bytes.toStdString()), QString(), &m_positions);
    } catch (const YAML::Exception &e) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1:%2:%3: YAML syntax error: %4")
                        .arg(m_fileName)
                        .arg(e.mark.line + 1)
                        .arg(e.mark.column + 1)
                        .arg(qs(e.msg)));
    }
    if (!root.is_object())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: not a promptfoo config (expected a mapping with prompts, "
                                   "providers and tests)")
                        .arg(m_fileName));

    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = qs(it.key());
        const json &value = it.value();
        Result<void> step;
        if (key == QLatin1String("description")) {
            m_out.description = value.is_string() ? qs(value.get<std::string>()) : qs(value.dump());
        } else if (key == QLatin1String("prompts")) {
            step = readPrompts(value);
        } else if (key == QLatin1String("providers") || key == QLatin1String("targets")) {
            const json list = value.is_array() ? value : json::array({value});
            for (size_t i = 0; i < list.size(); ++i) {
                const QString where
                    = value.is_array() ? QStringLiteral("%1[%2]").arg(key).arg(i) : key;
                if (auto provider = mapPromptfooProvider(list[i], where, m_out.unmapped))
                    m_out.providers.append(std::move(*provider));
            }
        } else if (key == QLatin1String("tests")) {
            step = readTests(value, key);
        } else if (key == QLatin1String("defaultTest")) {
            step = readDefaultTest(value);
        } else if (key == QLatin1String("env")) {
            // Values may be secrets: name the keys only.
            m_out.unmapped.append(QStringLiteral("env: environment settings are not imported"));
        } else {
            m_out.unmapped.append(QStringLiteral("%1: top-level key not supported").arg(key));
        }
        if (!step)
            return fail(step.error());
    }
    applyDefaultTransform();
    for (qsizetype i = 0; i < m_out.unmapped.size(); ++i) {
        const bool located
            = std::any_of(m_fromOtherFiles.cbegin(), m_fromOtherFiles.cend(),
                          [i](const auto &range) { return i >= range.first && i < range.second; });
        if (!located)
            m_out.unmapped[i] = locate(m_out.unmapped[i]);
    }
    return std::move(m_out);
}

Result<QByteArray> PromptfooReader::readFile(const QString &absolutePath, const QString &where)
{
    QFile file(absolutePath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            ErrorCode::Io,
            locate(QStringLiteral("%1: cannot read %2: %3")
                       .arg(where, m_dir.relativeFilePath(absolutePath), file.errorString())));
    return file.readAll();
}

// "file://prompts/*.txt" -> the matching files, sorted; a plain path -> itself.
Result<QStringList> PromptfooReader::expandFiles(const QString &ref, const QString &where)
{
    const QString relative = ref.mid(int(qstrlen("file://")));
    const QFileInfo info(m_dir.filePath(relative));
    if (!info.fileName().contains(QLatin1Char('*')) && !info.fileName().contains(QLatin1Char('?')))
        return QStringList {info.absoluteFilePath()};
    const QDir dir = info.absoluteDir();
    QStringList files;
    for (const QString &name : dir.entryList({info.fileName()}, QDir::Files, QDir::Name))
        files.append(dir.absoluteFilePath(name));
    if (files.isEmpty())
        return error(where, QStringLiteral("no file matches %1").arg(relative));
    return files;
}

Result<void> PromptfooReader::readPrompts(const json &node)
{
    if (node.is_string())
        return addPromptRef(qs(node.get<std::string>()), QString(), QStringLiteral("prompts"));
    if (node.is_object()) { // the older {path: label} form
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString label
                = it.value().is_string() ? qs(it.value().get<std::string>()) : QString();
            if (auto r
                = addPromptRef(qs(it.key()), label, QStringLiteral("prompts.") + qs(it.key()));
                !r)
                return r;
        }
        return {};
    }
    if (!node.is_array())
        return error(QStringLiteral("prompts"), QStringLiteral("expected a list of prompts"));
    for (size_t i = 0; i < node.size(); ++i) {
        const QString where = QStringLiteral("prompts[%1]").arg(i);
        const json &item = node[i];
        Result<void> r;
        if (item.is_string()) {
            r = addPromptRef(qs(item.get<std::string>()), QString(), where);
        } else if (item.is_object()) {
            const QString label = qs(item.value("label", std::string()));
            for (auto it = item.begin(); it != item.end(); ++it) {
                if (it.key() != "id" && it.key() != "label" && it.key() != "raw")
                    m_out.unmapped.append(
                        QStringLiteral("%1.%2: prompt key not supported").arg(where, qs(it.key())));
            }
            if (item.contains("raw") && item["raw"].is_string()) {
                const QString id = qs(item.value("id", std::string()));
                r = addPrompt(label.isEmpty() ? id : label, item["raw"], where);
            } else if (item.contains("id") && item["id"].is_string()) {
                r = addPromptRef(qs(item["id"].get<std::string>()), label, where);
            } else {
                r = error(where, QStringLiteral("a prompt needs `raw` text or a file `id`"));
            }
        } else {
            r = error(where, QStringLiteral("expected a prompt text or mapping"));
        }
        if (!r)
            return r;
    }
    return {};
}

Result<void> PromptfooReader::addPromptRef(const QString &text, const QString &label,
                                           const QString &where)
{
    if (!text.startsWith(QLatin1String("file://")))
        return addPrompt(label, json(text.toStdString()), where);
    static const QRegularExpression code(QStringLiteral("\\.(js|cjs|mjs|ts|py)(:[^/]*)?$"));
    if (code.match(text).hasMatch()) {
        m_out.unmapped.append(
            QStringLiteral("%1: prompt functions (%2) are not supported").arg(where, text));
        return {};
    }
    auto files = expandFiles(text, where);
    if (!files)
        return fail(files.error());
    for (const QString &file : std::as_const(*files)) {
        if (auto r = loadPromptFile(file, files->size() > 1 ? QString() : label, where); !r)
            return r;
    }
    return {};
}

Result<void> PromptfooReader::loadPromptFile(const QString &file, const QString &label,
                                             const QString &where)
{
    auto bytes = readFile(file, where);
    if (!bytes)
        return fail(bytes.error());
    const QFileInfo info(file);
    const QString suffix = info.suffix().toLower();
    const QString name = label.isEmpty() ? info.fileName() : label;
    if (suffix == QLatin1String("json") || suffix == QLatin1String("yaml")
        || suffix == QLatin1String("yml")) {
        json content;
        try {
            content = suffix == QLatin1String("json")
                ? json::parse(bytes->toStdString())
                : yamlToJson(YAML::Load(bytes->toStdString()));
        } catch (const std::exception &e) {
            return error(where,
                         QStringLiteral("%1 is not valid %2: %3")
                             .arg(info.fileName(), suffix.toUpper(), QString::fromUtf8(e.what())));
        }
        return addPrompt(name, content, where);
    }
    // Text prompts; promptfoo separates several prompts in one file with a "---" line.
    const QString text
        = QString::fromUtf8(*bytes).replace(QLatin1String("\r\n"), QLatin1String("\n"));
    static const QRegularExpression separator(QStringLiteral("\\n-{3,}\\n"));
    const QStringList parts = text.split(separator);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partName
            = parts.size() > 1 ? QStringLiteral("%1 #%2").arg(name).arg(i + 1) : name;
        if (auto r = addPrompt(partName, json(parts.at(i).trimmed().toStdString()), where); !r)
            return r;
    }
    return {};
}

Result<void> PromptfooReader::addPrompt(const QString &name, const json &content,
                                        const QString &where)
{
    ImportedPrompt prompt;
    prompt.name = name.isEmpty() ? QStringLiteral("Prompt %1").arg(m_out.prompts.size() + 1) : name;
    json chat = content;
    if (content.is_string()) {
        // A raw prompt that is a JSON chat array is sent as messages by promptfoo too.
        const std::string text = content.get<std::string>();
        chat = json::parse(text, nullptr, false);
        if (!chat.is_array() || chat.empty())
            chat = json::array({json {{"role", "user"}, {"content", text}}});
    }
    if (!chat.is_array())
        return error(where, QStringLiteral("expected a text prompt or a list of chat messages"));
    for (const json &message : chat) {
        if (!message.is_object() || !message.contains("role") || !message["role"].is_string()
            || !message.contains("content"))
            return error(where, QStringLiteral("chat messages need a `role` and `content`"));
        const json &body = message["content"];
        if (!body.is_string())
            m_out.unmapped.append(QStringLiteral("%1: structured message content (images, parts) "
                                                 "kept as JSON text")
                                      .arg(where));
        prompt.messages.append({qs(message["role"].get<std::string>()),
                                body.is_string() ? qs(body.get<std::string>()) : qs(body.dump())});
    }

    static const QRegularExpression tag(QStringLiteral("\\{%-?\\s*(\\w+)"));
    static const QRegularExpression filter(QStringLiteral("\\{\\{[^}]*?\\|\\s*(\\w+)[^}]*\\}\\}"));
    for (const auto &[role, text] : std::as_const(prompt.messages)) {
        Q_UNUSED(role);
        if (const auto m = tag.match(text); m.hasMatch())
            m_out.unmapped.append(QStringLiteral("%1: Nunjucks tag {% %2 %} has no Mustache "
                                                 "equivalent; left as text")
                                      .arg(where, m.captured(1)));
        if (const auto m = filter.match(text); m.hasMatch())
            m_out.unmapped.append(QStringLiteral("%1: Nunjucks filter \"| %2\" has no Mustache "
                                                 "equivalent; left as text")
                                      .arg(where, m.captured(1)));
        if (text.contains(QLatin1String("{#")))
            m_out.unmapped.append(
                QStringLiteral("%1: Nunjucks comment {# #} left as text").arg(where));
    }
    m_out.prompts.append(std::move(prompt));
    return {};
}

Result<void> PromptfooReader::readTests(const json &node, const QString &where)
{
    if (node.is_string())
        return loadTestsFile(qs(node.get<std::string>()), where);
    if (!node.is_array())
        return error(where, QStringLiteral("expected a list of tests or a file:// reference"));
    for (size_t i = 0; i < node.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
        if (node[i].is_string()) {
            if (auto r = loadTestsFile(qs(node[i].get<std::string>()), at); !r)
                return r;
            continue;
        }
        auto tests = mapPromptfooTest(node[i], at, true, m_out.unmapped, m_dir.absolutePath());
        if (!tests)
            return fail(ErrorCode::InvalidArgument, locate(tests.error().message));
        m_out.tests += *tests;
    }
    return {};
}

Result<void> PromptfooReader::loadTestsFile(const QString &ref, const QString &where)
{
    if (!ref.startsWith(QLatin1String("file://"))) {
        m_out.unmapped.append(
            QStringLiteral("%1: test source \"%2\" is not supported").arg(where, ref));
        return {};
    }
    auto files = expandFiles(ref, where);
    if (!files)
        return fail(files.error());
    for (const QString &file : std::as_const(*files)) {
        const QFileInfo info(file);
        const QString suffix = info.suffix().toLower();
        const bool known = suffix == QLatin1String("csv") || suffix == QLatin1String("jsonl")
            || suffix == QLatin1String("json") || suffix == QLatin1String("yaml")
            || suffix == QLatin1String("yml");
        if (!known) {
            m_out.unmapped.append(QStringLiteral("%1: test file type \"%2\" is not supported")
                                      .arg(where, info.fileName()));
            continue;
        }
        // What the test file itself reports names its own file and line.
        const qsizetype before = m_out.unmapped.size();
        const auto markLocated = qScopeGuard([this, before] {
            m_fromOtherFiles.append({before, m_out.unmapped.size()});
        });
        auto bytes = readFile(file, where);
        if (!bytes)
            return fail(bytes.error());
        if (suffix == QLatin1String("csv")) {
            auto tests = parsePromptfooCsvTests(*bytes, info.fileName(), m_out.unmapped,
                                                m_dir.absolutePath());
            if (!tests)
                return fail(tests.error());
            m_out.tests += *tests;
            continue;
        }
        if (suffix == QLatin1String("jsonl")) {
            auto tests = parseJsonlTests(*bytes, info.fileName(), {}, m_out.unmapped);
            if (!tests)
                return fail(tests.error());
            m_out.tests += *tests;
            continue;
        }
        json list;
        try {
            list = suffix == QLatin1String("json") ? json::parse(bytes->toStdString())
                                                   : yamlToJson(YAML::Load(bytes->toStdString()));
        } catch (const YAML::Exception &e) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1:%2:%3: YAML syntax error: %4")
                            .arg(info.fileName())
                            .arg(e.mark.line + 1)
                            .arg(e.mark.column + 1)
                            .arg(qs(e.msg)));
        } catch (const json::exception &e) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1: invalid JSON: %2")
                            .arg(info.fileName(), QString::fromUtf8(e.what())));
        }
        if (list.is_object())
            list = json::array({list});
        for (size_t i = 0; i < list.size(); ++i) {
            auto tests
                = mapPromptfooTest(list[i], QStringLiteral("%1[%2]").arg(info.fileName()).arg(i),
                                   true, m_out.unmapped, m_dir.absolutePath());
            if (!tests)
                return fail(tests.error());
            m_out.tests += *tests;
        }
    }
    return {};
}

Result<void> PromptfooReader::readDefaultTest(const json &node)
{
    const QString where = QStringLiteral("defaultTest");
    if (isFileRef(node) || !node.is_object()) {
        m_out.unmapped.append(QStringLiteral("defaultTest: only an inline mapping is supported"));
        return {};
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        const QString key = qs(it.key());
        const QString at = where + QLatin1Char('.') + key;
        const json &value = it.value();
        if (key == QLatin1String("vars") && value.is_object()) {
            m_out.defaultVars = value;
        } else if (key == QLatin1String("assert") && value.is_array()) {
            for (size_t i = 0; i < value.size(); ++i) {
                auto mapped = mapPromptfooAssert(value[i], QStringLiteral("%1[%2]").arg(at).arg(i),
                                                 m_out.unmapped, m_dir.absolutePath());
                if (!mapped)
                    return fail(ErrorCode::InvalidArgument, locate(mapped.error().message));
                if (!mapped->is_null())
                    m_out.defaultAsserts.append(std::move(*mapped));
            }
        } else if (key == QLatin1String("options") && value.is_object()) {
            for (auto o = value.begin(); o != value.end(); ++o) {
                if ((o.key() == "transform" || o.key() == "postprocess") && o.value().is_string())
                    m_defaultTransform = qs(o.value().get<std::string>());
                else if (o.key() == "provider")
                    m_defaultProvider = o.value();
                else
                    m_out.unmapped.append(
                        QStringLiteral("%1.%2: test option not supported").arg(at, qs(o.key())));
            }
        } else {
            m_out.unmapped.append(QStringLiteral("%1: defaultTest key not supported").arg(at));
        }
    }
    return {};
}

// defaultTest.options.transform applies to every test that sets no transform of its own.
void PromptfooReader::applyDefaultTransform()
{
    // defaultTest.options.provider: for every assertion that names no provider of its own.
    if (!m_defaultProvider.is_null()) {
        const auto apply = [&](json &a) {
            if (!a.contains("provider")
                && usesPromptfooProvider(qs(a.value("type", std::string()))))
                a["provider"] = m_defaultProvider;
        };
        for (json &a : m_out.defaultAsserts)
            apply(a);
        for (ImportedTest &t : m_out.tests)
            for (json &a : t.asserts)
                apply(a);
    }
    if (m_defaultTransform.isEmpty())
        return;
    QString transform = m_defaultTransform;
    if (transform.startsWith(QLatin1String("file://")) && !QFileInfo(transform.mid(7)).isAbsolute())
        transform = QStringLiteral("file://") + m_dir.absoluteFilePath(transform.mid(7));
    const auto apply = [&](json &assertion) {
        if (!assertion.contains("transform"))
            assertion["transform"] = transform.toStdString();
    };
    for (json &a : m_out.defaultAsserts)
        apply(a);
    for (ImportedTest &t : m_out.tests) {
        for (json &a : t.asserts)
            apply(a);
    }
}

} // namespace

Result<PromptfooImport> importPromptfooConfig(const QString &yamlPath)
{
    QFile file(yamlPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot read %1: %2").arg(yamlPath, file.errorString()));
    PromptfooReader reader(yamlPath);
    try {
        return reader.read(file.readAll());
    } catch (const std::exception &e) {
        // yaml-cpp and nlohmann throw on shapes we did not anticipate; never let it escape.
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: %2").arg(QFileInfo(yamlPath).fileName(),
                                                 QString::fromUtf8(e.what())));
    }
}

} // namespace ts
