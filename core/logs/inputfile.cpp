#include "logs/inputfile.h"

#include <QFile>
#include <QFileInfo>

#include <zlib.h>

#include <streambuf>

namespace ts {

namespace {
constexpr int headSize = 64 * 1024;
constexpr int chunkSize = 256 * 1024;
} // namespace

struct InputFile::State : std::streambuf
{
    QString path;
    gzFile gz = nullptr;
    qint64 fileSize = 0;
    QByteArray memory; // fromBytes(): the whole content
    bool inMemory = false;
    QByteArray buffer; // decompressed bytes not yet consumed, from `pos`
    qsizetype pos = 0;
    QByteArray head;
    bool eof = false;
    bool error = false;
    QString errorText;
    qint64 line = 0;
    std::istream in {this};

    ~State() override
    {
        if (gz)
            gzclose(gz);
    }

    /// Appends up to one chunk to the buffer; false at the end or on an error.
    bool fill()
    {
        if (eof)
            return false;
        if (inMemory) {
            eof = true;
            return false;
        }
        if (pos > 0 && pos >= buffer.size() / 2) {
            buffer.remove(0, pos);
            pos = 0;
        }
        const qsizetype old = buffer.size();
        buffer.resize(old + chunkSize);
        const int n = gzread(gz, buffer.data() + old, unsigned(chunkSize));
        if (n < 0) {
            int code = 0;
            errorText = QString::fromUtf8(gzerror(gz, &code));
            error = true;
            buffer.resize(old);
            eof = true;
            return false;
        }
        buffer.resize(old + n);
        if (n == 0) {
            eof = true;
            // A gzip file cut short reads as a clean end with gzread(); gzerror says why.
            int code = Z_OK;
            const char *message = gzerror(gz, &code);
            if (code != Z_OK && code != Z_STREAM_END) {
                error = true;
                errorText = QString::fromUtf8(message);
            }
            return false;
        }
        return true;
    }

    // std::streambuf: serve the buffer, then read more.
    int_type underflow() override
    {
        if (pos >= buffer.size()) {
            buffer.clear();
            pos = 0;
            while (pos >= buffer.size())
                if (!fill())
                    return traits_type::eof();
        }
        char *begin = buffer.data() + pos;
        char *end = buffer.data() + buffer.size();
        setg(begin, begin, end);
        pos = buffer.size(); // everything handed to the stream is consumed
        return traits_type::to_int_type(*begin);
    }
};

InputFile::InputFile(std::unique_ptr<State> state)
    : d(std::move(state))
{
}

InputFile::InputFile(InputFile &&) noexcept = default;
InputFile &InputFile::operator=(InputFile &&) noexcept = default;
InputFile::~InputFile() = default;

Result<InputFile> InputFile::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fail(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (info.isDir())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: is a folder, not a file").arg(path));
    auto state = std::make_unique<State>();
    state->path = path;
    state->fileSize = info.size();
    state->gz = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!state->gz)
        return fail(ErrorCode::Io, QStringLiteral("%1: cannot be read").arg(path));
    gzbuffer(state->gz, chunkSize);
    while (state->buffer.size() < headSize && state->fill()) { }
    if (state->error && state->buffer.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: not readable (%2)").arg(path, state->errorText));
    if (state->buffer.startsWith("\xEF\xBB\xBF"))
        state->pos = 3; // a UTF-8 byte order mark is not content
    state->head = state->buffer.mid(state->pos, headSize);
    return InputFile(std::move(state));
}

InputFile InputFile::fromBytes(QByteArray bytes, const QString &name)
{
    auto state = std::make_unique<State>();
    state->path = name;
    state->inMemory = true;
    state->fileSize = bytes.size();
    state->buffer = std::move(bytes);
    if (state->buffer.startsWith("\xEF\xBB\xBF"))
        state->pos = 3;
    state->head = state->buffer.mid(state->pos, headSize);
    return InputFile(std::move(state));
}

QString InputFile::path() const
{
    return d->path;
}

QByteArray InputFile::head() const
{
    return d->head;
}

std::optional<QByteArray> InputFile::readLine()
{
    const auto line = readLineView();
    return line ? std::optional<QByteArray>(line->toByteArray()) : std::nullopt;
}

std::optional<QByteArrayView> InputFile::readLineView()
{
    for (;;) {
        const qsizetype nl = d->buffer.indexOf('\n', d->pos);
        qsizetype end = nl;
        if (nl < 0) {
            if (d->fill())
                continue;
            if (d->pos >= d->buffer.size())
                return std::nullopt;
            end = d->buffer.size(); // the last line, without a newline
        }
        QByteArrayView line(d->buffer.constData() + d->pos, end - d->pos);
        d->pos = nl < 0 ? end : nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        ++d->line;
        return line;
    }
}

qint64 InputFile::lineNumber() const
{
    return d->line;
}

std::istream &InputFile::stream()
{
    return d->in;
}

qint64 InputFile::position() const
{
    if (d->inMemory || !d->gz)
        return d->pos;
    const auto offset = gzoffset(d->gz);
    return offset < 0 ? 0 : qint64(offset);
}

qint64 InputFile::size() const
{
    return d->fileSize;
}

bool InputFile::failed() const
{
    return d->error;
}

QString InputFile::errorString() const
{
    return d->errorText;
}

} // namespace ts
