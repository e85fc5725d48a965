"""Tacitus' exceptions. Each carries a short code so a message can be looked up.

The CLI turns any TacitusError into one line on stderr.
"""
from __future__ import annotations


class TacitusError(Exception):
    code = "T000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(TacitusError):
    """A document or input file could not be read."""

    code = "T100"


class DataFileError(TacitusError):
    """A dictionary, pattern or table file is malformed (names the file and line)."""

    code = "T200"


class ModelError(TacitusError):
    """No usable spaCy model is installed."""

    code = "T300"


class StoreError(TacitusError):
    """The event store could not be opened or written."""

    code = "T400"


class EvalError(TacitusError):
    """A gold file could not be read or scored."""

    code = "T500"


class WorkerError(TacitusError):
    """A worker process of `--jobs` died before it finished its documents."""

    code = "T600"
