#include "playground/playgroundcases.h"

#include "datasets/datasetstore.h"
#include "storage/database.h"
#include "storage/transaction.h"

#include <QObject>

namespace ts {

Result<QStringList> datasetNames(Database &db)
{
    auto datasets = DatasetStore(db).listDatasets();
    if (!datasets)
        return fail(datasets.error());
    QStringList names;
    for (const DatasetInfo &d : *datasets)
        names.append(d.name);
    names.sort(Qt::CaseInsensitive);
    return names;
}

Result<qint64> addPlaygroundCase(Database &db, const QString &datasetName, const TestCaseData &data)
{
    const QString name = datasetName.trimmed();
    if (name.isEmpty())
        return fail(ErrorCode::InvalidArgument, QObject::tr("Name the dataset the test case goes to."));
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore store(db);
    auto dataset = store.dataset(name);
    if (!dataset && dataset.error().code == ErrorCode::NotFound)
        dataset = store.createDataset(name, QObject::tr("Test cases saved from the playground"));
    if (!dataset)
        return fail(dataset.error());
    auto added = store.addCase(dataset->id, data, CaseSource::Playground);
    if (!added)
        return fail(added.error());
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return added->id;
}

} // namespace ts
