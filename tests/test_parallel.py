"""--jobs: coding on worker processes gives the single-process output, in input order, and fails loudly."""
from __future__ import annotations

import os
import signal

import pytest

from tacitus.parallel import CHUNKS_PER_WORKER, CoderPool, WorkerError, default_jobs
from tacitus.pipeline import CoderOptions, code_documents
from tacitus.records import Document

# Small documents of our own: each codes to something, and they differ so that order matters.
TEXTS = [
    "Germany condemned Russia over the attack on the port.",
    "The Chinese foreign ministry urged Japan to resume talks on maritime security.",
    "Iran accused Israel of violating the ceasefire.\nIsraeli troops shelled positions near the border.",
    "France signed an agreement with India on energy supplies.",
    "The United States imposed sanctions on Venezuela on Tuesday.",
    "Turkey warned Syria against any escalation. Markets were calm.",
    "Brazil praised Argentina for its role in the talks.",
    "Pakistan expelled two diplomats from India.",
    "South Korea threatened to impose new tariffs on Japan.",
    "Egypt offered to mediate between Israel and Iran.",
    "Officials gave no further details.",
    "Poland demanded that Russia withdraw its troops.",
    "Canada rejected a proposal from China on trade.",
    "Ukraine recalled its ambassador to Belarus for consultations.",
    "Nigeria agreed to provide humanitarian aid to Sudan.",
    "Australia criticized China for the arrest of two journalists.",
    "Saudi Arabia met Iran in Beijing to discuss security.",
    "Vietnam protested against Chinese ships near the disputed islands.",
    "Britain pledged aid to Ukraine.",
    "North Korea fired missiles toward Japan, South Korea said.",
]


def documents() -> list[Document]:
    return [Document(id=f"doc-{i:02d}", text=text, date="2021-06-15") for i, text in enumerate(TEXTS)]


def as_records(coded_documents) -> list[tuple[str, list[dict]]]:
    return [(coded.document.id, [event.to_dict() for event in coded.events]) for coded in coded_documents]


@pytest.fixture(scope="module")
def single_process() -> list[tuple[str, list[dict]]]:
    return as_records(code_documents(documents(), CoderOptions(batch_size=4)))


@pytest.fixture(scope="module")
def pool():
    # Small chunks, so that both workers get documents from this short list.
    with CoderPool(CoderOptions(batch_size=4), jobs=2, chunk_size=3) as pool:
        pool.start()
        yield pool


def test_jobs_option_gives_the_single_process_output_in_order(single_process):
    assert sum(len(events) for _, events in single_process) >= 10  # the texts do code to events
    # The public path: `CoderOptions(jobs=2)` codes on a pool of its own, in chunks of the batch size.
    coded = as_records(code_documents(documents(), CoderOptions(batch_size=4, jobs=2)))
    assert coded == single_process


def test_pool_uses_both_workers_and_keeps_the_order(pool, single_process):
    pids = pool.start()
    assert len(pids) == 2 and os.getpid() not in pids
    given = documents()
    coded = list(pool.code(given))
    assert as_records(coded) == single_process
    assert all(c.document is d for c, d in zip(coded, given))  # the caller's documents, not copies
    stats = pool.worker_stats()
    assert [s.pid for s in stats] == pids
    assert all(s.peak_rss_mb is None or 50 < s.peak_rss_mb < 1024 for s in stats)  # a model each, under 1 GB


def test_documents_stream_through_the_pool(pool):
    # A generator is read lazily and results come back as they are coded, not all at the end.
    seen = []

    def feed():
        for copy in range(10):
            for document in documents():
                seen.append(document.id)
                yield document

    results = pool.code(feed())
    first = next(results)
    assert first.document.id == "doc-00"
    # No more than the chunks in flight were read: not the whole input.
    assert len(seen) <= (pool.jobs * CHUNKS_PER_WORKER + 1) * pool.chunk_size < 10 * len(TEXTS)
    results.close()


def test_a_killed_worker_is_an_error_not_a_hang(pool):
    # Last in this file: it breaks the module's pool.
    os.kill(pool.start()[0], signal.SIGKILL)
    with pytest.raises(WorkerError, match="died"):
        list(pool.code(documents()))


def test_jobs_must_be_positive_and_default_to_the_cores():
    with pytest.raises(ValueError):
        CoderPool(CoderOptions(), jobs=0)
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)


def test_auto_jobs_use_all_cores_only_for_enough_documents(monkeypatch):
    """`tacitus code` without --jobs asks for jobs=0: all cores once there are enough documents to be
    worth starting workers, the current process for a handful."""
    import tacitus.parallel as parallel
    import tacitus.pipeline as pipeline

    started = []

    def fake_pool(docs, options, jobs):
        started.append(jobs)
        yield from code_documents(list(docs), CoderOptions(batch_size=4))

    monkeypatch.setattr(parallel, "code_in_parallel", fake_pool)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    few = as_records(code_documents(documents()[:3], CoderOptions(jobs=0)))
    assert started == [] and len(few) == 3
    monkeypatch.setattr(pipeline, "AUTO_JOBS_MIN_DOCUMENTS", 5)
    many = as_records(code_documents(documents(), CoderOptions(jobs=0)))
    assert started == [2]
    assert many == as_records(code_documents(documents(), CoderOptions()))  # same output, same order
