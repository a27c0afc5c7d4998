#include "playground/runservices.h"

#include "common/projectsession.h"
#include "net/networkclient.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"

#include <QTimer>

namespace ts {

namespace {
// Jobs cancelled at close report back through the network thread; give them a moment to hand
// their partial text to the writer before it flushes and stops.
constexpr int retireDelayMs = 250;
} // namespace

RunServices::RunServices(ProjectSession &session, NetworkClient *network, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_network(network ? network : NetworkClient::instance())
{
    connect(&session, &ProjectSession::projectOpened, this, &RunServices::open);
    connect(&session, &ProjectSession::aboutToChangeProject, this, &RunServices::retire);
    connect(&session, &ProjectSession::projectClosed, this, &RunServices::retire);
    if (auto info = session.info())
        open(*info);
}

RunServices::~RunServices()
{
    delete m_engine;
    delete m_writer; // flushes what is pending; the app is quitting
}

void RunServices::open(const ProjectInfo &info)
{
    retire();
    m_writer = new GenerationWriter(info.path, this);
    m_engine = new RunEngine(m_writer, m_network, this);
    connect(m_writer, &GenerationWriter::writeFailed, this,
            [this](const Error &error) { Q_EMIT writeFailed(error.message); });
    Q_EMIT engineChanged(m_engine);
}

void RunServices::retire()
{
    if (!m_writer)
        return;
    Q_EMIT engineRetiring();
    GenerationWriter *writer = m_writer;
    RunEngine *engine = m_engine;
    m_writer = nullptr;
    m_engine = nullptr;
    Q_EMIT engineChanged(nullptr);
    QTimer::singleShot(retireDelayMs, writer, [writer, engine] {
        writer->flush(writer, [writer, engine](Result<void>) {
            delete engine;
            writer->deleteLater();
        });
    });
}

} // namespace ts
