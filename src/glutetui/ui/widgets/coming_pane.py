"""A tab whose feature has not landed yet says so in one line."""

from textual.widgets import Static


class ComingPane(Static):
    DEFAULT_CSS = """
    ComingPane { padding: 1 2; color: $text-muted; }
    """
