#pragma once

class QWidget;

namespace ts {

class ProjectSession;

/// File ▸ Check Project Integrity…: the full check that opening no longer runs (issue 13), on a
/// reader connection with a progress dialog and Cancel; the result in a message box.
void checkProjectIntegrity(QWidget *parent, ProjectSession &session);

} // namespace ts
