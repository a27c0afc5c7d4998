-- Schema v9: indexes for large projects (issue 13).

-- History lists a version's generations newest first: its runs through runs_by_version (newest
-- run first), each run's generations through this index in id order, so the first page of a
-- version with 500,000 generations reads 200 rows instead of sorting them all.
-- (generations_by_run orders a run's rows by test case, not by time.)
CREATE INDEX generations_by_run_order ON generations(run_id, id);

-- Eval planning estimates output tokens from a model's newest answers: its newest runs.
CREATE INDEX runs_by_model ON runs(model_id, id);

-- Deleting a test case sets its generations' test_case_id to NULL (foreign key): without an
-- index SQLite scans every generation for each deleted case (minutes for a dataset in a
-- project with 1,000,000 generations).
CREATE INDEX generations_by_test_case ON generations(test_case_id);
