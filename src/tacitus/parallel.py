"""Coding on several processes: `tacitus code --jobs N`.

Documents go to N worker processes in chunks; each worker loads the spaCy pipeline, the actor
dictionary and the patterns once, then codes chunk after chunk with the single-process coder. Results
come back in input order, so the output is the same as with one process (documents are coded
independently of each other, and the parse of a document does not depend on the batch it is in).

Workers are forked from a "forkserver" process where the platform has one (Linux, macOS), else
spawned (Windows): never forked from the parent itself, which may hold DuckDB's or a progress bar's
threads. The fork server imports Tacitus and spaCy once, so further pools in the same program start
faster. As with any of Python's process pools, a script that codes with jobs > 1 must do so under
`if __name__ == "__main__":` (the `tacitus` command does). A worker that dies (killed, out of memory, a
crash in native code) makes coding fail with `WorkerError` instead of waiting forever.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from .errors import WorkerError
from .records import CodedDocument, Document, Event

if TYPE_CHECKING:  # tacitus.pipeline imports this module when jobs > 1
    from .pipeline import CoderOptions

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
# Imported once by the fork server, so that each worker starts with them already imported.
PRELOAD = ["tacitus.parallel", "tacitus.pipeline"]
# Documents sent to a worker at a time. Small chunks keep the workers evenly busy up to the end of the
# input (the last chunk runs alone); a document's parse does not depend on the batch it is parsed in.
CHUNK_SIZE = 16
# Chunks in flight per worker: enough that a worker never waits for the parent, few enough that a
# slow consumer (a store, a pipe) does not make the parent hold many coded documents.
CHUNKS_PER_WORKER = 4


def default_jobs() -> int:
    """All cores this process may use (what `--jobs` means when it is not given)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return max(1, os.cpu_count() or 1)


# --- in the worker process -------------------------------------------------------------------------------

_worker_options: CoderOptions | None = None  # this worker's options, set once by _start_worker
_worker_error: BaseException | None = None  # why loading failed, raised again with each chunk


def _start_worker(options: CoderOptions) -> None:
    """Load the model, dictionary and patterns once per worker, before the first chunk arrives."""
    global _worker_options, _worker_error
    from .actors import load_actor_dictionary
    from .events import load_patterns
    from .nlp import load_pipeline

    _worker_options = replace(options, jobs=1)
    try:
        load_pipeline()
        load_actor_dictionary(options.actor_files)
        load_patterns(options.pattern_files)
    except BaseException as exc:  # raised with the first chunk, where the parent sees it
        _worker_error = exc


def _code_chunk(documents: list[Document]) -> list[tuple[list[Event], str]]:
    """(events, model) of each document; the parent still has the documents, so they are not sent back."""
    from .pipeline import code_documents

    if _worker_error is not None:
        raise _worker_error
    return [(coded.events, coded.model) for coded in code_documents(documents, _worker_options)]


@dataclass(frozen=True)
class WorkerStats:
    pid: int
    peak_rss_mb: float | None  # peak resident memory so far (None where the platform does not say)
    cpu_seconds: float | None  # CPU time used so far, loading included


def _ready() -> WorkerStats:
    """This worker's process id, peak memory and CPU time, once it has loaded everything."""
    # A short pause so that the next call goes to another worker rather than this one again.
    time.sleep(0.05)
    if _worker_error is not None:
        raise _worker_error
    try:
        import resource
    except ImportError:  # Windows
        return WorkerStats(os.getpid(), None, None)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)  # bytes on macOS, KiB on Linux
    return WorkerStats(os.getpid(), round(peak, 1), usage.ru_utime + usage.ru_stime)


# --- in the parent process -------------------------------------------------------------------------------

def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


class CoderPool:
    """N worker processes that code documents; use as a context manager.

        with CoderPool(options, jobs=4) as pool:
            for coded in pool.code(documents):
                ...

    `chunk_size` documents go to a worker at a time (default CHUNK_SIZE, at most the batch size).
    """

    def __init__(self, options: CoderOptions, jobs: int, chunk_size: int | None = None) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.options = options
        self.jobs = jobs
        self.chunk_size = chunk_size or min(CHUNK_SIZE, options.batch_size)
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=jobs, mp_context=_context(), initializer=_start_worker, initargs=(options,))

    def __enter__(self) -> CoderPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            raise ValueError("the pool is closed")
        return self._executor

    def start(self) -> list[int]:
        """Wait until every worker has loaded the model; returns the workers' process ids."""
        return sorted(stats.pid for stats in self.worker_stats())

    def worker_stats(self) -> list[WorkerStats]:
        """Each worker's process id, peak resident memory (MB) and CPU time so far, by process id."""
        stats: dict[int, WorkerStats] = {}
        try:
            while len(stats) < self.jobs:
                futures = [self._pool().submit(_ready) for _ in range(self.jobs)]
                stats.update((s.pid, s) for s in (future.result() for future in futures))
        except BrokenProcessPool as exc:
            raise _died(exc) from exc
        return [stats[pid] for pid in sorted(stats)]

    def code(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents on the workers; yields one CodedDocument per document, in input order."""
        pool = self._pool()
        pending: deque[tuple[Future, list[Document]]] = deque()

        def finished() -> Iterator[CodedDocument]:
            future, chunk = pending.popleft()
            for document, (events, model) in zip(chunk, future.result(), strict=True):
                yield CodedDocument(document=document, events=events, model=model)

        try:
            for chunk in _chunks(documents, self.chunk_size):
                pending.append((pool.submit(_code_chunk, chunk), chunk))
                if len(pending) >= self.jobs * CHUNKS_PER_WORKER:
                    yield from finished()
            while pending:
                yield from finished()
        except BrokenProcessPool as exc:
            raise _died(exc) from exc
        finally:
            for future, _ in pending:  # the consumer stopped early or a chunk failed: drop the rest
                future.cancel()


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(PRELOAD)  # takes effect when the fork server first starts
    return context


def _died(exc: BaseException) -> WorkerError:
    return WorkerError(f"a coding worker process died ({exc}); it may have run out of memory or been "
                       "killed. Try fewer --jobs")


def code_in_parallel(documents: Iterable[Document], options: CoderOptions, jobs: int) -> Iterator[CodedDocument]:
    """`code_documents` on `jobs` worker processes (what `CoderOptions(jobs=N)` runs)."""
    with CoderPool(options, jobs) as pool:
        yield from pool.code(documents)
