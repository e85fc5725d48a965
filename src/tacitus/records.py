"""Plain dataclasses that flow between the pipeline's stages.

documents -> Document; nlp -> spaCy Doc; actors -> Actor; events -> Event.
`Event.to_dict()` is the event record of DESIGN.md: its key names are a contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """One input document, as a reader produced it."""

    id: str
    text: str
    date: str | None = None  # ISO date YYYY-MM-DD of publication, when known
    url: str | None = None
    title: str | None = None
    source: str | None = None  # publisher / outlet
    origin: str = ""  # where it came from, for messages: "path" or "path:line"


@dataclass
class ReadFailure:
    """An input that could not be read; readers yield it and go on with the batch."""

    path: str
    message: str
    line: int | None = None  # 1-based line number for line-oriented inputs (JSONL)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass
class Actor:
    """A resolved actor mention: a CAMEO-style code plus the text it came from."""

    code: str | None  # e.g. "USAGOV", "IGOWHO", "CHN"; None when only text is known
    country: str | None  # ISO alpha-3 (or KSV), None for international actors
    sectors: list[str] = field(default_factory=list)
    name: str | None = None  # canonical name of the person/organisation, when known
    text: str = ""  # the mention as written
    start: int = 0  # character offsets into the document text
    end: int = 0
    rule: str | None = None  # how the code was decided (dictionary id, "memory", "context", ...)

    def to_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict: this runs for every stored event.
        return {"code": self.code, "country": self.country, "sectors": list(self.sectors), "name": self.name,
                "text": self.text, "start": self.start, "end": self.end, "rule": self.rule}


@dataclass
class Trigger:
    text: str
    start: int
    end: int


@dataclass
class Event:
    """One coded event. Field names follow the event record of DESIGN.md."""

    doc_id: str
    sentence: int
    date: str | None
    code: str
    root: str
    quad: int
    goldstein: float
    plover: str | None
    plover_mode: str | None
    source: Actor | None
    target: Actor | None
    trigger: Trigger
    rule: str
    symmetric: bool
    sentence_text: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "date": self.date,
            "code": self.code,
            "root": self.root,
            "quad": self.quad,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "trigger": {"text": self.trigger.text, "start": self.trigger.start, "end": self.trigger.end},
            "rule": self.rule,
            "symmetric": self.symmetric,
            "sentence_text": self.sentence_text,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        def actor(a: dict[str, Any] | None) -> Actor | None:
            return Actor(**a) if a else None

        return cls(
            doc_id=d["doc_id"],
            sentence=d["sentence"],
            date=d.get("date"),
            code=d["code"],
            root=d["root"],
            quad=d["quad"],
            goldstein=d["goldstein"],
            plover=d.get("plover"),
            plover_mode=d.get("plover_mode"),
            source=actor(d.get("source")),
            target=actor(d.get("target")),
            trigger=Trigger(**d["trigger"]),
            rule=d["rule"],
            symmetric=d.get("symmetric", False),
            sentence_text=d.get("sentence_text", ""),
            confidence=d.get("confidence", 1.0),
        )


@dataclass
class CodedDocument:
    """A document with the events coded from it."""

    document: Document
    events: list[Event]
    model: str = ""  # spaCy model name and version that parsed it, e.g. "en_core_web_sm 3.8.0"
