-- Schema v5: embedding vectors for drift, cached by embedding model and text hash so that a
-- text already embedded is never sent again.

CREATE TABLE embeddings (
    model       TEXT NOT NULL,    -- "PROVIDER:MODEL_ID", e.g. "openai:text-embedding-3-small"
    text_hash   TEXT NOT NULL,    -- SHA-256 (hex) of the text's UTF-8 bytes
    dimensions  INTEGER NOT NULL,
    vector      BLOB NOT NULL,    -- dimensions x float32, little-endian
    created_at  TEXT NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
