#pragma once

#include "io/testcasedata.h"

#include <QList>
#include <QUndoCommand>

#include <memory>

namespace ts {

class DatasetsController;
struct CaseSlot;

/// A cell edit (the case's whole content before and after), undone by writing it back.
class CaseEditCommand final : public QUndoCommand
{
public:
    CaseEditCommand(DatasetsController &c, std::shared_ptr<CaseSlot> slot, TestCaseData before,
                    TestCaseData after, const QString &text);
    void undo() override;
    void redo() override;

private:
    DatasetsController &m_c;
    std::shared_ptr<CaseSlot> m_slot;
    TestCaseData m_before;
    TestCaseData m_after;
};

/// An added case: undo deletes it, redo brings that same case back.
class CaseAddCommand final : public QUndoCommand
{
public:
    CaseAddCommand(DatasetsController &c, qint64 datasetId, TestCaseData data,
                   QString duplicateHint, const QString &text);
    void undo() override;
    void redo() override;

private:
    DatasetsController &m_c;
    std::shared_ptr<CaseSlot> m_slot;
    TestCaseData m_data;
    QString m_hint;
    bool m_added = false;
};

/// Deleted cases: undo restores them where they were, with their assertions and eval links.
class CasesDeleteCommand final : public QUndoCommand
{
public:
    CasesDeleteCommand(DatasetsController &c, QList<std::shared_ptr<CaseSlot>> slots,
                       const QString &text);
    void undo() override;
    void redo() override;

private:
    DatasetsController &m_c;
    QList<std::shared_ptr<CaseSlot>> m_slots;
};

} // namespace ts
