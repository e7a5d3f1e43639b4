"""glutetui: a terminal companion for runners who sit all day."""

__version__ = "0.1.0"
