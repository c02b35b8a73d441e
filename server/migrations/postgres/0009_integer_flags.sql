-- PostgreSQL twin of ../sqlite/0009_integer_flags.sql, which changes only how SQLite declares
-- its flags: PostgreSQL keeps BOOLEAN, so nothing changes here.
SELECT 1;
