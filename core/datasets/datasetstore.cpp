#include "datasets/datasetstore.h"

#include "common/json.h"
#include "io/datasetexport.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QBuffer>
#include <QHash>
#include <QIODevice>
#include <QSet>

namespace ts {

namespace {

constexpr auto caseColumns = "id, dataset_id, position, vars, expected, tags, description, source, "
                             "threshold, created_at, production_output, log_id";

TestCase caseFromRow(const Statement &s)
{
    TestCase c;
    c.id = s.int64(0);
    c.datasetId = s.int64(1);
    c.position = int(s.int64(2));
    c.data.vars = parseJson(s.text(3)).value_or(nlohmann::json::object());
    c.data.expected = s.optionalText(4);
    const nlohmann::json tags = parseJson(s.text(5)).value_or(nlohmann::json::array());
    if (tags.is_array())
        for (const auto &t : tags)
            if (t.is_string())
                c.data.tags << qstr(t.get<std::string>());
    c.data.description = s.text(6);
    c.source = parseCaseSource(s.text(7)).value_or(CaseSource::Manual);
    c.threshold = s.optionalReal(8);
    c.createdAt = s.text(9);
    c.productionOutput = s.optionalText(10);
    c.logId = s.optionalInt(11);
    return c;
}

QString tagsJson(const QStringList &tags)
{
    nlohmann::json array = nlohmann::json::array();
    for (const QString &t : tags)
        array.push_back(sstr(t));
    return toJsonText(array);
}

} // namespace

QString caseSourceName(CaseSource source)
{
    switch (source) {
    case CaseSource::Manual:
        return QStringLiteral("manual");
    case CaseSource::Import:
        return QStringLiteral("import");
    case CaseSource::Log:
        return QStringLiteral("log");
    case CaseSource::Synthetic:
        return QStringLiteral("synthetic");
    case CaseSource::Playground:
        return QStringLiteral("playground");
    }
    return QStringLiteral("manual");
}

std::optional<CaseSource> parseCaseSource(const QString &name)
{
    for (CaseSource s : {CaseSource::Manual, CaseSource::Import, CaseSource::Log,
                         CaseSource::Synthetic, CaseSource::Playground})
        if (caseSourceName(s) == name)
            return s;
    return std::nullopt;
}

DatasetStore::DatasetStore(Database &db)
    : m_db(db)
{
}

QString DatasetStore::datasetNameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("A dataset needs a name.");
    if (name != name.trimmed())
        return QStringLiteral("A dataset name cannot start or end with spaces.");
    if (name.size() > 200)
        return QStringLiteral("A dataset name can have at most 200 characters.");
    if (name.contains(QLatin1Char('\n')) || name.contains(QLatin1Char('\r')))
        return QStringLiteral("A dataset name cannot contain line breaks.");
    return {};
}

Result<DatasetInfo> DatasetStore::createDataset(const QString &name, const QString &description)
{
    if (const QString problem = datasetNameProblem(name); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    if (dataset(name))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A dataset named \"%1\" already exists.").arg(name));
    auto stmt = m_db.prepare(
        QStringLiteral("INSERT INTO datasets(name, description, created_at) VALUES (?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, name).bind(2, description).bind(3, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return dataset(m_db.lastInsertId());
}

Result<QList<DatasetInfo>> DatasetStore::listDatasets()
{
    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT d.id, d.name, d.description, d.created_at, "
        "(SELECT count(*) FROM test_cases c WHERE c.dataset_id = d.id) FROM datasets d "
        "ORDER BY d.name COLLATE NOCASE"));
    if (!stmt)
        return fail(stmt.error());
    QList<DatasetInfo> list;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        list.append(
            {stmt->int64(0), stmt->text(1), stmt->text(2), stmt->text(3), int(stmt->int64(4))});
    }
    return list;
}

Result<DatasetInfo> DatasetStore::dataset(const QString &name)
{
    auto list = listDatasets();
    if (!list)
        return fail(list.error());
    for (const DatasetInfo &d : *list)
        if (d.name == name)
            return d;
    return fail(ErrorCode::NotFound, QStringLiteral("No dataset named \"%1\".").arg(name));
}

Result<DatasetInfo> DatasetStore::dataset(qint64 id)
{
    auto list = listDatasets();
    if (!list)
        return fail(list.error());
    for (const DatasetInfo &d : *list)
        if (d.id == id)
            return d;
    return fail(ErrorCode::NotFound, QStringLiteral("No dataset with id %1.").arg(id));
}

Result<void> DatasetStore::renameDataset(qint64 id, const QString &newName)
{
    if (const QString problem = datasetNameProblem(newName); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    auto existing = dataset(newName);
    if (existing && existing->id != id)
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A dataset named \"%1\" already exists.").arg(newName));
    auto stmt = m_db.prepare(QStringLiteral("UPDATE datasets SET name = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, newName).bind(2, id);
    if (auto ok = stmt->run(); !ok)
        return ok;
    if (m_db.changes() == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("No dataset with id %1.").arg(id));
    return {};
}

Result<void> DatasetStore::setDescription(qint64 id, const QString &description)
{
    auto stmt = m_db.prepare(QStringLiteral("UPDATE datasets SET description = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, description).bind(2, id);
    return stmt->run();
}

Result<void> DatasetStore::deleteDataset(qint64 id)
{
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM datasets WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    if (auto ok = stmt->run(); !ok)
        return ok;
    if (m_db.changes() == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("No dataset with id %1.").arg(id));
    return {};
}

Result<QList<TestCase>> DatasetStore::cases(qint64 datasetId)
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(caseColumns)
                             + QStringLiteral(" FROM test_cases WHERE dataset_id = ? "
                                              "ORDER BY position, id"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId);
    QList<TestCase> list;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        list.append(caseFromRow(*stmt));
    }
    return list;
}

Result<QList<TestCase>> DatasetStore::casesPage(qint64 datasetId, const CaseKey &after, int limit)
{
    // A row-value comparison keeps the seek on the (dataset_id, position) index (whose rowid
    // is id), so a deep page costs what the first one does.
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(caseColumns)
                             + QStringLiteral(" FROM test_cases WHERE dataset_id = ? "
                                              "AND (position, id) > (?, ?) "
                                              "ORDER BY position, id LIMIT ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId).bind(2, after.position).bind(3, after.id).bind(4, qMax(0, limit));
    return stmt->all([](const Statement &row) { return caseFromRow(row); });
}

Result<int> DatasetStore::caseCount(qint64 datasetId)
{
    auto stmt
        = m_db.prepare(QStringLiteral("SELECT count(*) FROM test_cases WHERE dataset_id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId);
    return stmt->one([](const Statement &row) { return int(row.int64(0)); }, {});
}

Result<void> DatasetStore::forEachCase(qint64 datasetId,
                                       const std::function<bool(const TestCase &)> &visit)
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(caseColumns)
                             + QStringLiteral(" FROM test_cases WHERE dataset_id = ? "
                                              "ORDER BY position, id"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId);
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row || !visit(caseFromRow(*stmt)))
            return {};
    }
}

Result<TestCase> DatasetStore::testCase(qint64 caseId)
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(caseColumns)
                             + QStringLiteral(" FROM test_cases WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, caseId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No test case with id %1.").arg(caseId));
    return caseFromRow(*stmt);
}

Result<qint64> DatasetStore::insertCase(qint64 datasetId, int position, const TestCaseData &data,
                                        const QByteArray &key, CaseSource source,
                                        const CaseOrigin &origin)
{
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO test_cases(dataset_id, position, vars, expected, tags, description, source, "
        "content_key, created_at, production_output, log_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId)
        .bind(2, position)
        .bind(3, toJsonText(data.vars.is_object() ? data.vars : nlohmann::json::object()))
        .bind(4, data.expected)
        .bind(5, tagsJson(data.tags))
        .bind(6, data.description)
        .bind(7, caseSourceName(source))
        .bind(8, QString::fromLatin1(key))
        .bind(9, nowUtc())
        .bind(10, origin.productionOutput)
        .bind(11, origin.logId);
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return m_db.lastInsertId();
}

Result<TestCase> DatasetStore::addCase(qint64 datasetId, const TestCaseData &data,
                                       CaseSource source)
{
    auto summary = importCases(datasetId, {data}, source);
    if (!summary)
        return fail(summary.error());
    if (summary->added == 0) {
        auto existing = testCase(summary->idForInput.value(0));
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("The dataset already has this test case (case %1).")
                        .arg(existing ? existing->position + 1 : 0));
    }
    return testCase(summary->addedIds.first());
}

Result<TestCase> DatasetStore::updateCase(qint64 caseId, const TestCaseData &data)
{
    auto current = testCase(caseId);
    if (!current)
        return current;
    const QByteArray key = contentKey(data);
    auto dup = m_db.prepare(QStringLiteral(
        "SELECT position FROM test_cases WHERE dataset_id = ? AND content_key = ? AND id != ?"));
    if (!dup)
        return fail(dup.error());
    dup->bind(1, current->datasetId).bind(2, QString::fromLatin1(key)).bind(3, caseId);
    auto row = dup->step();
    if (!row)
        return fail(row.error());
    if (*row)
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("The dataset already has this test case (case %1).")
                        .arg(dup->int64(0) + 1));
    auto stmt = m_db.prepare(
        QStringLiteral("UPDATE test_cases SET vars = ?, expected = ?, tags = ?, description = ?, "
                       "content_key = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, toJsonText(data.vars.is_object() ? data.vars : nlohmann::json::object()))
        .bind(2, data.expected)
        .bind(3, tagsJson(data.tags))
        .bind(4, data.description)
        .bind(5, QString::fromLatin1(key))
        .bind(6, caseId);
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return testCase(caseId);
}

Result<void> DatasetStore::setCaseThreshold(qint64 caseId, std::optional<double> threshold)
{
    auto stmt = m_db.prepare(QStringLiteral("UPDATE test_cases SET threshold = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, threshold).bind(2, caseId);
    return stmt->run();
}

Result<void> DatasetStore::deleteCase(qint64 caseId)
{
    auto current = testCase(caseId);
    if (!current)
        return fail(current.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto del = m_db.prepare(QStringLiteral("DELETE FROM test_cases WHERE id = ?"));
    if (!del)
        return fail(del.error());
    del->bind(1, caseId);
    if (auto ok = del->run(); !ok)
        return ok;
    auto shift = m_db.prepare(QStringLiteral(
        "UPDATE test_cases SET position = position - 1 WHERE dataset_id = ? AND position > ?"));
    if (!shift)
        return fail(shift.error());
    shift->bind(1, current->datasetId).bind(2, current->position);
    if (auto ok = shift->run(); !ok)
        return ok;
    return tx->commit();
}

Result<void> DatasetStore::reorderCases(qint64 datasetId, const QList<qint64> &orderedIds)
{
    auto current = cases(datasetId);
    if (!current)
        return fail(current.error());
    QSet<qint64> existing;
    for (const TestCase &c : *current)
        existing.insert(c.id);
    const QSet<qint64> given(orderedIds.begin(), orderedIds.end());
    if (given != existing || orderedIds.size() != current->size())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("A new order must list each of the dataset's %1 cases once.")
                        .arg(current->size()));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto stmt = m_db.prepare(QStringLiteral("UPDATE test_cases SET position = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    for (qsizetype i = 0; i < orderedIds.size(); ++i) {
        stmt->reset();
        stmt->bind(1, qint64(i)).bind(2, orderedIds[i]);
        if (auto ok = stmt->run(); !ok)
            return ok;
    }
    return tx->commit();
}

Result<ImportSummary> DatasetStore::importCases(qint64 datasetId, const QList<TestCaseData> &input,
                                                CaseSource source)
{
    return importCases(datasetId, input, source, {});
}

Result<ImportSummary> DatasetStore::importCases(qint64 datasetId, const QList<TestCaseData> &input,
                                                CaseSource source, const QList<CaseOrigin> &origins)
{
    if (auto d = dataset(datasetId); !d)
        return fail(d.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    // Point lookups on the (dataset_id, content_key) and (dataset_id, position) indexes: a chunk
    // of an import, or one case added from a log, reads nothing else of a large dataset.
    int nextPosition = 0;
    {
        auto last = m_db.prepare(
            QStringLiteral("SELECT max(position) FROM test_cases WHERE dataset_id = ?"));
        if (!last)
            return fail(last.error());
        last->bind(1, datasetId);
        auto row = last->step();
        if (!row)
            return fail(row.error());
        if (*row && !last->isNull(0))
            nextPosition = int(last->int64(0)) + 1;
    }
    auto existing = m_db.prepare(
        QStringLiteral("SELECT id FROM test_cases WHERE dataset_id = ? AND content_key = ?"));
    if (!existing)
        return fail(existing.error());
    QHash<QByteArray, qint64> known; // keys of this input, so repeats within it are skipped too
    ImportSummary summary;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const TestCaseData &data = input[i];
        const QByteArray key = contentKey(data);
        std::optional<qint64> duplicate;
        if (auto it = known.constFind(key); it != known.cend()) {
            duplicate = *it;
        } else {
            existing->reset();
            existing->bind(1, datasetId).bind(2, QString::fromLatin1(key));
            auto row = existing->step();
            if (!row)
                return fail(row.error());
            if (*row)
                duplicate = existing->int64(0);
        }
        if (duplicate) {
            known.insert(key, *duplicate);
            ++summary.skippedDuplicates;
            summary.idForInput.append(*duplicate);
            continue;
        }
        auto id = insertCase(datasetId, nextPosition++, data, key, source, origins.value(i));
        if (!id)
            return fail(id.error()); // the transaction rolls back: nothing is half imported
        known.insert(key, *id);
        summary.addedIds.append(*id);
        summary.idForInput.append(*id);
        ++summary.added;
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return summary;
}

Result<ImportSummary> DatasetStore::importFile(qint64 datasetId, const QString &path,
                                               const ImportOptions &options)
{
    auto parsed = importDatasetFile(path, options);
    if (!parsed)
        return fail(parsed.error());
    return importCases(datasetId, *parsed, CaseSource::Import);
}

Result<QByteArray> DatasetStore::exportCases(qint64 datasetId, ExportFormat format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (auto written = exportCases(datasetId, format, buffer); !written)
        return fail(written.error());
    return bytes;
}

Result<int> DatasetStore::exportCases(qint64 datasetId, ExportFormat format, QIODevice &out,
                                      const std::function<bool()> &cancelled)
{
    if (auto d = dataset(datasetId); !d)
        return fail(d.error());
    const auto stopped = [&] {
        return cancelled && cancelled();
    };
    CsvColumns columns;
    if (format == ExportFormat::Csv) {
        // CSV's header names every variable any case has: one pass to learn it.
        auto gathered = forEachCase(datasetId, [&](const TestCase &c) {
            columns.include(c.data);
            return !stopped();
        });
        if (!gathered)
            return fail(gathered.error());
        if (stopped())
            return fail(ErrorCode::Cancelled, QStringLiteral("The export was cancelled."));
        const QByteArray header = columns.headerRow();
        if (out.write(header) != header.size())
            return fail(ErrorCode::Io, out.errorString());
    }
    int written = 0;
    QString writeError;
    auto streamed = forEachCase(datasetId, [&](const TestCase &c) {
        const QByteArray bytes
            = format == ExportFormat::Csv ? columns.row(c.data) : jsonlLine(c.data);
        if (out.write(bytes) != bytes.size()) {
            writeError = out.errorString();
            return false;
        }
        ++written;
        return !stopped();
    });
    if (!streamed)
        return fail(streamed.error());
    if (!writeError.isNull())
        return fail(ErrorCode::Io,
                    writeError.isEmpty() ? QStringLiteral("Write failed.") : writeError);
    if (stopped())
        return fail(ErrorCode::Cancelled, QStringLiteral("The export was cancelled."));
    return written;
}

} // namespace ts
