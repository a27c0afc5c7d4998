-- Schema v7: snippets ({{> name}} partials) and the snippet versions each prompt version uses.

-- A snippet is a prompt of kind 'snippet': it shares versions (one message of role
-- 'snippet'), labels, label moves and drafts with prompts, and one namespace of names.
ALTER TABLE prompts ADD COLUMN kind TEXT NOT NULL DEFAULT 'prompt'
    CHECK (kind IN ('prompt', 'snippet'));

-- Lineage: the snippet versions a version was saved with (every snippet it reaches through
-- {{> name}}, nested ones included). Rendering a saved version uses exactly these, under
-- the name the template used when it was saved (so renaming a snippet breaks no old version).
CREATE TABLE prompt_version_snippets (
    version_id         INTEGER NOT NULL REFERENCES prompt_versions(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    snippet_version_id INTEGER NOT NULL REFERENCES prompt_versions(id),
    PRIMARY KEY (version_id, name)
);
CREATE INDEX prompt_version_snippets_by_snippet ON prompt_version_snippets(snippet_version_id);
