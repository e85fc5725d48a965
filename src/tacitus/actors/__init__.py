"""The actor stage: dictionaries, mention finding and code resolution."""
from __future__ import annotations

import functools

from ..nlp import load_pipeline
from ..records import Actor
from .dictionary import ActorDictionary, Entry, build_dictionary, primary_code, split_code
from .resolve import DocumentMemory, Mention, find_mentions

__all__ = [
    "ActorDictionary", "DocumentMemory", "Entry", "Mention", "build_dictionary", "find_mentions",
    "load_actor_dictionary", "primary_code", "resolve_actor", "split_code",
]


@functools.cache
def load_actor_dictionary(extra_files: tuple[str, ...] = ()) -> ActorDictionary:
    """The packaged dictionaries plus user files, built once per process for each set of user files."""
    return build_dictionary(load_pipeline(), extra_files)


def resolve_actor(text: str, date: str | None = None, extra_files: tuple[str, ...] = ()) -> Actor:
    """Resolve one phrase ("Chinese Foreign Minister Wang Yi") to an actor; `code` is None when nothing resolves.

    The phrase's main mention wins: the one holding the phrase's syntactic root, else the first.
    """
    nlp = load_pipeline()
    doc = nlp(text)
    mentions = find_mentions(doc, load_actor_dictionary(extra_files), date)
    roots = {sent.root.i for sent in doc.sents}
    chosen = next((m for m in mentions if any(m.start <= r < m.end for r in roots)), None)
    chosen = chosen or next((m for m in mentions if m.actor.code), None) or (mentions[0] if mentions else None)
    if chosen is None:
        return Actor(code=None, country=None, sectors=[], name=None, text=text, start=0, end=len(text), rule=None)
    return chosen.actor
