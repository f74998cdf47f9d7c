"""Learnmap: learning roadmaps written as Markdown."""

__version__ = "0.1.0"
