#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <type_traits>
#include <utility>

struct sqlite3_stmt;

namespace ts {

/// A prepared statement (RAII). Bind with 1-based indexes, step, read 0-based columns.
class Statement final
{
public:
    Statement() = default;
    explicit Statement(sqlite3_stmt *stmt);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, bool value) { return bind(index, qint64(value ? 1 : 0)); }
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const char *utf8) { return bind(index, QString::fromUtf8(utf8)); }
    Statement &bind(int index, const QByteArray &blob);
    Statement &bindNull(int index);
    template<typename T>
    Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    /// Advances; true when a row is available, false when done.
    Result<bool> step();
    /// Steps to completion, for statements that return no rows.
    Result<void> run();
    /// Steps through every remaining row, mapping each with `map(const Statement &)`.
    template<typename Map>
    auto all(Map map) -> Result<QList<std::invoke_result_t<Map, const Statement &>>>
    {
        QList<std::invoke_result_t<Map, const Statement &>> rows;
        for (;;) {
            auto row = step();
            if (!row)
                return tl::unexpected<Error>(row.error());
            if (!*row)
                return rows;
            rows.append(map(std::as_const(*this)));
        }
    }
    /// The next row mapped with `map`, or a NotFound error saying `notFound`.
    template<typename Map>
    auto one(Map map, const QString &notFound) -> Result<std::invoke_result_t<Map, const Statement &>>
    {
        auto row = step();
        if (!row)
            return tl::unexpected<Error>(row.error());
        if (!*row)
            return tl::unexpected<Error>(Error{ErrorCode::NotFound, notFound});
        return map(std::as_const(*this));
    }
    void reset();

    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    std::optional<qint64> optionalInt(int column) const;
    std::optional<double> optionalReal(int column) const;
    std::optional<QString> optionalText(int column) const;

private:
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace ts
