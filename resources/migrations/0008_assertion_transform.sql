-- Schema v8: an assertion's transform (promptfoo's assertion `transform`, or the test's
-- `options.transform` copied onto each assertion of the test): JavaScript run through node on
-- the output before the check. NULL for none.
ALTER TABLE assertions ADD COLUMN transform TEXT;
