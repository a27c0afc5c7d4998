#include "logs/logimportdialog.h"

#include "common/themecolors.h"
#include "logs/logimportjob.h"
#include "logs/logtablemodel.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace ts {

namespace {
// The first problems are shown; the rest are counted.
constexpr int problemsShown = 20;

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(formatCount(n), n == 1 ? one : many);
}

QString timeLeft(int seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 5)
        return QObject::tr("a few seconds left");
    if (seconds < 90)
        return QObject::tr("about %1 s left").arg(seconds);
    return QObject::tr("about %1 min left").arg((seconds + 30) / 60);
}
} // namespace

LogImportDialog::LogImportDialog(LogImportJob *job, QWidget *parent)
    : QDialog(parent)
    , m_job(job)
{
    setWindowTitle(tr("Import Logs"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    const QStringList files = job->files();
    QString names = QFileInfo(files.value(0)).fileName();
    if (files.size() > 1)
        names = tr("%1 and %2")
                    .arg(names, plural(files.size() - 1, tr("more file"), tr("more files")));
    m_heading = new QLabel(tr("<b>Importing %1</b>").arg(names.toHtmlEscaped()), this);
    m_heading->setWordWrap(true);
    layout->addWidget(m_heading);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 0);
    m_bar->setTextVisible(false);
    layout->addWidget(m_bar);
    m_detail = new QLabel(tr("Detecting the format…"), this);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_detail);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->hide();
    layout->addWidget(m_summary);
    m_problems = new QPlainTextEdit(this);
    m_problems->setReadOnly(true);
    m_problems->setFont(editorFont());
    m_problems->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_problems->setMaximumHeight(fontMetrics().height() * 9);
    m_problems->hide();
    layout->addWidget(m_problems);
    m_buttons = new QDialogButtonBox(this);
    m_cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setToolTip(tr("Stop after the current batch; what is imported stays"));
    layout->addWidget(m_buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * 84);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_finished) {
            close();
            return;
        }
        if (m_job)
            m_job->cancel();
        m_cancel->setEnabled(false);
        m_detail->setText(tr("Cancelling after the current batch…"));
    });
    connect(job, &LogImportJob::progressed, this, &LogImportDialog::updateProgress);
    connect(job, &LogImportJob::finished, this, [this, job] { showResult(job->result()); });
}

void LogImportDialog::updateProgress(qint64 done, qint64 total)
{
    if (m_finished || (m_job && m_job->isCancelling()))
        return;
    if (total <= 0) {
        m_bar->setRange(0, 0);
        return;
    }
    m_bar->setRange(0, 1000);
    m_bar->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
    const QLocale locale(QLocale::English);
    QString text = tr("%1 of %2")
                       .arg(locale.formattedDataSize(done, 1, QLocale::DataSizeSIFormat),
                            locale.formattedDataSize(total, 1, QLocale::DataSizeSIFormat));
    if (const QString left = timeLeft(m_job ? m_job->secondsLeft() : -1); !left.isEmpty())
        text += QStringLiteral(" · ") + left;
    m_detail->setText(text);
}

QString LogImportDialog::summaryLine(const LogImportSummary &s)
{
    QStringList parts;
    parts << tr("Imported %1.").arg(plural(s.imported, tr("record"), tr("records")));
    if (s.duplicates)
        parts << tr("%1 already in the project.")
                     .arg(plural(s.duplicates, tr("duplicate"), tr("duplicates")));
    if (s.malformed)
        parts << tr("%1 skipped.")
                     .arg(plural(s.malformed, tr("malformed record"), tr("malformed records")));
    if (s.notLlmCalls)
        parts
            << tr("%1 not LLM calls.").arg(plural(s.notLlmCalls, tr("span was"), tr("spans were")));
    return parts.join(QLatin1Char(' '));
}

void LogImportDialog::showResult(const Result<LogImportSummary> &result)
{
    m_finished = true;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_bar->hide();
    m_detail->hide();
    m_cancel->setEnabled(true);
    m_cancel->setText(tr("Close"));
    m_cancel->setToolTip({});
    m_cancel->setDefault(true);
    m_cancel->setFocus();
    m_summary->show();
    if (!result) {
        m_heading->setText(tr("<b>Nothing was imported</b>"));
        m_summary->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                               .arg(c.error.name(), result.error().message.toHtmlEscaped()));
        return;
    }
    const LogImportSummary &s = *result;
    m_heading->setText(s.cancelled ? tr("<b>Import cancelled</b>") : tr("<b>Import finished</b>"));
    QStringList lines;
    lines << tr("<span style='color:%1'>✓</span> Imported <b>%2</b>.")
                 .arg(c.addedText.name(), plural(s.imported, tr("record"), tr("records")));
    if (s.duplicates)
        lines << tr("%1 already in the project were skipped.")
                     .arg(plural(s.duplicates, tr("duplicate"), tr("duplicates")));
    if (s.notLlmCalls)
        lines << tr("%1 not LLM calls (kept to show traces).")
                     .arg(plural(s.notLlmCalls, tr("span was"), tr("spans were")));
    if (s.malformed)
        lines << tr("<span style='color:%1'>%2 skipped:</span>")
                     .arg(c.error.name(),
                          plural(s.malformed, tr("malformed record"), tr("malformed records")));
    if (!s.formats.isEmpty()) {
        QStringList unique;
        for (const QString &f : s.formats)
            if (!unique.contains(f))
                unique << f;
        lines << QStringLiteral("<span style='color:%1'>%2</span>")
                     .arg(c.muted.name(), tr("Read as %1.").arg(unique.join(QStringLiteral(", "))));
    }
    if (s.cancelled)
        lines << tr("What was imported before the cancel stays. Importing the same files again "
                    "continues without duplicates.");
    m_summary->setText(lines.join(QStringLiteral("<br>")));
    if (s.malformed && !s.problems.isEmpty()) {
        QStringList shown = s.problems.mid(0, problemsShown);
        if (s.malformed > shown.size())
            shown << tr("… and %1 more").arg(formatCount(s.malformed - shown.size()));
        m_problems->setPlainText(shown.join(QLatin1Char('\n')));
        m_problems->show();
    }
    adjustSize();
}

QString LogImportDialog::summaryText() const
{
    QString text = m_heading->text() + QLatin1Char('\n') + m_summary->text();
    if (m_problems->isVisible() || !m_problems->toPlainText().isEmpty())
        text += QLatin1Char('\n') + m_problems->toPlainText();
    return text;
}

QString LogImportDialog::progressText() const
{
    return m_detail->text();
}

} // namespace ts
