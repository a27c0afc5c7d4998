#pragma once

#include "common/error.h"

#include <QString>

namespace ts {

class Database;

/// What exporting a queue as a label pack wrote.
struct PackExportSummary
{
    QString packId; ///< the uuid both queues now carry (queues.pack_id)
    QString path;
    int items = 0;
    int criterionVersions = 0;
    int labels = 0;
    int preferences = 0;
    int notes = 0;
    int corrections = 0;
};

/// What importing a label pack merged. "skipped" counts what was already here (the same
/// annotator had labeled that target on that wording): nothing is ever overwritten.
struct PackImportSummary
{
    QString packId;
    QString queue;
    bool createdQueue = false;
    int labelsAdded = 0;
    int labelsSkipped = 0;
    int preferencesAdded = 0;
    int preferencesSkipped = 0;
    int notesAdded = 0;
    int notesSkipped = 0;
    int correctionsAdded = 0;
    int correctionsSkipped = 0;
    int added() const { return labelsAdded + preferencesAdded + notesAdded + correctionsAdded; }
    int skipped() const
    {
        return labelsSkipped + preferencesSkipped + notesSkipped + correctionsSkipped;
    }
};

/// Label packs: a queue carried to a colleague as a small project file, without a server.
namespace labelpack {

/// Writes a new project file at `path` (which must not exist) holding only the queue, its
/// items with their snapshots, every wording of its criteria, and the labels, choices, notes
/// and corrections already given on its items — no models, keys, prompts, logs or anything
/// else. The pack and the queue share a pack id (a uuid, given to the queue on its first
/// export), by which importing finds the queue again. The pack is a normal project: the
/// Annotate section labels it.
Result<PackExportSummary> exportPack(Database &db, const QString &queueName, const QString &path);

/// Merges a pack's labels, choices, notes and corrections, with their annotator names, into
/// the queue with the pack's id (or a new queue made from the pack's items when there is
/// none), criteria matched by name and wording. Never overwrites anyone's label; importing
/// the same pack again adds nothing. One transaction.
Result<PackImportSummary> importPack(Database &db, const QString &packPath);

/// The pack id a project file carries when it is a label pack (empty otherwise).
QString packIdOf(Database &db);

} // namespace labelpack

} // namespace ts
