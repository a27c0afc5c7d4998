#include "io/csvreader.h"

namespace ts {

CsvReader::CsvReader(QByteArrayView bytes, QString fileName)
    : m_source(bytes)
    , m_fileName(std::move(fileName))
{
}

QString CsvReader::location(qsizetype offset) const
{
    const TextPosition p = m_source.position(offset);
    return QStringLiteral("%1:%2:%3").arg(m_fileName).arg(p.line).arg(p.column);
}

QString CsvReader::lineLocation(qsizetype offset) const
{
    return QStringLiteral("%1:%2").arg(m_fileName).arg(m_source.position(offset).line);
}

void CsvReader::addError(qsizetype offset, const QString &message)
{
    if (m_errors.size() < m_maxErrors)
        m_errors.append(location(offset) + QStringLiteral(": ") + message);
}

bool CsvReader::read(int maxErrors)
{
    m_maxErrors = std::max(1, maxErrors);
    const QByteArrayView bytes = m_source.bytes();
    m_pos = SourceText::bomLength(bytes);
    while (m_pos < bytes.size() && !m_fatal && m_errors.size() < m_maxErrors) {
        if (atRecordEnd()) { // an empty line: nothing a user meant as a row
            skipRecordEnd();
            continue;
        }
        CsvRecord record;
        record.offset = m_pos;
        if (!readRecord(record))
            break;
        m_records.append(std::move(record));
    }
    return m_errors.isEmpty();
}

bool CsvReader::atRecordEnd() const
{
    const QByteArrayView bytes = m_source.bytes();
    return m_pos >= bytes.size() || bytes[m_pos] == '\n' || bytes[m_pos] == '\r';
}

void CsvReader::skipRecordEnd()
{
    const QByteArrayView bytes = m_source.bytes();
    if (m_pos < bytes.size() && bytes[m_pos] == '\r')
        ++m_pos;
    if (m_pos < bytes.size() && bytes[m_pos] == '\n')
        ++m_pos;
}

bool CsvReader::readRecord(CsvRecord &record)
{
    const QByteArrayView bytes = m_source.bytes();
    for (;;) {
        const qsizetype start = m_pos;
        QByteArray raw;
        if (m_pos < bytes.size() && bytes[m_pos] == '"') {
            if (!readQuoted(raw))
                return false;
        } else {
            readUnquoted(raw);
        }
        finishField(record, raw, start);
        if (m_pos < bytes.size() && bytes[m_pos] == ',') {
            ++m_pos;
            continue;
        }
        skipRecordEnd();
        return true;
    }
}

bool CsvReader::readQuoted(QByteArray &out)
{
    const QByteArrayView bytes = m_source.bytes();
    const qsizetype open = m_pos++;
    for (;;) {
        if (m_pos >= bytes.size()) {
            addError(open,
                     QStringLiteral("unterminated quoted field: the quote opened here is "
                                    "never closed"));
            m_fatal = true;
            return false;
        }
        const char c = bytes[m_pos];
        if (c != '"') {
            out.append(c);
            ++m_pos;
            continue;
        }
        if (m_pos + 1 < bytes.size() && bytes[m_pos + 1] == '"') {
            out.append('"');
            m_pos += 2;
            continue;
        }
        ++m_pos; // closing quote
        break;
    }
    if (m_pos < bytes.size() && bytes[m_pos] != ',' && !atRecordEnd()) {
        addError(m_pos,
                 QStringLiteral("unexpected text after a closing quote; a field must be "
                                "quoted as a whole"));
        // Keep the text so that one mistake produces one message, not a cascade.
        QByteArray rest;
        readUnquoted(rest);
        out.append(rest);
    }
    return true;
}

void CsvReader::readUnquoted(QByteArray &out)
{
    const QByteArrayView bytes = m_source.bytes();
    while (m_pos < bytes.size()) {
        const char c = bytes[m_pos];
        if (c == ',' || c == '\n' || c == '\r')
            break;
        if (c == '"') {
            addError(m_pos,
                     QStringLiteral("quote in the middle of an unquoted field; quote the "
                                    "whole field and double the quote (\"\")"));
        }
        out.append(c);
        ++m_pos;
    }
}

void CsvReader::finishField(CsvRecord &record, const QByteArray &raw, qsizetype start)
{
    // Validate in the source so the position is the byte's own line and column.
    const qsizetype bad = m_source.firstInvalidUtf8(start, m_pos);
    if (bad >= 0)
        addError(
            bad,
            QStringLiteral("invalid UTF-8 byte 0x%1; save the file as UTF-8")
                .arg(static_cast<unsigned char>(m_source.bytes()[bad]), 2, 16, QLatin1Char('0')));
    record.fields.append(CsvField {QString::fromUtf8(raw), start});
}

} // namespace ts
