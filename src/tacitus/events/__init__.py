"""The event stage: patterns on the dependency parse, speech and context rules, dates."""
from .code import code_document
from .patterns import Pattern, PatternSet, load_patterns

__all__ = ["Pattern", "PatternSet", "code_document", "load_patterns"]
