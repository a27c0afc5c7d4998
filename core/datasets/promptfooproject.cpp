#include "datasets/promptfooproject.h"

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "models/modelstore.h"
#include "prompts/promptstore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/transaction.h"

#include <QSet>

namespace ts {

namespace {

QString promptName(const QString &raw, int index)
{
    QString name = raw.simplified();
    name.replace(QLatin1Char('@'), QLatin1Char('-'));
    if (name.size() > 80)
        name = name.left(77) + QStringLiteral("...");
    return name.isEmpty() ? QStringLiteral("prompt-%1").arg(index + 1) : name;
}

QString defaultKeyVar(ProviderKind kind)
{
    if (auto preset = findPreset(providerKindName(kind)))
        return preset->keyEnvVar;
    return {};
}

/// The embedding provider id in a promptfoo `provider` (an assertion's, a test's or
/// defaultTest's options.provider): "id", {id, config} or {embedding: "id" | {id}, text: …}.
/// Empty when it names none (e.g. only a text grader).
QString embeddingProviderId(const nlohmann::json &provider)
{
    const auto idOf = [](const nlohmann::json &p) -> QString {
        if (p.is_string())
            return QString::fromStdString(p.get<std::string>());
        if (p.is_object() && p.contains("id") && p["id"].is_string())
            return QString::fromStdString(p["id"].get<std::string>());
        return {};
    };
    if (provider.is_object() && provider.contains("embedding"))
        return idOf(provider["embedding"]);
    if (provider.is_object() && (provider.contains("text") || provider.contains("classification")))
        return {};
    return idOf(provider);
}

/// The project model a promptfoo provider id stands for: one named so, else one whose model id
/// is the id's last part ("openai:embedding:text-embedding-3-small" → text-embedding-3-small)
/// and, when the id starts with a provider kind, of that kind.
std::optional<ModelConfig> modelForProvider(const QString &id, const QList<ModelConfig> &models)
{
    for (const ModelConfig &m : models)
        if (m.name == id)
            return m;
    const QStringList parts = id.split(QLatin1Char(':'));
    const QString modelId = parts.last();
    const auto kind = parts.size() > 1 ? parseProviderKind(parts.first()) : std::nullopt;
    for (const ModelConfig &m : models)
        if (!modelId.isEmpty() && m.modelId == modelId && (!kind || m.provider == *kind))
            return m;
    return std::nullopt;
}

bool isModelGraded(const QString &base)
{
    return base == QLatin1String("llm-rubric") || base == QLatin1String("factuality")
        || base == QLatin1String("model-graded-factuality")
        || base == QLatin1String("model-graded-closedqa") || base == QLatin1String("select-best");
}

} // namespace

Result<PromptfooProjectImport>
importPromptfooIntoProject(Database &db, const PromptfooImport &config, const QString &datasetName)
{
    PromptfooProjectImport out;
    out.unmapped = config.unmapped;
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());

    PromptStore prompts(db);
    for (int i = 0; i < config.prompts.size(); ++i) {
        const ImportedPrompt &p = config.prompts[i];
        const QString name = promptName(p.name, i);
        PromptContent content;
        for (const auto &[role, text] : p.messages)
            content.messages.append({role, text});
        auto info = prompts.prompt(name);
        const bool existed = bool(info);
        if (!info)
            info = prompts.createPrompt(name, QStringLiteral("Imported from promptfoo"));
        if (!info)
            return fail(info.error());
        auto saved = prompts.saveVersion(
            info->id, content, QStringLiteral("imported from promptfoo"), currentAuthor());
        if (!saved)
            return fail(saved.error());
        out.prompts.append({name, saved->version.number, !existed || saved->created});
    }

    ModelStore models(db);
    for (const ImportedProvider &p : config.providers) {
        const auto kind = parseProviderKind(p.providerKind);
        if (!kind) {
            out.unmapped << QStringLiteral("provider %1: kind \"%2\" is not supported")
                                .arg(p.id, p.providerKind);
            continue;
        }
        ModelConfig m;
        m.name = p.label.isEmpty() ? p.id : p.label;
        m.provider = *kind;
        m.modelId = p.model;
        m.baseUrl = p.baseUrl.isEmpty() ? defaultBaseUrl(*kind) : p.baseUrl;
        m.params = ModelParameters::fromJson(p.config);
        const QString keyVar = p.keyEnvVar.isEmpty() ? defaultKeyVar(*kind) : p.keyEnvVar;
        if (!keyVar.isEmpty())
            m.keyRef = QStringLiteral("env:") + keyVar;
        for (auto it = p.config.begin(); it != p.config.end(); ++it) {
            static const QStringList kept
                = {QStringLiteral("temperature"), QStringLiteral("max_tokens"),
                   QStringLiteral("top_p"), QStringLiteral("seed"), QStringLiteral("stop")};
            if (!kept.contains(QString::fromStdString(it.key())))
                out.unmapped << QStringLiteral(
                                    "provider %1: parameter \"%2\" is not kept on the model")
                                    .arg(p.id, QString::fromStdString(it.key()));
        }
        if (models.find(m.name)) {
            out.models.append({m.name, 0, false});
            continue;
        }
        if (const QString problem = ModelStore::problem(m); !problem.isEmpty()) {
            out.unmapped << QStringLiteral("provider %1: %2").arg(p.id, problem);
            continue;
        }
        auto added = models.add(m);
        if (!added)
            return fail(added.error());
        out.models.append({m.name, 0, true});
    }

    DatasetStore datasets(db);
    auto dataset = datasets.dataset(datasetName);
    if (!dataset)
        dataset = datasets.createDataset(datasetName, config.description);
    if (!dataset)
        return fail(dataset.error());
    out.datasetName = dataset->name;
    QList<TestCaseData> cases;
    for (const ImportedTest &t : config.tests) {
        TestCaseData data = t.data;
        nlohmann::json vars
            = config.defaultVars.is_object() ? config.defaultVars : nlohmann::json::object();
        if (data.vars.is_object())
            vars.update(data.vars);
        data.vars = vars;
        cases.append(data);
    }
    auto summary = datasets.importCases(dataset->id, cases, CaseSource::Import);
    if (!summary)
        return fail(summary.error());
    out.casesAdded = summary->added;
    out.casesSkipped = summary->skippedDuplicates;

    auto projectModels = ModelStore(db).list();
    if (!projectModels)
        return fail(projectModels.error());
    QSet<QString> notedProviders; // one note per provider the project has no model for
    // promptfoo's `provider` on an embedding assertion becomes the model it embeds with
    // ({"value": …, "provider": "name"}); a grading provider is not carried over.
    auto mapProvider = [&](nlohmann::json &assertion, const QString &where) {
        const auto it = assertion.find("provider");
        if (it == assertion.end())
            return;
        const nlohmann::json provider = *it;
        assertion.erase(it);
        QString base = QString::fromStdString(assertion.value("type", std::string()));
        if (base.startsWith(QLatin1String("not-")))
            base = base.mid(4);
        const bool embeds
            = base == QLatin1String("similar") || base == QLatin1String("answer-relevance");
        if (embeds) {
            const QString id = embeddingProviderId(provider);
            const auto model = id.isEmpty() ? std::nullopt : modelForProvider(id, *projectModels);
            if (model && model->provider != ProviderKind::Anthropic) {
                nlohmann::json value = {{"provider", model->name.toStdString()}};
                if (base == QLatin1String("similar"))
                    value["value"] = assertion.value("value", nlohmann::json());
                assertion["value"] = value;
            } else if (!id.isEmpty() && !notedProviders.contains(id)) {
                notedProviders.insert(id);
                out.unmapped << QStringLiteral(
                                    "%1.provider: embedding provider \"%2\" matches no model of "
                                    "the project, so the eval's embedding model is used (add it "
                                    "with model add and choose it with model default-embedding "
                                    "or eval --embedding-model)")
                                    .arg(where, id);
            }
        }
        if ((isModelGraded(base) || (embeds && provider.is_object() && provider.contains("text")))
            && !notedProviders.contains(QStringLiteral("grading"))) {
            notedProviders.insert(QStringLiteral("grading"));
            out.unmapped << QStringLiteral("%1.provider: a grading provider per assertion is not "
                                           "carried over; model-graded assertions use the model "
                                           "of the eval's first judge")
                                .arg(where);
        }
    };

    AssertionStore assertions(db);
    auto addAssertion = [&](std::optional<qint64> caseId, nlohmann::json json,
                            const QString &where) -> Result<bool> {
        mapProvider(json, where);
        auto spec = AssertionSpec::fromJson(json);
        if (!spec) {
            out.unmapped << QStringLiteral("%1: %2").arg(where, spec.error().message);
            return false;
        }
        auto added = assertions.add(dataset->id, caseId, *spec);
        if (!added) {
            if (added.error().code != ErrorCode::InvalidArgument)
                return fail(added.error());
            out.unmapped << QStringLiteral("%1: %2").arg(where, added.error().message);
            return false;
        }
        return true;
    };
    for (int i = 0; i < config.defaultAsserts.size(); ++i) {
        auto ok = addAssertion(std::nullopt, config.defaultAsserts[i],
                               QStringLiteral("defaultTest.assert[%1]").arg(i));
        if (!ok)
            return fail(ok.error());
        out.datasetAssertions += *ok ? 1 : 0;
    }
    for (int t = 0; t < config.tests.size(); ++t) {
        const qint64 caseId = summary->idForInput.value(t);
        // A duplicate test's assertions would land on the case it duplicates, twice over.
        if (!summary->addedIds.contains(caseId))
            continue;
        if (config.tests[t].threshold)
            if (auto ok = datasets.setCaseThreshold(caseId, config.tests[t].threshold); !ok)
                return fail(ok.error());
        for (int a = 0; a < config.tests[t].asserts.size(); ++a) {
            auto ok = addAssertion(caseId, config.tests[t].asserts[a],
                                   QStringLiteral("tests[%1].assert[%2]").arg(t).arg(a));
            if (!ok)
                return fail(ok.error());
            out.caseAssertions += *ok ? 1 : 0;
        }
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return out;
}

} // namespace ts
