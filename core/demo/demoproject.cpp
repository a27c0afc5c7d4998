#include "demo/demoproject.h"

#include "common/json.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "models/modelstore.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/transaction.h"

#include <QFile>

namespace ts {

namespace {

Result<void> addPrompts(PromptStore &store, const nlohmann::json &prompts)
{
    for (const auto &p : prompts) {
        auto info = store.createPrompt(jsonString(p, "name"), jsonString(p, "description"));
        if (!info)
            return fail(info.error());
        for (const auto &v : p.value("versions", nlohmann::json::array())) {
            auto saved = store.saveVersion(info->id, PromptContent::fromJson(v),
                                           jsonString(v, "note"), jsonString(v, "author"));
            if (!saved)
                return fail(saved.error());
        }
        const auto labels = p.value("labels", nlohmann::json::object());
        for (auto it = labels.begin(); it != labels.end(); ++it)
            if (auto ok = store.setLabel(info->id, qstr(it.key()), it.value().get<int>(),
                                         QStringLiteral("demo"));
                !ok)
                return ok;
    }
    return {};
}

Result<void> addModels(Database &db, const nlohmann::json &models)
{
    ModelStore store(db);
    for (const auto &m : models)
        if (auto added = store.add(ModelConfig::fromJson(m)); !added)
            return fail(added.error());
    return {};
}

Result<void> addDatasets(Database &db, const nlohmann::json &datasets)
{
    DatasetStore store(db);
    AssertionStore assertions(db);
    for (const auto &d : datasets) {
        auto info = store.createDataset(jsonString(d, "name"), jsonString(d, "description"));
        if (!info)
            return fail(info.error());
        QList<TestCaseData> cases;
        for (const auto &c : d.value("cases", nlohmann::json::array())) {
            TestCaseData data;
            data.vars = c.value("vars", nlohmann::json::object());
            if (c.contains("expected"))
                data.expected = jsonString(c, "expected");
            for (const auto &tag : c.value("tags", nlohmann::json::array()))
                data.tags.append(qstr(tag.get<std::string>()));
            cases.append(data);
        }
        if (auto ok = store.importCases(info->id, cases, CaseSource::Manual); !ok)
            return fail(ok.error());
        for (const auto &a : d.value("assertions", nlohmann::json::array())) {
            auto spec = AssertionSpec::fromJson(a);
            if (!spec)
                return fail(spec.error());
            if (auto ok = assertions.add(info->id, std::nullopt, *spec); !ok)
                return fail(ok.error());
        }
    }
    return {};
}

} // namespace

Result<void> createDemoProject(const QString &path)
{
    QFile file(QStringLiteral(":/demo/demo-project.json"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("The demo project data is missing from this build"));
    auto seed = parseJson(file.readAll().toStdString());
    if (!seed)
        return fail(ErrorCode::Corrupt, QStringLiteral("The demo project data is not valid JSON"));

    auto project = Project::create(path);
    if (!project)
        return fail(project.error());
    auto tx = Transaction::begin(project->db());
    if (!tx)
        return fail(tx.error());
    PromptStore prompts(project->db());
    if (auto ok = addPrompts(prompts, seed->value("prompts", nlohmann::json::array())); !ok)
        return ok;
    if (auto ok = addModels(project->db(), seed->value("models", nlohmann::json::array())); !ok)
        return ok;
    if (auto ok = addDatasets(project->db(), seed->value("datasets", nlohmann::json::array())); !ok)
        return ok;
    if (auto ok = project->setMeta(QStringLiteral("name"), jsonString(*seed, "name")); !ok)
        return ok;
    if (auto ok = project->setMeta(QStringLiteral("demo"), QStringLiteral("1")); !ok)
        return ok;
    return tx->commit();
}

} // namespace ts
