"""A static-site generator for fact-check archives."""

__version__ = "0.1.0"
