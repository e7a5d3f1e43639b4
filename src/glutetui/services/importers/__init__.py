"""Readers for files that hold runs or a whole glutetui export, recognised by what is in them."""
