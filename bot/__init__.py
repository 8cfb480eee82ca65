"""Krokarm: the shared chat space of a regional integration network."""

__version__ = "0.1.0"
