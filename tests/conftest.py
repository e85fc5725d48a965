"""Shared fixtures. Tests that need the spaCy model share one loaded pipeline per session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from tacitus.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def code():
    """code(text, date) -> list of (source code, event code, target code) triples."""
    import tacitus

    def run(text: str, date: str | None = "2020-03-16"):
        return [(e.source.code if e.source else None, e.code, e.target.code if e.target else None)
                for e in tacitus.code_text(text, date=date)]

    return run
