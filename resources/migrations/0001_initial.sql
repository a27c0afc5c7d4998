-- Schema v1: prompts with immutable versions, labels, drafts, models, datasets, runs.
-- JSON columns hold UTF-8 JSON text. Times are ISO 8601 UTC strings.

CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE prompts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE prompt_versions (
    id              INTEGER PRIMARY KEY,
    prompt_id       INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    parent_id       INTEGER REFERENCES prompt_versions(id),
    messages        TEXT NOT NULL,          -- [{"role":..., "template":...}]
    params          TEXT NOT NULL,          -- {"temperature":..., "max_tokens":..., ...}
    response_schema TEXT,                   -- JSON Schema or NULL
    tools           TEXT,                   -- tool definitions or NULL
    note            TEXT NOT NULL DEFAULT '',
    author          TEXT NOT NULL DEFAULT '',
    content_hash    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (prompt_id, number)
);
CREATE INDEX prompt_versions_by_hash ON prompt_versions(prompt_id, content_hash);

-- Immutability: a version never changes once written.
CREATE TRIGGER prompt_versions_immutable BEFORE UPDATE ON prompt_versions
BEGIN
    SELECT RAISE(ABORT, 'prompt versions are immutable');
END;

CREATE TABLE prompt_labels (
    prompt_id  INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES prompt_versions(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (prompt_id, name)
);

CREATE TABLE prompt_label_moves (
    id              INTEGER PRIMARY KEY,
    prompt_id       INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    from_version_id INTEGER REFERENCES prompt_versions(id),
    to_version_id   INTEGER REFERENCES prompt_versions(id),  -- NULL when the label was removed
    author          TEXT NOT NULL DEFAULT '',
    moved_at        TEXT NOT NULL
);

CREATE TABLE drafts (
    prompt_id       INTEGER PRIMARY KEY REFERENCES prompts(id) ON DELETE CASCADE,
    base_version_id INTEGER REFERENCES prompt_versions(id),
    content         TEXT NOT NULL,          -- same shape as a version's content
    updated_at      TEXT NOT NULL
);

CREATE TABLE models (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,   -- display name, unique in the project
    provider        TEXT NOT NULL CHECK (provider IN ('openai', 'anthropic', 'gemini', 'ollama')),
    base_url        TEXT NOT NULL,
    model_id        TEXT NOT NULL,
    params          TEXT NOT NULL DEFAULT '{}',
    key_ref         TEXT NOT NULL DEFAULT '', -- "env:VAR" or "keychain:ENTRY"; never the key itself
    price_input     REAL,                   -- per million input tokens
    price_output    REAL,                   -- per million output tokens
    max_concurrency INTEGER NOT NULL DEFAULT 4,
    created_at      TEXT NOT NULL
);

CREATE TABLE datasets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE test_cases (
    id          INTEGER PRIMARY KEY,
    dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    vars        TEXT NOT NULL DEFAULT '{}',
    expected    TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT 'manual'
                CHECK (source IN ('manual', 'import', 'log', 'synthetic', 'playground')),
    content_key TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (dataset_id, content_key)
);
CREATE INDEX test_cases_by_dataset ON test_cases(dataset_id, position);

CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('playground', 'eval', 'judge')),
    prompt_version_id INTEGER REFERENCES prompt_versions(id),
    model_id          INTEGER REFERENCES models(id) ON DELETE SET NULL,
    model_snapshot    TEXT NOT NULL DEFAULT '{}', -- the model config as used, without key
    dataset_id        INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    params            TEXT NOT NULL DEFAULT '{}', -- effective parameters
    samples           INTEGER NOT NULL DEFAULT 1,
    status            TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('pending', 'running', 'completed', 'cancelled', 'failed')),
    created_at        TEXT NOT NULL,
    finished_at       TEXT
);
CREATE INDEX runs_by_version ON runs(prompt_version_id);

CREATE TABLE generations (
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    test_case_id      INTEGER REFERENCES test_cases(id) ON DELETE SET NULL,
    sample_index      INTEGER NOT NULL DEFAULT 0,
    variables         TEXT NOT NULL DEFAULT '{}',
    request           TEXT NOT NULL DEFAULT '{}', -- rendered request (no secrets)
    output            TEXT NOT NULL DEFAULT '',
    reasoning         TEXT NOT NULL DEFAULT '',
    tool_calls        TEXT NOT NULL DEFAULT '[]',
    finish_reason     TEXT NOT NULL DEFAULT '',   -- provider's own value
    finish_kind       TEXT NOT NULL DEFAULT '',   -- normalized
    status            TEXT NOT NULL DEFAULT 'ok'
                      CHECK (status IN ('ok', 'error', 'cancelled', 'incomplete')),
    input_tokens      INTEGER,
    output_tokens     INTEGER,
    ttft_ms           REAL,
    latency_ms        REAL,
    cost              REAL,
    error_code        TEXT,
    error_message     TEXT,
    cache_hit         INTEGER NOT NULL DEFAULT 0,
    cache_key         TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX generations_by_run ON generations(run_id, test_case_id, sample_index);
CREATE INDEX generations_by_cache_key ON generations(cache_key) WHERE status = 'ok';
