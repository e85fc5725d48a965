"""Score coded events and sentence classes against hand-coded gold records.

Gold is JSON Lines, one record per document or sentence: `id`, `text`, optional `date`, optional
`events` (each with `source`, `target`, `code` or instead a PLOVER type in `plover`, and the flags
`symmetric` and `optional`) and optional `sentence_class` (0-4, the ConfliBERT scale).

Events are compared as (source, event, target) at three levels:
- "primary+root": actors cut to their primary code, event cut to its 2-digit root;
- "primary+code": primary actors, full CAMEO code;
- "full": full actor codes, full CAMEO code.
A gold event that gives a PLOVER type is compared with the prediction's PLOVER type at every level.
Per document and level, predictions are matched one-to-one to the required gold events by a
maximum bipartite matching; the counts are summed over documents (micro-averaged).
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tacitus.errors import EvalError
from tacitus.taxonomy import (
    PLOVER_TYPES,
    SENTENCE_CLASS_NAMES,
    is_cameo_code,
    lookup,
    sentence_class,
)

logger = logging.getLogger(__name__)

ROOT_LEVEL = "primary+root"
CODE_LEVEL = "primary+code"
FULL_LEVEL = "full"
LEVELS = (ROOT_LEVEL, CODE_LEVEL, FULL_LEVEL)

# Actor types whose primary code is six letters (type + group: IGOWHO); others keep three (USA).
INTERNATIONAL_TYPES = ("IGO", "NGO", "NGM", "IMG", "MNC", "INT")
# A gold actor written as one of these bare types accepts any actor code of that type.
BARE_TYPE_WILDCARDS = frozenset({"IGO", "NGO", "IMG"})

FORWARD, REVERSE = "forward", "reverse"
_OPPOSITE = {FORWARD: REVERSE, REVERSE: FORWARD}


# ---------------------------------------------------------------------------------------------
# Reading gold


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records from a JSON Lines file; blank lines are skipped.

    Raises EvalError naming file and line for a line that is not a well-formed gold record.
    """
    records: list[dict[str, Any]] = []
    first_line_of: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise EvalError(f"{where}: not valid JSON ({exc.msg})") from exc
                problem = _gold_record_problem(record)
                if problem:
                    raise EvalError(f"{where}: {problem}")
                doc_id = record["id"]
                if doc_id in first_line_of:
                    raise EvalError(f"{where}: id {doc_id!r} already used on line {first_line_of[doc_id]}")
                first_line_of[doc_id] = number
                records.append(record)
    except OSError as exc:
        raise EvalError(f"{path}: cannot read gold file ({exc.strerror or exc})") from exc
    logger.debug("read %d gold records from %s", len(records), path)
    return records


def _gold_record_problem(record: Any) -> str | None:
    """Why `record` is not a usable gold record, or None when it is."""
    if not isinstance(record, dict):
        return "a gold record must be a JSON object"
    if not isinstance(record.get("id"), str) or not record["id"]:
        return "missing or empty 'id'"
    if "sentence_class" in record:
        label = record["sentence_class"]
        if type(label) is not int or label not in range(len(SENTENCE_CLASS_NAMES)):  # bool is no class
            return f"'sentence_class' must be an integer 0-{len(SENTENCE_CLASS_NAMES) - 1}, got {label!r}"
    if "events" not in record:
        return None
    if not isinstance(record["events"], list):
        return "'events' must be a list"
    for index, event in enumerate(record["events"]):
        problem = _gold_event_problem(event)
        if problem:
            return f"event {index}: {problem}"
    return None


def _gold_event_problem(event: Any) -> str | None:
    if not isinstance(event, dict):
        return "an event must be a JSON object"
    for role in ("source", "target"):
        if role not in event:
            return f"missing '{role}' (use null for no actor)"
        if event[role] is not None and not (isinstance(event[role], str) and event[role]):
            return f"'{role}' must be an actor code or null, got {event[role]!r}"
    code, plover = event.get("code"), event.get("plover")
    if (code is None) == (plover is None):
        return "give either 'code' (CAMEO) or 'plover' (PLOVER type), not both or neither"
    if code is not None and not is_cameo_code(code):
        return f"{code!r} is not a CAMEO event code"
    if plover is not None and plover not in PLOVER_TYPES:
        return f"{plover!r} is not a PLOVER event type"
    for flag in ("symmetric", "optional"):
        if not isinstance(event.get(flag, False), bool):
            return f"'{flag}' must be true or false"
    return None


# ---------------------------------------------------------------------------------------------
# Events as compared at one level


@dataclass(frozen=True)
class GoldEvent:
    """A gold event cut to one level. Exactly one of `code` and `plover` is set."""

    source: str | None
    target: str | None
    code: str | None
    plover: str | None
    symmetric: bool = False
    note: str = field(default="", compare=False)

    def __str__(self) -> str:
        arrow = "<->" if self.symmetric else "->"
        return f"{self.source or '-'} {arrow} {self.target or '-'}: {self.code or self.plover}"


@dataclass(frozen=True)
class PredictedEvent:
    """A prediction cut to one level; predictions identical at the level are merged into one."""

    source: str | None
    target: str | None
    code: str | None
    # PLOVER types of the merged predictions (two codes of one root may differ), for PLOVER-type gold
    plovers: frozenset[str] = field(default=frozenset(), compare=False)
    trigger: str = field(default="", compare=False)  # trigger text of the first merged prediction

    def __str__(self) -> str:
        return f"{self.source or '-'} -> {self.target or '-'}: {self.code}"


def primary_actor(code: str | None) -> str | None:
    """The primary part of an actor code: the country (USA) or international type + group (IGOWHO)."""
    if code is None:
        return None
    return code[:6] if code[:3] in INTERNATIONAL_TYPES else code[:3]


def _cut_actor(code: str | None, level: str) -> str | None:
    return code if level == FULL_LEVEL else primary_actor(code)


def _cut_code(code: str | None, level: str) -> str | None:
    if code is None:
        return None
    return code[:2] if level == ROOT_LEVEL else code


def _gold_at_level(event: dict[str, Any], level: str) -> GoldEvent:
    return GoldEvent(
        source=_cut_actor(event.get("source"), level),
        target=_cut_actor(event.get("target"), level),
        code=_cut_code(event.get("code"), level),
        plover=event.get("plover"),
        symmetric=bool(event.get("symmetric", False)),
        note=event.get("note") or "",
    )


def _actor_code(actor: Any) -> str | None:
    """The code of a predicted actor: an event-record actor dict, a bare code string, or None."""
    if isinstance(actor, dict):
        return actor.get("code")
    return actor if isinstance(actor, str) else None


def _plover_of(event: dict[str, Any]) -> str | None:
    if "plover" in event:
        return event["plover"]
    code = event.get("code")
    return lookup(code).plover if is_cameo_code(code) else None


def _predictions_at_level(events: list[dict[str, Any]], level: str) -> list[PredictedEvent]:
    """Predictions cut to the level, those identical at the level merged (first one's order kept)."""
    merged: dict[tuple[str | None, str | None, str | None], PredictedEvent] = {}
    for event in events:
        key = (
            _cut_actor(_actor_code(event.get("source")), level),
            _cut_actor(_actor_code(event.get("target")), level),
            _cut_code(event.get("code"), level),
        )
        plover = _plover_of(event)
        plovers = frozenset({plover}) if plover else frozenset()
        if key in merged:
            seen = merged[key]
            merged[key] = PredictedEvent(*key, plovers=seen.plovers | plovers, trigger=seen.trigger)
        else:
            trigger = (event.get("trigger") or {}).get("text", "")
            merged[key] = PredictedEvent(*key, plovers=plovers, trigger=trigger)
    return list(merged.values())


def _required_gold(events: list[GoldEvent]) -> list[GoldEvent]:
    """Required gold events, each counted once.

    Identical events count once, a symmetric event once whichever way round it is written, and a
    symmetric event that a one-way event already covers (same triple in either direction) not at all.
    """
    one_way = {(g.source, g.code, g.plover, g.target): g for g in events if not g.symmetric}
    symmetric: dict[tuple[Any, ...], GoldEvent] = {}
    for g in events:
        if not g.symmetric:
            continue
        ways = {(g.source, g.code, g.plover, g.target), (g.target, g.code, g.plover, g.source)}
        if ways & one_way.keys():
            continue
        symmetric.setdefault((frozenset((g.source, g.target)), g.code, g.plover), g)
    return list(one_way.values()) + list(symmetric.values())


def _actor_fits(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is predicted  # null matches only null
    if gold in BARE_TYPE_WILDCARDS:
        return predicted.startswith(gold)
    return predicted == gold


def _directions(predicted: PredictedEvent, gold: GoldEvent) -> set[str]:
    """The directions in which `predicted` fits `gold`: forward as written, reverse for symmetric gold."""
    if gold.plover is not None:
        if gold.plover not in predicted.plovers:
            return set()
    elif predicted.code != gold.code:
        return set()
    ways = {FORWARD: (gold.source, gold.target)}
    if gold.symmetric:
        ways[REVERSE] = (gold.target, gold.source)
    return {
        way
        for way, (source, target) in ways.items()
        if _actor_fits(source, predicted.source) and _actor_fits(target, predicted.target)
    }


def _fits(predicted: PredictedEvent, gold: GoldEvent) -> bool:
    return bool(_directions(predicted, gold))


def _maximum_matching(candidates: list[list[int]]) -> dict[int, int]:
    """A maximum one-to-one matching, prediction index -> gold index, by augmenting paths (Kuhn).

    `candidates[p]` lists the gold indices prediction p fits.
    """
    prediction_of_gold: dict[int, int] = {}

    def augment(p: int, visited: set[int]) -> bool:
        for g in candidates[p]:
            if g in visited:
                continue
            visited.add(g)
            if g not in prediction_of_gold or augment(prediction_of_gold[g], visited):
                prediction_of_gold[g] = p
                return True
        return False

    for p in range(len(candidates)):
        augment(p, set())
    return {p: g for g, p in prediction_of_gold.items()}


def _other_direction_of_symmetric(index: int, predictions: list[PredictedEvent], gold: GoldEvent) -> bool:
    """Whether prediction `index` is the other direction of symmetric `gold` (a call coded both ways).

    "Other" is relative to the direction the remaining predictions of this event took; when no other
    prediction fits the event, relative to the direction the gold is written in.
    """
    mine = _directions(predictions[index], gold)
    if not gold.symmetric or not mine:
        return False
    theirs: set[str] = set()
    for other, prediction in enumerate(predictions):
        if other != index:
            theirs |= _directions(prediction, gold)
    if theirs:
        return any(_OPPOSITE[d] in theirs for d in mine)
    return REVERSE in mine


@dataclass
class DocumentLevelResult:
    """What happened to one document's events at one level: for error analysis."""

    matched: list[tuple[GoldEvent, PredictedEvent]] = field(default_factory=list)
    missed: list[GoldEvent] = field(default_factory=list)  # required gold events no prediction matched
    false_positives: list[PredictedEvent] = field(default_factory=list)
    # unmatched predictions that are not counted: they fit an optional gold event or are the
    # other direction of a symmetric one
    not_counted: list[PredictedEvent] = field(default_factory=list)

    @property
    def required(self) -> int:
        return len(self.matched) + len(self.missed)

    @property
    def predicted(self) -> int:
        return len(self.matched) + len(self.false_positives)


def score_document_level(
    gold_events: list[dict[str, Any]], predicted: list[dict[str, Any]], level: str
) -> DocumentLevelResult:
    """Compare one document's predictions with its gold events at one level."""
    gold_at_level = [(_gold_at_level(e, level), bool(e.get("optional", False))) for e in gold_events]
    required = _required_gold([g for g, is_optional in gold_at_level if not is_optional])
    optional = [g for g, is_optional in gold_at_level if is_optional]
    symmetric = [g for g, _ in gold_at_level if g.symmetric]
    predictions = _predictions_at_level(predicted, level)

    candidates = [[j for j, g in enumerate(required) if _fits(p, g)] for p in predictions]
    gold_of_prediction = _maximum_matching(candidates)

    result = DocumentLevelResult()
    result.matched = [(required[g], predictions[p]) for p, g in sorted(gold_of_prediction.items())]
    matched_gold = set(gold_of_prediction.values())
    result.missed = [g for j, g in enumerate(required) if j not in matched_gold]
    for index, prediction in enumerate(predictions):
        if index in gold_of_prediction:
            continue
        excused = any(_fits(prediction, g) for g in optional) or any(
            _other_direction_of_symmetric(index, predictions, g) for g in symmetric
        )
        (result.not_counted if excused else result.false_positives).append(prediction)
    return result


# ---------------------------------------------------------------------------------------------
# Event scores


@dataclass
class LevelScores:
    """Micro-averaged counts and scores at one level."""

    matched: int = 0
    predicted: int = 0  # counted predictions: matched + false positives
    required: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        return _harmonic_mean(self.precision, self.recall)


@dataclass
class DocumentEventResult:
    doc_id: str
    levels: dict[str, DocumentLevelResult]


@dataclass
class EventScores:
    levels: dict[str, LevelScores]
    documents: list[DocumentEventResult]


def score_events(gold: list[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]]) -> EventScores:
    """Event scores of `predicted` (gold `id` -> event records) against the gold records with `events`.

    A gold record without predictions counts as predicted empty; predictions for ids not in the
    scored gold are ignored.
    """
    levels = {level: LevelScores() for level in LEVELS}
    documents: list[DocumentEventResult] = []
    for record in gold:
        if "events" not in record:
            continue
        events = predicted.get(record["id"], [])
        per_level = {level: score_document_level(record["events"], events, level) for level in LEVELS}
        for level, result in per_level.items():
            levels[level].matched += len(result.matched)
            levels[level].predicted += result.predicted
            levels[level].required += result.required
        documents.append(DocumentEventResult(record["id"], per_level))
    _log_unscored_ids(predicted, {d.doc_id for d in documents}, "event")
    return EventScores(levels, documents)


def _log_unscored_ids(predicted: dict[str, Any], scored: set[str], what: str) -> None:
    unscored = [doc_id for doc_id in predicted if doc_id not in scored]
    if unscored:
        logger.info("%d predicted ids take no part in the %s scores (first: %s)",
                    len(unscored), what, unscored[0])


def _harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


# ---------------------------------------------------------------------------------------------
# Sentence classes


def _trigger_start(event: dict[str, Any]) -> float:
    start = (event.get("trigger") or {}).get("start")
    return start if isinstance(start, (int, float)) else math.inf


def predicted_sentence_class(events: list[dict[str, Any]]) -> int:
    """The class of the event whose trigger starts first (the first listed on a tie); 0 with no event."""
    if not events:
        return 0
    first = min(events, key=_trigger_start)
    code = first.get("code") or first.get("root")
    if not code:
        raise KeyError("an event without a code")
    return sentence_class(code)


@dataclass
class ClassMetrics:
    label: int
    name: str
    precision: float
    recall: float
    f1: float
    support: int  # gold sentences of this class


@dataclass
class ClassScores:
    total: int
    accuracy: float
    macro_f1: float  # mean F1 over all five classes
    per_class: list[ClassMetrics]
    confusion: list[list[int]]  # confusion[gold class][predicted class]
    sentences: list[tuple[str, int, int]]  # (id, gold class, predicted class), for error analysis


def score_sentence_classes(
    gold: list[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]]
) -> ClassScores:
    """Sentence-class scores over the gold records with `sentence_class`."""
    n_classes = len(SENTENCE_CLASS_NAMES)
    confusion = [[0] * n_classes for _ in range(n_classes)]
    sentences: list[tuple[str, int, int]] = []
    for record in gold:
        if "sentence_class" not in record:
            continue
        try:
            guess = predicted_sentence_class(predicted.get(record["id"], []))
        except KeyError as exc:
            raise EvalError(f"{record['id']}: cannot classify the predicted events: {exc.args[0]}") from exc
        confusion[record["sentence_class"]][guess] += 1
        sentences.append((record["id"], record["sentence_class"], guess))
    _log_unscored_ids(predicted, {s[0] for s in sentences}, "sentence class")

    per_class = []
    for label, name in enumerate(SENTENCE_CLASS_NAMES):
        hits = confusion[label][label]
        support = sum(confusion[label])
        guessed = sum(row[label] for row in confusion)
        precision = hits / guessed if guessed else 0.0
        recall = hits / support if support else 0.0
        f1 = _harmonic_mean(precision, recall)
        per_class.append(ClassMetrics(label, name, precision, recall, f1, support))
    total = len(sentences)
    correct = sum(confusion[label][label] for label in range(n_classes))
    return ClassScores(
        total=total,
        accuracy=correct / total if total else 0.0,
        macro_f1=sum(m.f1 for m in per_class) / n_classes,
        per_class=per_class,
        confusion=confusion,
        sentences=sentences,
    )


# ---------------------------------------------------------------------------------------------
# Output


CLASSES_FROM_ALL_EVENTS = "from every event found in a sentence, with or without both parties, as the scale is defined"
CLASSES_AS_CODED = "from the events as coded"


def render_report(event_scores: EventScores | None, class_scores: ClassScores | None,
                  class_basis: str = CLASSES_FROM_ALL_EVENTS) -> str:
    """A plain-text report of whichever scores are given; `class_basis` says which events the
    sentence classes were taken from."""
    parts: list[str] = []
    if event_scores is not None:
        lines = [
            f"Events ({len(event_scores.documents)} gold records)",
            f"{'level':<14} {'matched':>7} {'predicted':>9} {'required':>8} "
            f"{'precision':>9} {'recall':>6} {'F1':>6}",
        ]
        for level, s in event_scores.levels.items():
            lines.append(
                f"{level:<14} {s.matched:>7} {s.predicted:>9} {s.required:>8} "
                f"{s.precision:>9.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
            )
        parts.append("\n".join(lines))
    if class_scores is not None:
        lines = [
            f"Sentence classes ({class_scores.total} sentences): "
            f"accuracy {class_scores.accuracy:.3f}, macro-F1 {class_scores.macro_f1:.3f}",
            f"({class_basis})",
            f"{'class':<46} {'precision':>9} {'recall':>6} {'F1':>6} {'support':>7}",
        ]
        for m in class_scores.per_class:
            label = f"{m.label} {m.name}"
            lines.append(f"{label:<46} {m.precision:>9.3f} {m.recall:>6.3f} {m.f1:>6.3f} {m.support:>7}")
        labels = range(len(class_scores.confusion))
        lines.append("confusion (rows gold, columns predicted)")
        lines.append("gold " + "".join(f"{label:>6}" for label in labels))
        for label, row in zip(labels, class_scores.confusion):
            lines.append(f"{label:>4} " + "".join(f"{n:>6}" for n in row))
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n" if parts else ""


def _gold_json(g: GoldEvent) -> dict[str, Any]:
    event = {"code": g.code} if g.code is not None else {"plover": g.plover}
    return {"source": g.source, "target": g.target, **event, "symmetric": g.symmetric, "note": g.note}


def _predicted_json(p: PredictedEvent) -> dict[str, Any]:
    return {"source": p.source, "target": p.target, "code": p.code, "trigger": p.trigger}


def _level_json(s: LevelScores) -> dict[str, Any]:
    return {"matched": s.matched, "predicted": s.predicted, "required": s.required,
            "precision": s.precision, "recall": s.recall, "f1": s.f1}


def _document_json(d: DocumentEventResult) -> dict[str, Any]:
    return {
        "id": d.doc_id,
        "levels": {
            level: {
                "matched": [{"gold": _gold_json(g), "predicted": _predicted_json(p)} for g, p in r.matched],
                "missed": [_gold_json(g) for g in r.missed],
                "false_positives": [_predicted_json(p) for p in r.false_positives],
                "not_counted": [_predicted_json(p) for p in r.not_counted],
            }
            for level, r in d.levels.items()
        },
    }


def scores_to_json(event_scores: EventScores | None, class_scores: ClassScores | None) -> dict[str, Any]:
    """The scores as a JSON-ready dict; a part not given is None."""
    events = None
    if event_scores is not None:
        events = {
            "documents": len(event_scores.documents),
            "levels": {level: _level_json(s) for level, s in event_scores.levels.items()},
            "per_document": [_document_json(d) for d in event_scores.documents],
        }
    classes = None
    if class_scores is not None:
        classes = {
            "sentences": class_scores.total,
            "accuracy": class_scores.accuracy,
            "macro_f1": class_scores.macro_f1,
            "per_class": [
                {"class": m.label, "name": m.name, "precision": m.precision, "recall": m.recall,
                 "f1": m.f1, "support": m.support}
                for m in class_scores.per_class
            ],
            "confusion": class_scores.confusion,
            "per_sentence": [{"id": i, "gold": g, "predicted": p} for i, g, p in class_scores.sentences],
        }
    return {"events": events, "sentence_classes": classes}
