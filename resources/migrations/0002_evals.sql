-- Schema v2: assertions, LLM judges, evals (variants over a dataset) and their results.

-- A test case's own pass threshold on the weighted assertion score (promptfoo's `threshold`).
ALTER TABLE test_cases ADD COLUMN threshold REAL;

-- Deterministic checks: on a whole dataset (test_case_id NULL) or on one test case.
CREATE TABLE assertions (
    id           INTEGER PRIMARY KEY,
    dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    test_case_id INTEGER REFERENCES test_cases(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    type         TEXT NOT NULL,            -- "contains", "not-regex", ...
    value        TEXT,                     -- JSON text or NULL
    weight       REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),
    threshold    REAL,
    created_at   TEXT NOT NULL
);
CREATE INDEX assertions_by_dataset ON assertions(dataset_id, test_case_id, position);

-- An LLM judge: its prompt is an ordinary versioned prompt; prompt_ref pins a version
-- number or a label ('' = latest).
CREATE TABLE judges (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('pointwise', 'pairwise', 'factuality')),
    prompt_id      INTEGER NOT NULL REFERENCES prompts(id),
    prompt_ref     TEXT NOT NULL DEFAULT '',
    model_id       INTEGER REFERENCES models(id) ON DELETE SET NULL,
    rubric         TEXT NOT NULL DEFAULT '',
    score_min      REAL NOT NULL DEFAULT 0,
    score_max      REAL NOT NULL DEFAULT 1,
    pass_threshold REAL NOT NULL DEFAULT 0.5,
    created_at     TEXT NOT NULL
);

-- An eval: variants (prompt version x model, one run each) over one dataset.
CREATE TABLE evals (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',
    dataset_id  INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    samples     INTEGER NOT NULL DEFAULT 1 CHECK (samples >= 1),
    concurrency INTEGER NOT NULL DEFAULT 4 CHECK (concurrency >= 1),
    use_cache   INTEGER NOT NULL DEFAULT 1,
    config      TEXT NOT NULL DEFAULT '{}', -- the settings as given (judges, assertions)
    fingerprint TEXT NOT NULL DEFAULT '',   -- equal for the same variants, dataset and settings
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('pending', 'running', 'completed', 'cancelled', 'failed')),
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX evals_by_fingerprint ON evals(fingerprint, status);

CREATE TABLE eval_variants (
    eval_id  INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (eval_id, position)
);

-- The judges an eval uses, each with the run that holds its own calls.
CREATE TABLE eval_judges (
    eval_id  INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
    judge_id INTEGER NOT NULL REFERENCES judges(id),
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (eval_id, judge_id)
);

-- One row per assertion evaluated on a generation; type/value are kept as evaluated.
CREATE TABLE assertion_results (
    id            INTEGER PRIMARY KEY,
    generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    assertion_id  INTEGER REFERENCES assertions(id) ON DELETE SET NULL,
    position      INTEGER NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT,
    weight        REAL NOT NULL DEFAULT 1,
    pass          INTEGER NOT NULL,
    score         REAL NOT NULL,
    reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assertion_results_by_generation ON assertion_results(generation_id);

-- The case verdict over all assertions of a generation (written with assertion_results).
CREATE TABLE case_verdicts (
    generation_id INTEGER PRIMARY KEY REFERENCES generations(id) ON DELETE CASCADE,
    pass          INTEGER NOT NULL,
    score         REAL NOT NULL,
    reason        TEXT NOT NULL DEFAULT ''
);

-- One judge call on a generation (pointwise, factuality) or on a pair (pairwise: one row per
-- order; swapped = 1 when other_generation_id was shown as output A).
CREATE TABLE judgments (
    id                  INTEGER PRIMARY KEY,
    eval_id             INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
    judge_id            INTEGER REFERENCES judges(id) ON DELETE SET NULL,
    generation_id       INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    other_generation_id INTEGER REFERENCES generations(id) ON DELETE CASCADE,
    swapped             INTEGER NOT NULL DEFAULT 0,
    judge_generation_id INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    verdict             TEXT,               -- parsed verdict JSON, NULL on error
    pass                INTEGER,
    score               REAL,
    reason              TEXT NOT NULL DEFAULT '',
    error               TEXT,               -- why no verdict could be read
    created_at          TEXT NOT NULL
);
CREATE INDEX judgments_by_eval ON judgments(eval_id, generation_id);
