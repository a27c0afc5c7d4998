-- Schema v10: statistics of a finished eval that need every score (bootstrap intervals, paired
-- bootstraps), computed once in the background and kept with the eval. `kind` says what was
-- computed ('variants' for the per-variant table, 'compare:B:C' for baseline B vs candidate C);
-- `fingerprint` describes the results it was computed from (generations, verdicts, judgments),
-- so a row whose fingerprint no longer matches (retry errors, a resume) is recomputed.
CREATE TABLE eval_statistics (
    eval_id     INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    data        TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (eval_id, kind)
) WITHOUT ROWID;
