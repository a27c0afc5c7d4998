#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

namespace ts {

class Database;

/// One wording of a criterion: the yes/no question people answer.
struct CriterionVersion
{
    qint64 id = 0; ///< criterion_versions.id: what a label points at
    qint64 criterionId = 0;
    QString name;
    int version = 0;
    QString question;
    QString description;
    QString author;
    QString createdAt;
};

/// Named yes/no questions ("Factually consistent with the ticket"), versioned like rubrics:
/// editing adds a version and labels keep the wording they answered.
class CriterionStore final
{
public:
    explicit CriterionStore(Database &db);

    /// Creates a criterion with its first wording; AlreadyExists when the name is taken.
    Result<CriterionVersion> create(const QString &name, const QString &question,
                                    const QString &description = {}, const QString &author = {});
    /// The latest wording, creating the criterion (question = name) when it does not exist.
    Result<CriterionVersion> ensure(const QString &name, const QString &author = {});
    /// A new wording; identical wording is a no-op returning the latest version.
    Result<CriterionVersion> edit(const QString &name, const QString &question,
                                  const QString &description, const QString &author = {});
    /// The latest wording of each criterion, by name.
    Result<QList<CriterionVersion>> list();
    Result<CriterionVersion> latest(const QString &name);
    Result<CriterionVersion> latest(qint64 criterionId);
    Result<CriterionVersion> version(qint64 criterionVersionId);
    /// Every wording, oldest first.
    Result<QList<CriterionVersion>> history(const QString &name);
    /// The version with this number, creating it with `question` when missing (label packs).
    Result<CriterionVersion> ensureVersion(const QString &name, int version, const QString &question,
                                           const QString &description, const QString &author);

private:
    Database &m_db;
};

} // namespace ts
