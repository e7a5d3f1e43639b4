"""SQLite via sqlite-utils: open, migrate, read and write. No Textual here."""
