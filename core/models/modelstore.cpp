#include "models/modelstore.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QUrl>

namespace ts {

namespace {

constexpr auto columns = "id, name, provider, base_url, model_id, params, key_ref, price_input, "
                         "price_output, max_concurrency FROM models ";

ModelConfig fromRow(const Statement &s)
{
    ModelConfig m;
    m.id = s.int64(0);
    m.name = s.text(1);
    m.provider = parseProviderKind(s.text(2)).value_or(ProviderKind::OpenAI);
    m.baseUrl = s.text(3);
    m.modelId = s.text(4);
    m.params = ModelParameters::fromJson(parseJson(s.text(5)).value_or(nlohmann::json::object()));
    m.keyRef = s.text(6);
    m.priceInputPerMTok = s.optionalReal(7);
    m.priceOutputPerMTok = s.optionalReal(8);
    m.maxConcurrency = int(s.int64(9));
    return m;
}

Statement &bindModel(Statement &s, const ModelConfig &m)
{
    return s.bind(1, m.name)
        .bind(2, providerKindName(m.provider))
        .bind(3, m.baseUrl)
        .bind(4, m.modelId)
        .bind(5, toJsonText(m.params.toJson()))
        .bind(6, m.keyRef)
        .bind(7, m.priceInputPerMTok)
        .bind(8, m.priceOutputPerMTok)
        .bind(9, m.maxConcurrency);
}

} // namespace

ModelStore::ModelStore(Database &db)
    : m_db(db)
{}

QString ModelStore::problem(const ModelConfig &m)
{
    if (m.name.trimmed().isEmpty())
        return QStringLiteral("A model needs a name");
    if (m.modelId.trimmed().isEmpty())
        return QStringLiteral("Model \"%1\" needs a model id (e.g. gpt-4o-mini)").arg(m.name);
    if (!m.baseUrl.isEmpty()) {
        const QUrl url(m.baseUrl);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return QStringLiteral("Base URL \"%1\" must start with http:// or https://").arg(m.baseUrl);
    }
    if (!m.keyRef.isEmpty() && !m.keyRef.startsWith(QLatin1String("env:"))
        && !m.keyRef.startsWith(QLatin1String("keychain:")))
        return QStringLiteral("The key reference must be env:VARIABLE or keychain:ENTRY. "
                              "Touchstone never stores the key itself in the project.");
    if (m.keyRef.size() > 200)
        return QStringLiteral("The key reference is too long; it should name where the key is, not contain it");
    if (m.maxConcurrency < 1 || m.maxConcurrency > 256)
        return QStringLiteral("Concurrency must be between 1 and 256");
    if ((m.priceInputPerMTok && *m.priceInputPerMTok < 0) || (m.priceOutputPerMTok && *m.priceOutputPerMTok < 0))
        return QStringLiteral("Prices cannot be negative");
    return {};
}

Result<QList<ModelConfig>> ModelStore::list()
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(columns)
                             + QStringLiteral("ORDER BY name COLLATE NOCASE"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->all(fromRow);
}

Result<ModelConfig> ModelStore::find(const QString &name)
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(columns) + QStringLiteral("WHERE name = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, name);
    return stmt->one(fromRow, QStringLiteral("No model named \"%1\" in this project").arg(name));
}

Result<ModelConfig> ModelStore::find(qint64 id)
{
    auto stmt = m_db.prepare(QStringLiteral("SELECT ") + QLatin1String(columns) + QStringLiteral("WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    return stmt->one(fromRow, QStringLiteral("No model with id %1").arg(id));
}

Result<ModelConfig> ModelStore::add(const ModelConfig &model)
{
    if (const QString p = problem(model); !p.isEmpty())
        return fail(ErrorCode::InvalidArgument, p);
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO models(name, provider, base_url, model_id, params, key_ref, price_input, "
        "price_output, max_concurrency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    bindModel(*stmt, model).bind(10, nowUtc());
    if (auto ok = stmt->run(); !ok) {
        if (ok.error().code == ErrorCode::AlreadyExists)
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("A model named \"%1\" already exists").arg(model.name));
        return fail(ok.error());
    }
    return find(m_db.lastInsertId());
}

Result<ModelConfig> ModelStore::update(const ModelConfig &model)
{
    if (const QString p = problem(model); !p.isEmpty())
        return fail(ErrorCode::InvalidArgument, p);
    auto stmt = m_db.prepare(QStringLiteral(
        "UPDATE models SET name = ?, provider = ?, base_url = ?, model_id = ?, params = ?, "
        "key_ref = ?, price_input = ?, price_output = ?, max_concurrency = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    bindModel(*stmt, model).bind(10, model.id);
    if (auto ok = stmt->run(); !ok) {
        if (ok.error().code == ErrorCode::AlreadyExists)
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("A model named \"%1\" already exists").arg(model.name));
        return fail(ok.error());
    }
    return find(model.id);
}

Result<void> ModelStore::remove(const QString &name)
{
    auto model = find(name);
    if (!model)
        return fail(model.error());
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM models WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->bind(1, model->id).run();
}

} // namespace ts
