"""Pure logic: no I/O, no Textual, no sqlite, no wall clock (time comes in as an argument)."""
