-- Schema v6: monitors (continuous evaluation of production logs) and their per-record results.

-- A monitor applies a dataset's dataset-level assertions (and optionally an LLM judge on a
-- sampled fraction, with a cost cap per run) to the log records its filters take.
CREATE TABLE monitors (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    dataset_id      INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    model           TEXT,                 -- NULL: every model
    prompt_name     TEXT,                 -- NULL: every prompt
    prompt_version  TEXT,                 -- only with prompt_name
    threshold       REAL NOT NULL DEFAULT 0.9 CHECK (threshold >= 0 AND threshold <= 1),
    window_unit     TEXT NOT NULL DEFAULT 'day' CHECK (window_unit IN ('day', 'week')),
    judge_id        INTEGER REFERENCES judges(id) ON DELETE SET NULL,
    judge_fraction  REAL NOT NULL DEFAULT 0 CHECK (judge_fraction >= 0 AND judge_fraction <= 1),
    judge_cost_cap  REAL CHECK (judge_cost_cap IS NULL OR judge_cost_cap >= 0), -- USD per run
    created_at      TEXT NOT NULL
);

-- One row per (monitor, record) checked. pass NULL: no verdict (the call failed or has no
-- output), left out of every rate. The judge columns are set once the judge ran on a
-- sampled record; pass/score/reason then include its verdict.
CREATE TABLE monitor_results (
    monitor_id    INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
    log_id        INTEGER NOT NULL REFERENCES logs(id) ON DELETE CASCADE,
    pass          INTEGER,
    score         REAL,
    reason        TEXT NOT NULL DEFAULT '',
    judge_pass    INTEGER,
    judge_score   REAL,
    judge_reason  TEXT,
    judge_error   TEXT,
    judge_cost    REAL,
    judged_at     TEXT,
    checked_at    TEXT NOT NULL,
    PRIMARY KEY (monitor_id, log_id)
) WITHOUT ROWID;
CREATE INDEX monitor_results_by_log ON monitor_results(log_id);
