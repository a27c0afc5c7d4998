-- Schema v4: human review. Criteria with versioned wording, queues of items to label,
-- binary labels, blind pairwise preferences, notes, corrections and adjudications.
--
-- A target is what a person judges: a generation, a log record, or the production output
-- kept with a test case that came from a log ('case'). Targets are (kind, id) pairs without
-- foreign keys, because a label pack carries items without the rows they came from; every
-- item keeps a snapshot of what the annotator sees.

CREATE TABLE criteria (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- Editing a criterion adds a version; labels point at the wording they answered.
CREATE TABLE criterion_versions (
    id           INTEGER PRIMARY KEY,
    criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    question     TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    UNIQUE (criterion_id, version)
);

CREATE TABLE queues (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('binary', 'pairwise')),
    overlap     INTEGER NOT NULL DEFAULT 1 CHECK (overlap >= 1),
    blind       INTEGER NOT NULL DEFAULT 1,
    origin      TEXT NOT NULL DEFAULT '{}', -- how it was built: source, filters, strategy, seed
    daily_date  TEXT,                       -- 'YYYY-MM-DD' for a daily vibe-check queue
    pack_id     TEXT,                       -- set in a label pack, and on the queue it came from
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX queues_by_day ON queues(daily_date) WHERE daily_date IS NOT NULL;

CREATE TABLE queue_criteria (
    queue_id     INTEGER NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (queue_id, criterion_id)
);

CREATE TABLE queue_items (
    id          INTEGER PRIMARY KEY,
    queue_id    INTEGER NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    a_kind      TEXT NOT NULL CHECK (a_kind IN ('generation', 'log', 'case')),
    a_id        INTEGER NOT NULL,
    b_kind      TEXT CHECK (b_kind IN ('generation', 'log', 'case')), -- pairwise only
    b_id        INTEGER,
    input       TEXT NOT NULL DEFAULT '{}',  -- {"messages": [...]} or {"variables": {...}}
    output_a    TEXT,
    output_b    TEXT,
    context     TEXT NOT NULL DEFAULT '{}',  -- model, prompt version, status... (hidden when blind)
    UNIQUE (queue_id, a_kind, a_id, b_kind, b_id)
);
CREATE INDEX queue_items_by_position ON queue_items(queue_id, position);
CREATE INDEX queue_items_by_target ON queue_items(a_kind, a_id);

-- Binary labels: one per target, criterion wording and annotator (changing a label updates it).
CREATE TABLE labels (
    id                   INTEGER PRIMARY KEY,
    target_kind          TEXT NOT NULL,
    target_id            INTEGER NOT NULL,
    criterion_version_id INTEGER NOT NULL REFERENCES criterion_versions(id) ON DELETE CASCADE,
    annotator            TEXT NOT NULL,
    value                TEXT NOT NULL CHECK (value IN ('yes', 'no', 'skip')),
    note                 TEXT,
    seconds              REAL,               -- time spent on the item when labeled
    queue_item_id        INTEGER REFERENCES queue_items(id) ON DELETE SET NULL,
    created_at           TEXT NOT NULL,
    UNIQUE (target_kind, target_id, criterion_version_id, annotator)
);
CREATE INDEX labels_by_annotator ON labels(annotator, created_at);

-- Pairwise choices, always in terms of the true items a and b; left_is_a records which side
-- the annotator saw a on. criterion_version_id 0 = overall preference.
CREATE TABLE preferences (
    id                   INTEGER PRIMARY KEY,
    a_kind               TEXT NOT NULL,
    a_id                 INTEGER NOT NULL,
    b_kind               TEXT NOT NULL,
    b_id                 INTEGER NOT NULL,
    criterion_version_id INTEGER NOT NULL DEFAULT 0,
    annotator            TEXT NOT NULL,
    choice               TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie', 'both_bad')),
    left_is_a            INTEGER,            -- NULL when imported without a screen
    seconds              REAL,
    queue_item_id        INTEGER REFERENCES queue_items(id) ON DELETE SET NULL,
    created_at           TEXT NOT NULL,
    UNIQUE (a_kind, a_id, b_kind, b_id, criterion_version_id, annotator)
);

-- Which side each annotator sees item a on, drawn once per item and annotator.
CREATE TABLE pair_sides (
    queue_item_id INTEGER NOT NULL REFERENCES queue_items(id) ON DELETE CASCADE,
    annotator     TEXT NOT NULL,
    left_is_a     INTEGER NOT NULL,
    PRIMARY KEY (queue_item_id, annotator)
);

CREATE TABLE annotation_notes (
    target_kind TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    annotator   TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id, annotator)
);

-- An output edited into the answer it should have been; the original stays untouched.
CREATE TABLE corrections (
    target_kind TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    annotator   TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id, annotator)
);

-- The final word where annotators disagree, kept apart from their labels. For binary
-- criteria value is yes/no on target a; for pairwise a/b/tie on the pair.
CREATE TABLE adjudications (
    a_kind       TEXT NOT NULL,
    a_id         INTEGER NOT NULL,
    b_kind       TEXT NOT NULL DEFAULT '',
    b_id         INTEGER NOT NULL DEFAULT 0,
    criterion_id INTEGER NOT NULL DEFAULT 0,
    value        TEXT NOT NULL,
    adjudicator  TEXT NOT NULL,
    note         TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (a_kind, a_id, b_kind, b_id, criterion_id)
);

-- Which criterion a human verdict maps to, for an eval's assertions and judges.
CREATE TABLE check_criteria (
    eval_id      INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
    check_key    TEXT NOT NULL,   -- 'assertion:POSITION:TYPE' or 'judge:ID'
    criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    PRIMARY KEY (eval_id, check_key)
);
