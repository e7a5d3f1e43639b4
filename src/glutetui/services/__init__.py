"""The running system: content loading, demo data, health checks. No Textual here."""
