"""JusticeWork: a platform for a human-rights coalition fighting impunity."""

__version__ = "0.1.0"
