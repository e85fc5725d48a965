"""Tacitus: political event data (CAMEO/PLOVER) from news and official statements.

The stages, each a module or package: documents (readers), nlp (spaCy), actors, events, store,
export, evaluate; `pipeline` ties them together and the CLI is a thin layer over it.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import CoderOptions, code_documents, code_text  # noqa: E402
from .records import Actor, CodedDocument, Document, Event, ReadFailure, Trigger  # noqa: E402

__all__ = [
    "Actor", "CodedDocument", "CoderOptions", "Document", "Event", "ReadFailure", "Trigger",
    "code_documents", "code_text", "__version__",
]
