#include "evals/caseundocommands.h"

#include "evals/caseslot.h"
#include "evals/datasetscontroller.h"

namespace ts {

CaseEditCommand::CaseEditCommand(DatasetsController &c, std::shared_ptr<CaseSlot> slot,
                                 TestCaseData before, TestCaseData after, const QString &text)
    : QUndoCommand(text)
    , m_c(c)
    , m_slot(std::move(slot))
    , m_before(std::move(before))
    , m_after(std::move(after))
{
}

void CaseEditCommand::undo()
{
    m_c.writeCase(m_slot, m_before);
}

void CaseEditCommand::redo()
{
    m_c.writeCase(m_slot, m_after);
}

CaseAddCommand::CaseAddCommand(DatasetsController &c, qint64 datasetId, TestCaseData data,
                               QString duplicateHint, const QString &text)
    : QUndoCommand(text)
    , m_c(c)
    , m_slot(std::make_shared<CaseSlot>())
    , m_data(std::move(data))
    , m_hint(std::move(duplicateHint))
{
    m_slot->datasetId = datasetId;
}

void CaseAddCommand::undo()
{
    m_c.removeSlots({m_slot});
}

void CaseAddCommand::redo()
{
    if (m_added) {
        m_c.restoreSlots({m_slot});
        return;
    }
    m_added = true;
    m_c.insertSlot(m_slot, m_data, m_hint);
}

CasesDeleteCommand::CasesDeleteCommand(DatasetsController &c,
                                       QList<std::shared_ptr<CaseSlot>> slots, const QString &text)
    : QUndoCommand(text)
    , m_c(c)
    , m_slots(std::move(slots))
{
}

void CasesDeleteCommand::undo()
{
    m_c.restoreSlots(m_slots);
}

void CasesDeleteCommand::redo()
{
    m_c.removeSlots(m_slots);
}

} // namespace ts
