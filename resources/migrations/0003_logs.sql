-- Schema v3: production logs (one row per LLM call), the spans around them, imports, and
-- test cases that came from a log record.

CREATE TABLE logs (
    id                INTEGER PRIMARY KEY,
    start_time        TEXT,              -- ISO 8601 UTC with milliseconds; NULL = unknown
    end_time          TEXT,
    latency_ms        REAL,              -- end - start, or as the source recorded it
    ttft_ms           REAL,
    model             TEXT,              -- response model when known, else request model
    provider          TEXT,
    messages          TEXT NOT NULL DEFAULT '[]', -- [{role, content, tool_calls, tool_call_id}]
    output            TEXT,
    output_tool_calls TEXT,              -- JSON [{id, name, arguments}] or NULL
    reasoning         TEXT,
    finish_reason     TEXT,
    input_tokens      INTEGER,
    output_tokens     INTEGER,
    total_tokens      INTEGER,           -- for sorting; NULL when both are unknown
    cost              REAL,
    status            TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'error')),
    error             TEXT,
    trace_id          TEXT,              -- lower-case hex
    span_id           TEXT,
    parent_span_id    TEXT,
    session_id        TEXT,
    prompt_name       TEXT,
    prompt_version    TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    has_tool_calls    INTEGER NOT NULL DEFAULT 0,
    input_preview     TEXT,              -- first words of the last user message, for tables
    output_preview    TEXT,
    source_format     TEXT NOT NULL,
    source_file       TEXT,
    dedupe_key        TEXT NOT NULL UNIQUE, -- 'span:TRACE:SPAN' or 'hash:SHA256'
    imported_at       TEXT NOT NULL
);
CREATE INDEX logs_by_time ON logs(start_time, id);
CREATE INDEX logs_by_model ON logs(model, start_time);
CREATE INDEX logs_by_status ON logs(status, start_time);
CREATE INDEX logs_by_prompt ON logs(prompt_name, prompt_version, start_time);
CREATE INDEX logs_by_trace ON logs(trace_id, span_id);
CREATE INDEX logs_by_latency ON logs(latency_ms);
CREATE INDEX logs_by_tokens ON logs(total_tokens);
CREATE INDEX logs_by_import ON logs(imported_at);

-- Full-text search over inputs and outputs. Contentless: the text lives in `logs` only, and
-- rowid = logs.id.
CREATE VIRTUAL TABLE logs_fts USING fts5(input, output, content='',
                                         tokenize='unicode61 remove_diacritics 2');

-- Spans of the same traces that are not LLM calls (HTTP, database, chains): kept small so a
-- record's trace can be shown, never imported as records.
CREATE TABLE trace_spans (
    trace_id       TEXT NOT NULL,
    span_id        TEXT NOT NULL,
    parent_span_id TEXT,
    name           TEXT NOT NULL DEFAULT '',
    start_time     TEXT,
    end_time       TEXT,
    status         TEXT,
    PRIMARY KEY (trace_id, span_id)
) WITHOUT ROWID;

-- One row per import or live collection session, with its summary.
CREATE TABLE log_imports (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,          -- file names, or 'otlp-http://host:port'
    format       TEXT NOT NULL DEFAULT '',
    imported     INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    malformed    INTEGER NOT NULL DEFAULT 0,
    not_llm      INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT
);

-- A case made from a log record keeps the record's output (to compare new versions against)
-- and a link back to the record.
ALTER TABLE test_cases ADD COLUMN production_output TEXT;
ALTER TABLE test_cases ADD COLUMN log_id INTEGER REFERENCES logs(id) ON DELETE SET NULL;
