"""`tacitus explain`: why a sentence was or was not coded.

Shows the parse (lemmas, parts of speech, dependencies), the actor mentions with the rule that
decided each code, the patterns whose trigger lemma and constraints held, and the events.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from .actors import DocumentMemory, find_mentions, load_actor_dictionary
from .events import code_document, load_patterns
from .events.code import match_token
from .nlp import load_pipeline
from .pipeline import CoderOptions
from .records import Actor, Event


@dataclass
class Explanation:
    tokens: list[tuple[int, str, str, str, str, int, str]]  # i, text, lemma, pos, dep, head, entity
    mentions: list[Actor]
    rules: list[tuple[int, str, str, str]]  # token index, token, pattern id, code
    events: list[Event]


def explain_text(text: str, date: str | None = None, options: CoderOptions = CoderOptions()) -> Explanation:
    nlp = load_pipeline()
    doc = nlp(text)
    memory = DocumentMemory()
    mentions = find_mentions(doc, load_actor_dictionary(options.actor_files), date, memory)
    patterns = load_patterns(options.pattern_files)
    rules = []
    for token in doc:
        pattern = match_token(token, patterns)
        if pattern is not None:
            rules.append((token.i, token.text, pattern.id, pattern.code))
    events = code_document(doc, mentions, memory, doc_id="explain", doc_date=date, patterns=patterns,
                           one_sided=options.one_sided)
    tokens = [(t.i, t.text, t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in doc if not t.is_space]
    return Explanation(tokens, [m.actor for m in mentions], rules, events)


def render_explanation(explanation: Explanation, console: Console) -> None:
    table = Table("i", "token", "lemma", "pos", "dep", "head", "ent", title="Parse")
    for row in explanation.tokens:
        table.add_row(*(str(x) for x in row))
    console.print(table)
    actors = Table("text", "code", "name", "rule", title="Actor mentions")
    for actor in explanation.mentions:
        actors.add_row(actor.text, actor.code or "-", actor.name or "-", actor.rule or "-")
    console.print(actors)
    rules = Table("token", "pattern", "code", title="Patterns whose trigger and constraints hold")
    for i, token, pattern_id, code in explanation.rules:
        rules.add_row(f"{token} ({i})", pattern_id, code)
    console.print(rules)
    events = Table("source", "code", "target", "trigger", "rule", "conf", title="Events")
    for e in explanation.events:
        events.add_row(e.source.code if e.source and e.source.code else "-", e.code,
                       e.target.code if e.target and e.target.code else "-", e.trigger.text, e.rule,
                       f"{e.confidence:.2f}")
    if not explanation.events:
        console.print("No events: no pattern fired, or its actors did not resolve, or a meaning rule "
                      "(negation, condition, question, another act's complement) set it aside.")
    console.print(events)
