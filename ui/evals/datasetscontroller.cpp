#include "evals/datasetscontroller.h"

#include "common/projectsession.h"
#include "evals/casepager.h"
#include "evals/caseslot.h"
#include "evals/casetablemodel.h"
#include "evals/caseundocommands.h"
#include "evals/counted.h"
#include "evals/datasetfilejobs.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QUndoStack>

namespace ts {

DatasetsController::DatasetsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_cases(new CaseTableModel(this))
    , m_pager(new CasePager(session, *m_cases, this))
{
    m_undo = new QUndoStack(this);
    connect(m_cases, &CaseTableModel::caseEdited, this, &DatasetsController::onCaseEdited);
    connect(m_pager, &CasePager::loaded, this, &DatasetsController::casesLoaded);
    connect(m_pager, &CasePager::failed, this, [this](const QString &message) {
        Q_EMIT errorOccurred(tr("Could not read the test cases: %1").arg(message));
    });
    auto forgetProject = [this] {
        m_undo->clear();
        m_slots.clear();
        if (m_importCancel) { // its result belongs to the previous project and never arrives
            *m_importCancel = true;
            m_importCancel.reset();
            Q_EMIT importFinished();
        }
    };
    connect(&session, &ProjectSession::projectOpened, this, [this, forgetProject] {
        forgetProject();
        m_current = 0;
        reload();
    });
    connect(&session, &ProjectSession::projectClosed, this, [this, forgetProject] {
        forgetProject();
        m_datasets.clear();
        m_current = 0;
        m_assertions.clear();
        m_pager->show(0);
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
    // Cases are read only for a view that shows them: opening a project reads none.
    if (m_viewVisible || !datasetId)
        m_pager->show(datasetId);
    loadAssertions();
}

void DatasetsController::setViewVisible(bool visible)
{
    m_viewVisible = visible;
    // Shown again: other sections may have added cases meanwhile (the playground's "add as
    // test case"), so what is stored is read again.
    if (visible)
        loadCases();
}

void DatasetsController::loadCases()
{
    if (m_pager->datasetId() == m_current && m_current)
        m_pager->refresh(); // keeps the rows shown until the new ones arrive
    else if (m_viewVisible || !m_current)
        m_pager->show(m_current);
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
            if (ok) { // its cases are gone for good: no step may bring one back
                m_undo->clear();
                m_slots.clear();
            }
            reload();
        });
}

std::shared_ptr<CaseSlot> DatasetsController::slotFor(qint64 caseId, qint64 datasetId)
{
    auto &slot = m_slots[caseId];
    if (!slot) {
        slot = std::make_shared<CaseSlot>();
        slot->id = caseId;
        slot->datasetId = datasetId;
    }
    return slot;
}

void DatasetsController::showDataset(qint64 datasetId)
{
    // Undoing a change to another dataset shows that dataset, so the change is seen.
    if (datasetId && datasetId != m_current)
        for (const DatasetInfo &d : std::as_const(m_datasets))
            if (d.id == datasetId)
                selectDataset(datasetId);
}

void DatasetsController::addData(const TestCaseData &data, const QString &duplicateHint,
                                 const QString &what)
{
    const qint64 id = m_current;
    if (!id) {
        Q_EMIT errorOccurred(tr("Create or select a dataset first."));
        return;
    }
    // The store refuses a second identical case; say so before it becomes an undo step.
    for (int row = 0; row < m_cases->rowCount(); ++row)
        if (m_cases->caseAt(row)->data == data) {
            Q_EMIT errorOccurred(tr("Could not add the case: %1 It is case %2.")
                                     .arg(duplicateHint.isEmpty()
                                              ? tr("An identical case is already there.")
                                              : duplicateHint)
                                     .arg(row + 1));
            return;
        }
    m_undo->push(new CaseAddCommand(*this, id, data, duplicateHint, what));
}

void DatasetsController::insertSlot(const std::shared_ptr<CaseSlot> &slot, const TestCaseData &data,
                                    const QString &duplicateHint)
{
    showDataset(slot->datasetId);
    const qint64 datasetId = slot->datasetId;
    m_session.post<Result<TestCase>>(
        [slot, datasetId, data](WorkContext &ctx) -> Result<TestCase> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto added = DatasetStore(ctx.project->db()).addCase(datasetId, data);
            if (added)
                slot->id = added->id;
            return added;
        },
        this,
        [this, slot, duplicateHint](Result<TestCase> added) {
            if (!added) {
                const QString message = added.error().code == ErrorCode::AlreadyExists
                    ? duplicateHint + QLatin1Char(' ') + added.error().message
                    : added.error().message;
                Q_EMIT errorOccurred(tr("Could not add the case: %1").arg(message.trimmed()));
                return;
            }
            m_slots.insert(added->id, slot);
            if (added->datasetId == m_pager->datasetId())
                m_cases->addCase(*added);
            reload(); // case counts
        });
}

void DatasetsController::removeSlots(const QList<std::shared_ptr<CaseSlot>> &slots)
{
    if (slots.isEmpty())
        return;
    showDataset(slots.first()->datasetId);
    m_session.post<Result<void>>(
        [slots](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return removeCaseSlots(ctx.project->db(), slots);
        },
        this,
        [this](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(tr("Could not delete the case: %1").arg(ok.error().message));
            for (auto it = m_slots.begin(); it != m_slots.end();)
                it = it.value()->id != it.key() ? m_slots.erase(it) : std::next(it);
            loadCases();
            loadAssertions();
            reload();
        });
}

void DatasetsController::restoreSlots(const QList<std::shared_ptr<CaseSlot>> &slots)
{
    if (slots.isEmpty())
        return;
    showDataset(slots.first()->datasetId);
    m_session.post<Result<void>>(
        [slots](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return restoreCaseSlots(ctx.project->db(), slots);
        },
        this,
        [this, slots](Result<void> ok) {
            if (!ok)
                Q_EMIT errorOccurred(
                    tr("Could not bring the case back: %1").arg(ok.error().message));
            for (const auto &slot : slots)
                if (const qint64 id = slot->id)
                    m_slots.insert(id, slot);
            loadCases();
            loadAssertions();
            reload();
        });
}

void DatasetsController::addCase()
{
    TestCaseData data;
    for (const QString &v : m_cases->variables())
        data.vars[v.toStdString()] = "";
    addData(data, tr("An empty case is already there; fill it in first."), tr("Add case"));
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
    addData(data, {}, tr("Duplicate case %1").arg(row + 1));
}

void DatasetsController::deleteCases(const QList<qint64> &caseIds)
{
    QList<std::shared_ptr<CaseSlot>> slots;
    int firstRow = -1;
    for (qint64 id : caseIds)
        if (const int row = m_cases->rowOf(id); row >= 0) {
            slots.append(slotFor(id, m_current));
            firstRow = firstRow < 0 ? row : std::min(firstRow, row);
        }
    if (slots.isEmpty())
        return;
    m_undo->push(new CasesDeleteCommand(*this, slots,
                                        slots.size() == 1
                                            ? tr("Delete case %1").arg(firstRow + 1)
                                            : tr("Delete %1 cases").arg(slots.size())));
}

void DatasetsController::saveCase(qint64 caseId, const TestCaseData &data)
{
    const int row = m_cases->rowOf(caseId);
    const TestCaseData before = row >= 0 ? m_cases->caseAt(row)->data : TestCaseData {};
    if (row >= 0 && before == data)
        return;
    m_undo->push(new CaseEditCommand(*this, slotFor(caseId, m_current), before, data,
                                     tr("Edit case %1").arg(row + 1)));
}

void DatasetsController::onCaseEdited(qint64 caseId, const TestCaseData &before,
                                      const TestCaseData &after, int column)
{
    const int row = m_cases->rowOf(caseId);
    const QString what = m_cases->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
    m_undo->push(new CaseEditCommand(*this, slotFor(caseId, m_current), before, after,
                                     tr("Edit %1 of case %2").arg(what).arg(row + 1)));
}

void DatasetsController::writeCase(const std::shared_ptr<CaseSlot> &slot, const TestCaseData &data)
{
    showDataset(slot->datasetId);
    m_session.post<Result<TestCase>>(
        [slot, data](WorkContext &ctx) -> Result<TestCase> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            const qint64 id = slot->id;
            if (!id)
                return fail(
                    ErrorCode::NotFound,
                    QCoreApplication::translate("ts::DatasetsController", "the case was deleted."));
            return DatasetStore(ctx.project->db()).updateCase(id, data);
        },
        this,
        [this](Result<TestCase> saved) {
            if (!saved) {
                Q_EMIT errorOccurred(tr("Could not save the case: %1").arg(saved.error().message));
                loadCases(); // show what is stored
                return;
            }
            if (saved->datasetId == m_pager->datasetId())
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
    if (m_importCancel) {
        Q_EMIT errorOccurred(tr("An import is already running; wait for it or cancel it."));
        return;
    }
    const QString fileName = QFileInfo(path).fileName();
    const QPointer<DatasetsController> self(this);
    // Progress is delivered through the application object: it outlives this controller, and
    // the pointer is only followed on the UI thread.
    auto report = [self, fileName](int done, int total) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, fileName, done, total] {
                if (self && self->m_importCancel)
                    Q_EMIT self->importProgress(fileName, done, total);
            },
            Qt::QueuedConnection);
    };
    m_importCancel = m_session.post<Result<ImportSummary>>(
        [id, path, report](WorkContext &ctx) {
            return datasetfiles::import(ctx, id, path, report);
        },
        this,
        [this, path](Result<ImportSummary> summary) {
            m_importCancel.reset();
            Q_EMIT importFinished();
            if (!summary) {
                if (summary.error().code == ErrorCode::Cancelled)
                    Q_EMIT notice(tr("Import of %1 %2")
                                      .arg(QFileInfo(path).fileName(), summary.error().message));
                else
                    Q_EMIT errorOccurred(
                        tr("Nothing was imported from %1: %2")
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
    Q_EMIT importProgress(fileName, 0, 0);
}

void DatasetsController::cancelImport()
{
    if (m_importCancel)
        *m_importCancel = true;
}

void DatasetsController::exportFile(const QString &path, ExportFormat format)
{
    const qint64 id = m_current;
    if (!id)
        return;
    // On a reader connection: a long export neither waits for nor delays edits.
    m_session.postRead<Result<int>>(
        [id, path, format](WorkContext &ctx) {
            return datasetfiles::exportTo(ctx, id, path, format);
        },
        this,
        [this, path](Result<int> written) {
            if (!written)
                Q_EMIT errorOccurred(
                    tr("Could not export to %1: %2").arg(path, written.error().message));
            else
                Q_EMIT notice(
                    tr("Exported %1 to %2.").arg(counted(*written, tr("case"), tr("cases")), path));
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
