-- Schema v11: how the logs' full-text index grows. FTS5 keeps its index as segments and, by
-- default, merges four segments of one level as soon as they exist ('automerge' 4): an import
-- that commits every 10,000 records rewrote the same postings again and again, a third of its
-- full-text indexing time. Merging sixteen at a time rewrites each posting about half as often;
-- a search reads at most fifteen segments per level, which over a million records measured the
-- same as four (sqlite3 shell, 1,000,000 rows: 22.5 s to index with 4, 15.2 s with 16, every
-- query within a millisecond of each other). Pending terms are flushed as a segment when they
-- pass 'hashsize' (1 MB by default): 8 MB writes fewer, larger segments during an import.
-- Both are settings kept in the index itself, like its tokenizer.
INSERT INTO logs_fts(logs_fts, rank) VALUES ('automerge', 16);
INSERT INTO logs_fts(logs_fts, rank) VALUES ('hashsize', 8388608);
