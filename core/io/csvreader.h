#pragma once

#include "io/sourcetext.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace ts {

/// One field of a CSV record with the byte offset where it starts (for error positions).
struct CsvField
{
    QString text;
    qsizetype offset = 0;
};

/// One CSV record (a row; it may span several lines when a quoted field holds newlines).
struct CsvRecord
{
    QList<CsvField> fields;
    qsizetype offset = 0;
};

/// An RFC 4180 reader: comma-separated, `"`-quoted fields with `""` escapes, embedded commas
/// and newlines, CRLF or LF (or lone CR) record ends, a leading UTF-8 BOM skipped. Empty lines
/// between records are skipped. Errors are collected as "file:line:col: message".
class CsvReader final
{
public:
    CsvReader(QByteArrayView bytes, QString fileName);

    /// Reads every record; stops early once `maxErrors` errors were found or a quoted field
    /// never ends. Returns true if there were no errors.
    bool read(int maxErrors = 1);

    const QList<CsvRecord> &records() const { return m_records; }
    const QStringList &errors() const { return m_errors; }

    /// "file:line:col" of a byte offset, and "file:line" of the line holding it.
    QString location(qsizetype offset) const;
    QString lineLocation(qsizetype offset) const;

    void addError(qsizetype offset, const QString &message);

private:
    bool readRecord(CsvRecord &record);
    bool readQuoted(QByteArray &out);
    void readUnquoted(QByteArray &out);
    void finishField(CsvRecord &record, const QByteArray &raw, qsizetype start);
    bool atRecordEnd() const;
    void skipRecordEnd();

    SourceText m_source;
    QString m_fileName;
    qsizetype m_pos = 0;
    int m_maxErrors = 1;
    bool m_fatal = false;
    QList<CsvRecord> m_records;
    QStringList m_errors;
};

} // namespace ts
