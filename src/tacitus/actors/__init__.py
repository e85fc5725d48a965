"""The actor stage: dictionaries, mention finding and code resolution."""
from __future__ import annotations

import functools
from collections.abc import Iterable

from spacy.tokens import Doc

from ..nlp import load_pipeline
from ..records import Actor
from .dictionary import ActorDictionary, Entry, build_dictionary, primary_code, split_code
from .resolve import DocumentMemory, Mention, find_mentions

__all__ = [
    "ActorDictionary", "DocumentMemory", "Entry", "Mention", "build_dictionary", "find_mentions",
    "load_actor_dictionary", "primary_code", "resolve_actor", "resolve_actors", "split_code",
]


@functools.cache
def load_actor_dictionary(extra_files: tuple[str, ...] = ()) -> ActorDictionary:
    """The packaged dictionaries plus user files, built once per process for each set of user files."""
    return build_dictionary(load_pipeline(), extra_files)


def resolve_actor(text: str, date: str | None = None, extra_files: tuple[str, ...] = ()) -> Actor:
    """Resolve one phrase ("Chinese Foreign Minister Wang Yi") to an actor; `code` is None when nothing resolves.

    The phrase's main mention wins: the one holding the phrase's syntactic root, else the first.
    """
    return resolve_actors([(text, date)], extra_files)[0]


def resolve_actors(phrases: Iterable[tuple[str, str | None]], extra_files: tuple[str, ...] = ()) -> list[Actor]:
    """Resolve many (phrase, date) pairs at once, parsing them in batches; one Actor per pair, in order."""
    nlp = load_pipeline()
    dictionary = load_actor_dictionary(extra_files)
    return [_main_actor(doc, dictionary, date) for doc, date in nlp.pipe(phrases, as_tuples=True)]


def _main_actor(doc: Doc, dictionary: ActorDictionary, date: str | None) -> Actor:
    mentions = find_mentions(doc, dictionary, date)
    # An adjective or name that only modifies a non-actor noun is no actor here: "a Chinese restaurant".
    mentions = [m for m in mentions if not m.weak]
    roots = {sent.root.i for sent in doc.sents}
    chosen = next((m for m in mentions if any(m.start <= r < m.end for r in roots)), None)
    chosen = chosen or next((m for m in mentions if m.actor.code), None) or (mentions[0] if mentions else None)
    if chosen is None:
        return Actor(code=None, country=None, sectors=[], name=None, text=doc.text, start=0, end=len(doc.text),
                     rule=None)
    return chosen.actor
