#include "evals/datasetscontroller.h"

#include "common/projectsession.h"
#include "evals/casetablemodel.h"
#include "evals/counted.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QUndoStack>

namespace ts {

/// One test case as the undo stack knows it. A deleted case that comes back has a new id, so
/// commands hold the slot, not the id. `id` is written on the worker thread (work runs there in
/// the order it was posted); `removed` and below are touched only by work on that thread.
struct CaseSlot
{
    std::atomic<qint64> id {0};
    qint64 datasetId = 0;
    std::optional<TestCase> removed; ///< what removeSlots() deleted, for restoreSlots()
    QList<AssertionSpec> assertions; ///< the case's own assertions, in order
    QList<qint64> generationIds; ///< eval results that pointed at the case
};

class CaseEditCommand final : public QUndoCommand
{
public:
    CaseEditCommand(DatasetsController &c, std::shared_ptr<CaseSlot> slot, TestCaseData before,
                    TestCaseData after, const QString &text)
        : QUndoCommand(text)
        , m_c(c)
        , m_slot(std::move(slot))
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void undo() override { m_c.writeCase(m_slot, m_before); }
    void redo() override { m_c.writeCase(m_slot, m_after); }

private:
    DatasetsController &m_c;
    std::shared_ptr<CaseSlot> m_slot;
    TestCaseData m_before;
    TestCaseData m_after;
};

class CaseAddCommand final : public QUndoCommand
{
public:
    CaseAddCommand(DatasetsController &c, qint64 datasetId, TestCaseData data,
                   QString duplicateHint, const QString &text)
        : QUndoCommand(text)
        , m_c(c)
        , m_slot(std::make_shared<CaseSlot>())
        , m_data(std::move(data))
        , m_hint(std::move(duplicateHint))
    {
        m_slot->datasetId = datasetId;
    }
    void undo() override { m_c.removeSlots({m_slot}); }
    void redo() override
    {
        if (m_added) {
            m_c.restoreSlots({m_slot});
            return;
        }
        m_added = true;
        m_c.insertSlot(m_slot, m_data, m_hint);
    }

private:
    DatasetsController &m_c;
    std::shared_ptr<CaseSlot> m_slot;
    TestCaseData m_data;
    QString m_hint;
    bool m_added = false;
};

class CasesDeleteCommand final : public QUndoCommand
{
public:
    CasesDeleteCommand(DatasetsController &c, QList<std::shared_ptr<CaseSlot>> slots,
                       const QString &text)
        : QUndoCommand(text)
        , m_c(c)
        , m_slots(std::move(slots))
    {
    }
    void undo() override { m_c.restoreSlots(m_slots); }
    void redo() override { m_c.removeSlots(m_slots); }

private:
    DatasetsController &m_c;
    QList<std::shared_ptr<CaseSlot>> m_slots;
};

namespace {

constexpr int importChunk = 500; ///< rows per savepoint between progress reports
constexpr int progressEveryMs = 50; ///< at most ~20 progress updates a second

} // namespace

DatasetsController::DatasetsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_cases(new CaseTableModel(this))
{
    m_undo = new QUndoStack(this);
    connect(m_cases, &CaseTableModel::caseEdited, this, &DatasetsController::onCaseEdited);
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
            if (added->datasetId == m_current)
                m_cases->updateCase(*added);
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
            Database &db = ctx.project->db();
            auto tx = Transaction::begin(db);
            if (!tx)
                return fail(tx.error());
            DatasetStore store(db);
            AssertionStore assertions(db);
            QList<std::pair<std::shared_ptr<CaseSlot>, TestCase>> removed;
            QList<QList<AssertionSpec>> specs;
            QList<QList<qint64>> links;
            for (const auto &slot : slots) {
                const qint64 id = slot->id;
                if (!id)
                    continue; // never stored (its add failed) or already gone
                auto current = store.testCase(id);
                if (!current)
                    return fail(current.error());
                // What a restore needs and the delete takes away: the case's own assertions
                // (deleted with it) and the eval results that point at it (unlinked).
                auto own = assertions.forCase(current->datasetId, id);
                if (!own)
                    return fail(own.error());
                QList<AssertionSpec> mine;
                for (const StoredAssertion &a : *own)
                    if (a.testCaseId == id)
                        mine.append(a.spec);
                auto stmt = db.prepare(
                    QStringLiteral("SELECT id FROM generations WHERE test_case_id = ?"));
                if (!stmt)
                    return fail(stmt.error());
                stmt->bind(1, id);
                auto ids = stmt->all([](const Statement &row) { return row.int64(0); });
                if (!ids)
                    return fail(ids.error());
                if (auto ok = store.deleteCase(id); !ok)
                    return ok;
                removed.append({slot, *current});
                specs.append(mine);
                links.append(*ids);
            }
            if (auto ok = tx->commit(); !ok)
                return ok;
            for (qsizetype i = 0; i < removed.size(); ++i) {
                const auto &slot = removed[i].first;
                slot->removed = removed[i].second;
                slot->assertions = specs[i];
                slot->generationIds = links[i];
                slot->id = 0;
            }
            return {};
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
            Database &db = ctx.project->db();
            auto tx = Transaction::begin(db);
            if (!tx)
                return fail(tx.error());
            DatasetStore store(db);
            AssertionStore assertions(db);
            // In their old order, so that each lands at its old position.
            QList<std::shared_ptr<CaseSlot>> ordered;
            for (const auto &slot : slots)
                if (slot->removed)
                    ordered.append(slot);
            std::sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
                return a->removed->position < b->removed->position;
            });
            QList<qint64> newIds;
            for (const auto &slot : ordered) {
                const TestCase &c = *slot->removed;
                auto added = store.importCases(c.datasetId, {c.data}, c.source,
                                               {CaseOrigin {c.productionOutput, c.logId}});
                if (!added)
                    return fail(added.error());
                if (added->addedIds.isEmpty())
                    return fail(ErrorCode::AlreadyExists,
                                QCoreApplication::translate(
                                    "ts::DatasetsController",
                                    "Case %1 cannot come back: an identical case was added since.")
                                    .arg(c.position + 1));
                const qint64 id = added->addedIds.first();
                if (c.threshold)
                    if (auto ok = store.setCaseThreshold(id, c.threshold); !ok)
                        return ok;
                auto all = store.cases(c.datasetId);
                if (!all)
                    return fail(all.error());
                QList<qint64> order;
                for (const TestCase &t : *all)
                    if (t.id != id)
                        order.append(t.id);
                order.insert(std::min<qsizetype>(c.position, order.size()), id);
                if (auto ok = store.reorderCases(c.datasetId, order); !ok)
                    return ok;
                for (const AssertionSpec &spec : slot->assertions)
                    if (auto a = assertions.add(c.datasetId, id, spec); !a)
                        return fail(a.error());
                auto relink = db.prepare(QStringLiteral("UPDATE generations SET test_case_id = ? "
                                                        "WHERE id = ? AND test_case_id IS NULL"));
                if (!relink)
                    return fail(relink.error());
                for (qint64 g : slot->generationIds) {
                    relink->reset();
                    relink->bind(1, id).bind(2, g);
                    if (auto ok = relink->run(); !ok)
                        return ok;
                }
                newIds.append(id);
            }
            if (auto ok = tx->commit(); !ok)
                return ok;
            for (qsizetype i = 0; i < ordered.size(); ++i) {
                ordered[i]->id = newIds[i];
                ordered[i]->removed.reset();
            }
            return {};
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
        [id, path, report](WorkContext &ctx) -> Result<ImportSummary> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            const auto cancelled = [] {
                return fail(ErrorCode::Cancelled,
                            QCoreApplication::translate("ts::DatasetsController",
                                                        "cancelled; nothing was imported."));
            };
            auto parsed = importDatasetFile(path);
            if (!parsed)
                return fail(parsed.error());
            const int total = int(parsed->size());
            report(0, total);
            // One transaction, written in savepoints of importChunk rows: all or nothing, with
            // progress and a chance to cancel between them.
            Database &db = ctx.project->db();
            auto tx = Transaction::begin(db);
            if (!tx)
                return fail(tx.error());
            DatasetStore store(db);
            ImportSummary summary;
            QElapsedTimer sinceReport;
            sinceReport.start();
            for (int from = 0; from < total; from += importChunk) {
                if (ctx.isCancelled())
                    return cancelled();
                auto part
                    = store.importCases(id, parsed->mid(from, importChunk), CaseSource::Import);
                if (!part)
                    return fail(part.error());
                summary.added += part->added;
                summary.skippedDuplicates += part->skippedDuplicates;
                summary.addedIds += part->addedIds;
                summary.idForInput += part->idForInput;
                const int done = std::min(total, from + importChunk);
                if (sinceReport.elapsed() >= progressEveryMs || done == total) {
                    report(done, total);
                    sinceReport.restart();
                }
            }
            if (ctx.isCancelled())
                return cancelled();
            if (auto ok = tx->commit(); !ok)
                return fail(ok.error());
            return summary;
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
