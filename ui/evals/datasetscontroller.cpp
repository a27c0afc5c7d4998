#include "evals/datasetscontroller.h"

#include "common/projectsession.h"
#include "evals/casetablemodel.h"
#include "evals/counted.h"
#include "storage/project.h"

#include <QFile>
#include <QFileInfo>

namespace ts {

namespace {
template<typename T> using Work = std::function<T(WorkContext &)>;
} // namespace

DatasetsController::DatasetsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_cases(new CaseTableModel(this))
{
    connect(m_cases, &CaseTableModel::caseEdited, this, &DatasetsController::saveCase);
    connect(&session, &ProjectSession::projectOpened, this, [this] {
        m_current = 0;
        reload();
    });
    connect(&session, &ProjectSession::projectClosed, this, [this] {
        m_datasets.clear();
        m_current = 0;
        m_assertions.clear();
        m_cases->setCases({});
        Q_EMIT datasetsChanged();
        Q_EMIT assertionsChanged();
    });
    if (session.hasProject())
        reload();
}

std::optional<DatasetInfo> DatasetsController::currentDataset() const
{
    for (const DatasetInfo &d : m_datasets)
        if (d.id == m_current)
            return d;
    return std::nullopt;
}

void DatasetsController::reload()
{
    m_session.post<Result<QList<DatasetInfo>>>(
        [](WorkContext &ctx) -> Result<QList<DatasetInfo>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).listDatasets();
        },
        this,
        [this](Result<QList<DatasetInfo>> list) {
            if (!list) {
                Q_EMIT errorOccurred(
                    tr("Could not read the datasets: %1").arg(list.error().message));
                return;
            }
            m_datasets = *list;
            Q_EMIT datasetsChanged();
            if (!currentDataset())
                selectDataset(m_datasets.isEmpty() ? 0 : m_datasets.first().id);
        });
}

void DatasetsController::selectDataset(qint64 datasetId)
{
    m_current = datasetId;
    Q_EMIT datasetSelected(datasetId);
    loadCases();
    loadAssertions();
}

void DatasetsController::loadCases()
{
    const qint64 id = m_current;
    const quint64 generation = ++m_loadGeneration;
    if (!id) {
        m_cases->setCases({});
        Q_EMIT casesLoaded();
        return;
    }
    m_session.post<Result<QList<TestCase>>>(
        [id](WorkContext &ctx) -> Result<QList<TestCase>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).cases(id);
        },
        this,
        [this, generation](Result<QList<TestCase>> cases) {
            if (generation != m_loadGeneration)
                return; // another dataset was selected meanwhile
            if (!cases) {
                Q_EMIT errorOccurred(
                    tr("Could not read the test cases: %1").arg(cases.error().message));
                return;
            }
            m_cases->setCases(*cases);
            Q_EMIT casesLoaded();
        });
}

void DatasetsController::loadAssertions()
{
    const qint64 id = m_current;
    if (!id) {
        m_assertions.clear();
        Q_EMIT assertionsChanged();
        return;
    }
    m_session.post<Result<QList<StoredAssertion>>>(
        [id](WorkContext &ctx) -> Result<QList<StoredAssertion>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return AssertionStore(ctx.project->db()).forDataset(id);
        },
        this,
        [this, id](Result<QList<StoredAssertion>> list) {
            if (id != m_current)
                return;
            if (!list) {
                Q_EMIT errorOccurred(
                    tr("Could not read the assertions: %1").arg(list.error().message));
                return;
            }
            m_assertions = *list;
            Q_EMIT assertionsChanged();
        });
}

void DatasetsController::createDataset(const QString &name, const QString &description)
{
    if (const QString problem = DatasetStore::datasetNameProblem(name); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    m_session.post<Result<DatasetInfo>>(
        [name, description](WorkContext &ctx) -> Result<DatasetInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).createDataset(name, description);
        },
        this,
        [this](Result<DatasetInfo> created) {
            if (!created) {
                Q_EMIT errorOccurred(
                    tr("Could not create the dataset: %1").arg(created.error().message));
                return;
            }
            m_current = created->id;
            reload();
            selectDataset(created->id);
        });
}

void DatasetsController::renameDataset(qint64 datasetId, const QString &name)
{
    if (const QString problem = DatasetStore::datasetNameProblem(name); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return;
    }
    m_session.post<Result<void>>(
        [datasetId, name](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).renameDataset(datasetId, name);
        },
        this,
        [this](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(
                    tr("Could not rename the dataset: %1").arg(ok.error().message));
            reload();
        });
}

void DatasetsController::deleteDataset(qint64 datasetId)
{
    m_session.post<Result<void>>(
        [datasetId](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).deleteDataset(datasetId);
        },
        this,
        [this, datasetId](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(
                    tr("Could not delete the dataset: %1").arg(ok.error().message));
            if (m_current == datasetId)
                m_current = 0;
            reload();
        });
}

void DatasetsController::addData(const TestCaseData &data, const QString &duplicateHint)
{
    const qint64 id = m_current;
    if (!id) {
        Q_EMIT errorOccurred(tr("Create or select a dataset first."));
        return;
    }
    m_session.post<Result<TestCase>>(
        [id, data](WorkContext &ctx) -> Result<TestCase> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).addCase(id, data);
        },
        this,
        [this, id, duplicateHint](Result<TestCase> added) {
            if (!added) {
                const QString message = added.error().code == ErrorCode::AlreadyExists
                    ? duplicateHint + QLatin1Char(' ') + added.error().message
                    : added.error().message;
                Q_EMIT errorOccurred(tr("Could not add the case: %1").arg(message));
                return;
            }
            if (id == m_current)
                m_cases->updateCase(*added);
            reload(); // case counts
        });
}

void DatasetsController::addCase()
{
    TestCaseData data;
    for (const QString &v : m_cases->variables())
        data.vars[v.toStdString()] = "";
    addData(data, tr("An empty case is already there; fill it in first."));
}

void DatasetsController::duplicateCase(qint64 caseId)
{
    const int row = m_cases->rowOf(caseId);
    if (row < 0)
        return;
    TestCaseData data = m_cases->caseAt(row)->data;
    // Identical content would be refused as a duplicate; the marker keeps the copy distinct.
    for (int n = 1; n < 1000; ++n) {
        const QString base = data.description.isEmpty()
            ? tr("copy")
            : m_cases->caseAt(row)->data.description + tr(" (copy)");
        data.description = n == 1 ? base : QStringLiteral("%1 %2").arg(base).arg(n);
        bool taken = false;
        for (const TestCase &c : m_cases->cases())
            taken = taken || c.data == data;
        if (!taken)
            break;
    }
    addData(data, {});
}

void DatasetsController::deleteCases(const QList<qint64> &caseIds)
{
    if (caseIds.isEmpty())
        return;
    m_session.post<Result<void>>(
        [caseIds](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            DatasetStore store(ctx.project->db());
            for (qint64 id : caseIds)
                if (auto ok = store.deleteCase(id); !ok)
                    return ok;
            return {};
        },
        this,
        [this](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(tr("Could not delete the case: %1").arg(ok.error().message));
            loadCases();
            loadAssertions();
            reload();
        });
}

void DatasetsController::saveCase(qint64 caseId, const TestCaseData &data)
{
    m_session.post<Result<TestCase>>(
        [caseId, data](WorkContext &ctx) -> Result<TestCase> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).updateCase(caseId, data);
        },
        this,
        [this](Result<TestCase> saved) {
            if (!saved) {
                Q_EMIT errorOccurred(tr("Could not save the case: %1").arg(saved.error().message));
                loadCases(); // show what is stored
                return;
            }
            if (saved->datasetId == m_current)
                m_cases->updateCase(*saved);
        });
}

void DatasetsController::importFile(const QString &path)
{
    const qint64 id = m_current;
    if (!id) {
        Q_EMIT errorOccurred(tr("Create or select a dataset to import into."));
        return;
    }
    m_session.post<Result<ImportSummary>>(
        [id, path](WorkContext &ctx) -> Result<ImportSummary> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).importFile(id, path);
        },
        this,
        [this, path](Result<ImportSummary> summary) {
            if (!summary) {
                Q_EMIT errorOccurred(tr("Nothing was imported from %1: %2")
                                         .arg(QFileInfo(path).fileName(), summary.error().message));
                return;
            }
            QString text = tr("Imported %1").arg(counted(summary->added, tr("case"), tr("cases")));
            if (summary->skippedDuplicates > 0)
                text += tr(", skipped %1")
                            .arg(counted(summary->skippedDuplicates, tr("duplicate"),
                                         tr("duplicates")));
            Q_EMIT notice(text + QLatin1Char('.'));
            loadCases();
            reload();
        });
}

void DatasetsController::exportFile(const QString &path, ExportFormat format)
{
    const qint64 id = m_current;
    if (!id)
        return;
    m_session.post<Result<void>>(
        [id, path, format](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto bytes = DatasetStore(ctx.project->db()).exportCases(id, format);
            if (!bytes)
                return fail(bytes.error());
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || file.write(*bytes) != bytes->size())
                return fail(ErrorCode::Io, file.errorString());
            return {};
        },
        this,
        [this, path](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(
                    tr("Could not export to %1: %2").arg(path, ok.error().message));
            else
                Q_EMIT notice(
                    tr("Exported %1 to %2.")
                        .arg(counted(m_cases->rowCount(), tr("case"), tr("cases")), path));
        });
}

void DatasetsController::saveAssertion(qint64 id, std::optional<qint64> caseId,
                                       const AssertionSpec &spec, QObject *context,
                                       std::function<void(Result<StoredAssertion>)> done)
{
    if (auto valid = validateAssertion(spec); !valid) {
        done(fail(valid.error()));
        return;
    }
    const qint64 datasetId = m_current;
    if (!datasetId) {
        done(fail(ErrorCode::InvalidArgument, tr("Select a dataset first.")));
        return;
    }
    m_session.post<Result<StoredAssertion>>(
        [id, datasetId, caseId, spec](WorkContext &ctx) -> Result<StoredAssertion> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            AssertionStore store(ctx.project->db());
            return id ? store.update(id, spec) : store.add(datasetId, caseId, spec);
        },
        context,
        [this, done = std::move(done)](Result<StoredAssertion> saved) {
            if (saved)
                loadAssertions();
            done(std::move(saved));
        });
}

void DatasetsController::removeAssertion(qint64 id)
{
    m_session.post<Result<void>>(
        [id](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return AssertionStore(ctx.project->db()).remove(id);
        },
        this,
        [this](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(
                    tr("Could not remove the assertion: %1").arg(ok.error().message));
            loadAssertions();
        });
}

} // namespace ts
