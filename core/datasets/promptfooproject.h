#pragma once

#include "common/error.h"
#include "io/promptfooimport.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ts {

class Database;

/// What importing a promptfoo config into a project created.
struct PromptfooProjectImport
{
    struct Item
    {
        QString name;
        int version = 0; ///< prompts: the version saved (or the identical existing one)
        bool created = false; ///< false when it already existed
    };
    QList<Item> prompts;
    QList<Item> models;
    QString datasetName;
    int casesAdded = 0;
    int casesSkipped = 0; ///< duplicates of existing cases
    int datasetAssertions = 0;
    int caseAssertions = 0;
    /// Everything not carried over, with where it was (the import's own list plus what the
    /// project refused, e.g. an assertion whose regex does not compile).
    QStringList unmapped;
};

/// Stores a parsed promptfoo config in one transaction: each prompt as a version of a prompt
/// with its name, each provider as a model (keys by environment variable name only, never
/// values; a model name that exists is reused), the tests as cases of dataset `datasetName`
/// (created when missing) with defaultTest.vars merged under each test's vars, defaultTest
/// assertions on the dataset and each test's assertions on its case.
Result<PromptfooProjectImport>
importPromptfooIntoProject(Database &db, const PromptfooImport &config, const QString &datasetName);

} // namespace ts
