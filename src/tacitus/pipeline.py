"""The pipeline as one Python API: documents -> parse -> actors -> events.

    >>> import tacitus
    >>> events = tacitus.code_text("China urged the US to resume talks.", date="2020-03-16")

The CLI is a thin layer over these functions.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from dataclasses import dataclass, replace

from .actors import DocumentMemory, find_mentions, load_actor_dictionary
from .events import code_document, load_patterns
from .nlp import BATCH_SIZE, load_pipeline, model_name
from .records import CodedDocument, Document, Event


AUTO_JOBS_MIN_DOCUMENTS = 200


@dataclass(frozen=True)
class CoderOptions:
    """What a user can change about coding without touching the package."""

    actor_files: tuple[str, ...] = ()
    pattern_files: tuple[str, ...] = ()
    min_confidence: float = 0.0
    batch_size: int = BATCH_SIZE
    # Worker processes: more than 1 codes on that many processes (tacitus.parallel); 0 means all cores
    # once there are enough documents to be worth starting workers (AUTO_JOBS_MIN_DOCUMENTS).
    jobs: int = 1
    # Keep events the text gives only one party of ("Burma agreed to let aid in"); off by default,
    # because a hand coder would name both parties or code nothing.
    one_sided: bool = False


def code_documents(documents: Iterable[Document], options: CoderOptions = CoderOptions()) -> Iterator[CodedDocument]:
    """Code documents in order, parsing them in batches; yields one CodedDocument per input document.

    With `options.jobs` > 1 the documents are coded on that many worker processes, with the same
    output in the same order; with 0, on all cores when there are at least AUTO_JOBS_MIN_DOCUMENTS.
    """
    jobs = options.jobs
    if jobs == 0:
        from .parallel import default_jobs

        documents = iter(documents)
        head = list(islice(documents, AUTO_JOBS_MIN_DOCUMENTS))
        # Each worker loads the model (seconds): a handful of documents is coded faster right here.
        jobs = default_jobs() if len(head) == AUTO_JOBS_MIN_DOCUMENTS else 1
        documents = chain(head, documents)
    if jobs > 1:
        from .parallel import code_in_parallel

        yield from code_in_parallel(documents, replace(options, jobs=jobs), jobs)
        return
    nlp = load_pipeline()
    dictionary = load_actor_dictionary(options.actor_files)
    patterns = load_patterns(options.pattern_files)
    model = model_name(nlp)

    def pairs() -> Iterator[tuple[str, Document]]:
        for document in documents:
            yield document.text, document

    for doc, document in nlp.pipe(pairs(), as_tuples=True, batch_size=options.batch_size):
        memory = DocumentMemory()
        # spaCy keeps the text exactly, so the document's own string spares rebuilding doc.text
        mentions = find_mentions(doc, dictionary, document.date, memory, text=document.text)
        events = code_document(doc, mentions, memory, doc_id=document.id, doc_date=document.date,
                               patterns=patterns, one_sided=options.one_sided, text=document.text)
        if options.min_confidence > 0:
            events = [e for e in events if e.confidence >= options.min_confidence]
        yield CodedDocument(document=document, events=events, model=model)


def code_text(text: str, date: str | None = None, doc_id: str = "text",
              options: CoderOptions = CoderOptions()) -> list[Event]:
    """Code one text (a sentence or a whole document) and return its events."""
    document = Document(id=doc_id, text=text, date=date, origin="<text>")
    return next(iter(code_documents([document], options))).events


@dataclass
class EvalResult:
    event_scores: object | None  # tacitus.evaluate.EventScores
    class_scores: object | None  # tacitus.evaluate.ClassScores
    predicted: dict[str, list[dict]]


def evaluate_gold(path: str, options: CoderOptions = CoderOptions(), classes_as_coded: bool = False) -> EvalResult:
    """Code every text of a gold file and score the events against it (see tacitus.evaluate).

    Event scores use the coder as `options` configure it. Sentence classes are defined on every event
    of a sentence, with or without its parties (see the gold format), so they are taken from a run
    that keeps one-sided events; the event scores are not affected by that. `classes_as_coded` takes
    them from the events exactly as `options` give them instead.
    """
    from .evaluate import read_gold, score_events, score_sentence_classes

    gold = read_gold(path)

    def predict(coder_options: CoderOptions) -> dict[str, list[dict]]:
        documents = (Document(id=str(r["id"]), text=r["text"], date=r.get("date"), origin=f"{path}:{i + 1}")
                     for i, r in enumerate(gold))
        return {coded.document.id: [e.to_dict() for e in coded.events]
                for coded in code_documents(documents, coder_options)}

    has_events = any("events" in r for r in gold)
    has_classes = any("sentence_class" in r for r in gold)
    predicted = predict(options) if has_events else {}
    event_scores = score_events(gold, predicted) if has_events else None
    class_scores = None
    if has_classes:
        class_options = options if classes_as_coded else replace(options, one_sided=True)
        class_predicted = (predicted if has_events and class_options == options
                           else predict(class_options))
        class_scores = score_sentence_classes(gold, class_predicted)
        predicted = predicted or class_predicted
    return EvalResult(event_scores, class_scores, predicted)
