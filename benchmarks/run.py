"""Throughput of Tacitus against the spaCy parse it depends on, on one generated corpus, in one run.

    .venv/bin/python benchmarks/run.py --docs 1000 --repeat 5

Measures, on the same documents (benchmarks/corpus.py):

  a    spaCy alone, running exactly what Tacitus runs: tacitus.nlp.load_pipeline() (same model, same
       components, the line-break component) through nlp.pipe with Tacitus' batch size;
  a'   spaCy's English small pipeline as spacy.load() gives it (every component it enables by default);
  b    Tacitus end to end without a store: JSONL file -> readers -> parse -> actors -> events -> JSONL
       records (written to /dev/null), one process;
  b+s  `tacitus code FILE --format jsonl --db TMP.duckdb` (the CLI, storing into a new DuckDB file);
  c    as b on `--jobs N` worker processes (default 2), workers started and warmed up first.

Each measurement runs in its own process (so that its peak memory is its own), after a warm-up on
the first documents; the modes take turns, `--repeat` times, and the fastest run of each counts (on a
shared machine other work only ever makes a run slower). Peak memory is the process's maximum
resident set size; for c, the largest worker's.

It also checks that matching is linear: the coder alone (actors + events, on parses made once) with
the packaged patterns and dictionaries, then with 10x as many synthetic patterns on lemmas that never
occur and 10x as many synthetic people, must take about the same time and give the same events.

Prints a Markdown table and writes the figures to benchmarks/results.json.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/corpus.py, next to this file)

MODES = ("spacy", "spacy-full", "tacitus", "tacitus-store", "jobs")
LABELS = {
    "spacy": "a: spaCy, Tacitus' components",
    "spacy-full": "a': spaCy, full en_core_web_sm",
    "tacitus": "b: Tacitus, no store",
    "tacitus-store": "b+s: `tacitus code` into DuckDB",
    "jobs": "c: Tacitus, --jobs {jobs}",
}
WARMUP_DOCS = 40
LINEAR_MAX_DOCS = 400
SCALE = 10  # how many times the packaged patterns and people the linear check adds


def peak_rss_mb() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(kib / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


# --- one measurement, in its own process ------------------------------------------------------------------

def _texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def _sentence_count(doc) -> int:
    return int((doc.to_array("SENT_START") == 1).sum())


def _measure_spacy(path: Path, full: bool, batch_size: int) -> dict:
    import importlib
    import importlib.util

    from tacitus.nlp import MODEL_PACKAGES, load_pipeline

    if full:
        package = next(name for name in MODEL_PACKAGES if importlib.util.find_spec(name))
        nlp = importlib.import_module(package).load()
    else:
        nlp = load_pipeline()
    texts = _texts(path)
    list(nlp.pipe(texts[:WARMUP_DOCS], batch_size=batch_size))
    start, cpu = time.perf_counter(), time.process_time()
    sentences = sum(_sentence_count(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "docs": len(texts), "sentences": sentences,
            "components": nlp.pipe_names}


def _events_out(coded_documents, out) -> int:
    """What `--format jsonl` does with the events: one JSON object a line."""
    events = 0
    for coded in coded_documents:
        for event in coded.events:
            out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        events += len(coded.events)
    return events


def _documents(path: Path):
    from tacitus.documents import read_documents
    from tacitus.records import Document

    return (d for d in read_documents([str(path)]) if isinstance(d, Document))


def _warmup_file(path: Path, tmp: Path) -> Path:
    warm = tmp / "warmup.jsonl"
    with path.open(encoding="utf-8") as src, warm.open("w", encoding="utf-8") as out:
        for _, line in zip(range(WARMUP_DOCS), src):
            out.write(line)
    return warm


def _measure_tacitus(path: Path, jobs: int, batch_size: int, tmp: Path) -> dict:
    from tacitus.pipeline import CoderOptions, code_documents

    warm = _warmup_file(path, tmp)
    result: dict = {}
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        if jobs == 1:
            options = CoderOptions(batch_size=batch_size)
            _events_out(code_documents(_documents(warm), options), devnull)
            start, cpu = time.perf_counter(), time.process_time()
            events = _events_out(code_documents(_documents(path), options), devnull)
            seconds = time.perf_counter() - start
            result["cpu_seconds"] = time.process_time() - cpu
        else:
            from tacitus.parallel import CoderPool

            options = CoderOptions(batch_size=batch_size, jobs=jobs)
            started = time.perf_counter()
            with CoderPool(options, jobs) as pool:
                pool.start()
                result["pool_start_seconds"] = round(time.perf_counter() - started, 2)
                _events_out(pool.code(_documents(warm)), devnull)
                before = sum(s.cpu_seconds or 0 for s in pool.worker_stats())
                start, cpu = time.perf_counter(), time.process_time()
                events = _events_out(pool.code(_documents(path)), devnull)
                seconds = time.perf_counter() - start
                result["parent_cpu_seconds"] = time.process_time() - cpu
                stats = pool.worker_stats()
                # All the CPU time the run took, the workers' and this process's (the parent's).
                result["cpu_seconds"] = (sum(s.cpu_seconds or 0 for s in stats) - before
                                         + result["parent_cpu_seconds"])
                result["worker_peak_rss_mb"] = max(s.peak_rss_mb or 0 for s in stats)
    result.update({"seconds": seconds, "events": events})
    return result


def _measure_cli(path: Path, batch_size: int, tmp: Path) -> dict:
    """`tacitus code FILE --format jsonl --db NEW.duckdb -q`, in this process, after a warm-up run."""
    from tacitus.cli import code_command, main

    options = [p.name for p in code_command.params]
    extra = ["--jobs", "1"] if "jobs" in options else []
    if batch_size != 64:
        raise SystemExit("the CLI run uses the default batch size; leave --batch-size at 64")

    def run(source: Path, db: Path) -> tuple[float, float]:
        args = ["code", str(source), "--format", "jsonl", "--db", str(db), "-q", *extra]
        with open(os.devnull, "w", encoding="utf-8") as devnull, contextlib.redirect_stdout(devnull):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                main.main(args, standalone_mode=False)
            except SystemExit as exc:
                if exc.code:
                    raise RuntimeError(f"tacitus code exited with {exc.code}") from exc
            return time.perf_counter() - start, time.process_time() - cpu

    run(_warmup_file(path, tmp), tmp / "warmup.duckdb")
    seconds, cpu = run(path, tmp / "timed.duckdb")
    return {"seconds": seconds, "cpu_seconds": cpu,
            "db_mb": round((tmp / "timed.duckdb").stat().st_size / 2**20, 1)}


def measure(mode: str, path: Path, jobs: int, batch_size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="tacitus-bench-") as tmp:
        if mode in ("spacy", "spacy-full"):
            result = _measure_spacy(path, mode == "spacy-full", batch_size)
        elif mode == "tacitus":
            result = _measure_tacitus(path, 1, batch_size, Path(tmp))
        elif mode == "jobs":
            result = _measure_tacitus(path, jobs, batch_size, Path(tmp))
        elif mode == "tacitus-store":
            result = _measure_cli(path, batch_size, Path(tmp))
        else:
            raise SystemExit(f"unknown mode {mode}")
    result["peak_rss_mb"] = peak_rss_mb()
    return result


# --- linear matching ---------------------------------------------------------------------------------------

def _synthetic_word(rng: random.Random) -> str:
    # "Zq" never starts an English word or a name in the corpus, so nothing synthetic ever matches.
    return "Zq" + "".join(rng.choice("aeiou") + rng.choice("bdfgklmnprstvz") for _ in range(3))


def write_synthetic_files(tmp: Path, patterns: int, people: int, seed: int = 7) -> tuple[Path, Path]:
    """A pattern file and a people file whose triggers and names never occur in the corpus."""
    rng = random.Random(seed)
    codes = ("010", "020", "036", "040", "042", "057", "111", "112", "130", "173", "190")
    pattern_file = tmp / "synthetic-patterns.jsonl"
    with pattern_file.open("w", encoding="utf-8") as out:
        for i in range(patterns):
            record = {"id": f"bench.synthetic.{i}", "code": codes[i % len(codes)],
                      ("noun" if i % 4 == 0 else "verb"): _synthetic_word(rng).lower()}
            if i % 3 == 0:
                record["object"] = [_synthetic_word(rng).lower()]
            out.write(json.dumps(record) + "\n")
    people_file = tmp / "synthetic-people.jsonl"
    with people_file.open("w", encoding="utf-8") as out:
        for i in range(people):
            name = f"{_synthetic_word(rng)} {_synthetic_word(rng)}"
            out.write(json.dumps({"id": f"bench.person.{i}", "name": name, "country": "USA",
                                  "roles": [{"from": "2000-01-01", "to": None, "code": "USAGOV"}]}) + "\n")
    return pattern_file, people_file


def measure_linear(path: Path, batch_size: int, repeat: int) -> dict:
    from tacitus.actors import DocumentMemory, find_mentions, load_actor_dictionary
    from tacitus.events import code_document, load_patterns
    from tacitus.nlp import load_pipeline

    documents = list(_documents(path))[:LINEAR_MAX_DOCS]
    nlp = load_pipeline()
    parses = list(nlp.pipe((d.text for d in documents), batch_size=batch_size))
    sentences = sum(_sentence_count(doc) for doc in parses)
    base_patterns, base_actors = load_patterns(), load_actor_dictionary()
    base_forms = len(base_actors.entries_by_key)

    def coder(dictionary, patterns) -> tuple[float, list]:
        start = time.process_time()  # CPU time: the comparison is of work done, not of a busy machine
        events = []
        for doc, document in zip(parses, documents):
            memory = DocumentMemory()
            mentions = find_mentions(doc, dictionary, document.date, memory)
            events.extend(e.to_dict() for e in code_document(doc, mentions, memory, doc_id=document.id,
                                                             doc_date=document.date, patterns=patterns))
        return time.process_time() - start, events

    with tempfile.TemporaryDirectory(prefix="tacitus-bench-") as tmp:
        people_count = sum(1 for e in {e for es in base_actors.entries_by_key.values() for e in es}
                           if e.kind == "person")
        pattern_file, people_file = write_synthetic_files(Path(tmp), SCALE * len(base_patterns),
                                                          SCALE * people_count)
        variants = {
            "packaged": (base_actors, base_patterns),
            f"patterns x{SCALE + 1}": (base_actors, load_patterns((str(pattern_file),))),
            f"people x{SCALE + 1}": (load_actor_dictionary((str(people_file),)), base_patterns),
        }
        variants[f"both x{SCALE + 1}"] = (variants[f"people x{SCALE + 1}"][0], variants[f"patterns x{SCALE + 1}"][1])
        coder(base_actors, base_patterns)  # warm-up
        times: dict[str, list[float]] = {name: [] for name in variants}
        events: dict[str, list] = {}
        for _ in range(max(repeat, 3)):  # variants take turns, so that a busy moment hits them all alike
            for name, (dictionary, patterns) in variants.items():
                seconds, events[name] = coder(dictionary, patterns)
                times[name].append(seconds)
        rows = {}
        for name, (dictionary, patterns) in variants.items():
            best = min(times[name])
            rows[name] = {"patterns": len(patterns), "surface_forms": len(dictionary.entries_by_key),
                          "seconds": best, "sentences_per_s": round(sentences / best, 1),
                          "events": len(events[name]), "same_events": events[name] == events["packaged"]}
    base = rows["packaged"]["seconds"]
    for row in rows.values():
        row["time_vs_packaged"] = round(row["seconds"] / base, 3)
    return {"docs": len(documents), "sentences": sentences, "packaged_surface_forms": base_forms,
            "variants": rows}


# --- the driver ---------------------------------------------------------------------------------------------

def _spawn(args: list[str]) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"measurement {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _machine() -> dict:
    import spacy

    from tacitus.nlp import load_pipeline, model_name

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "spacy": spacy.__version__, "model": model_name(load_pipeline()),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def _table(results: dict) -> str:
    modes, jobs = results["modes"], results["settings"]["jobs"]
    sentences = modes["spacy"]["sentences"]
    lines = ["| run | docs/s | sentences/s | peak RSS (MB) | time vs a | time vs a' |",
             "|---|---:|---:|---:|---:|---:|"]
    a, a_full = modes["spacy"]["seconds"], modes["spacy-full"]["seconds"]
    for mode in MODES:
        row = modes[mode]
        rss = f"{row['peak_rss_mb']:.0f}"
        if "worker_peak_rss_mb" in row:
            rss = f"{row['worker_peak_rss_mb']:.0f} per worker ({row['peak_rss_mb']:.0f} parent)"
        lines.append(f"| {LABELS[mode].format(jobs=jobs)} | {results['corpus']['docs'] / row['seconds']:.1f} "
                     f"| {sentences / row['seconds']:.0f} | {rss} | {row['seconds'] / a:.3f} "
                     f"| {row['seconds'] / a_full:.3f} |")
    r = results["ratios"]
    lines.append("")
    lines.append(f"Wall-clock time: b/a = {r['b/a']:.3f}, b/a' = {r['b/a_full']:.3f}, "
                 f"(b+s)/a = {r['b+s/a']:.3f}, (b+s)/a' = {r['b+s/a_full']:.3f}; CPU time of the process: "
                 f"b/a = {r['b/a cpu']:.3f}, b/a' = {r['b/a_full cpu']:.3f}, (b+s)/a = {r['b+s/a cpu']:.3f}, "
                 f"(b+s)/a' = {r['b+s/a_full cpu']:.3f} (target: at most 1.15). "
                 f"c/b = {r['c/b']:.2f}x the throughput of b on {jobs} processes (target: at least 1.7x on 2 cores); "
                 f"c takes {r['c/b cpu work']:.2f}x b's CPU time in all (parent and workers).")
    linear = results.get("linear")
    if linear:
        lines += ["", f"Linear matching (coder alone, {linear['docs']} documents, {linear['sentences']} sentences):",
                  "", "| patterns and dictionary | patterns | surface forms | sentences/s | time vs packaged "
                      "| same events |", "|---|---:|---:|---:|---:|---|"]
        for name, row in linear["variants"].items():
            lines.append(f"| {name} | {row['patterns']} | {row['surface_forms']} | {row['sentences_per_s']:.0f} "
                         f"| {row['time_vs_packaged']:.3f} | {'yes' if row['same_events'] else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Tacitus throughput benchmark (see benchmarks/README.md).")
    parser.add_argument("--docs", type=int, default=1000, help="documents in the generated corpus")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each mode; the fastest counts")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for run c")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of " + ",".join(MODES))
    parser.add_argument("--no-linear", action="store_true", help="skip the linear-matching check")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one measurement in this process
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure == "linear":
        print(json.dumps(measure_linear(args.corpus, args.batch_size, args.repeat)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.jobs, args.batch_size)))
        return

    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes {sorted(unknown)}")
    records = corpus.generate(args.docs, args.seed)
    with tempfile.TemporaryDirectory(prefix="tacitus-bench-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        corpus.write_jsonl(records, path)
        common = ["--corpus", str(path), "--jobs", str(args.jobs), "--batch-size", str(args.batch_size)]
        runs: dict[str, list[dict]] = {mode: [] for mode in modes}
        for round_ in range(args.repeat):
            for mode in modes:
                result = _spawn(["--measure", mode, *common])
                runs[mode].append(result)
                print(f"round {round_ + 1}/{args.repeat} {mode}: {result['seconds']:.2f}s", file=sys.stderr)
        linear = None if args.no_linear else _spawn(["--measure", "linear", "--repeat", str(args.repeat), *common])

    modes_out = {}
    for mode, results in runs.items():
        best = min(results, key=lambda r: r["seconds"])
        row = dict(best)
        row["all_seconds"] = [round(r["seconds"], 3) for r in results]
        row["median_seconds"] = round(statistics.median(r["seconds"] for r in results), 3)
        row["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
        if "cpu_seconds" in best:
            row["cpu_seconds"] = min(r["cpu_seconds"] for r in results)
        if "worker_peak_rss_mb" in best:
            row["worker_peak_rss_mb"] = max(r["worker_peak_rss_mb"] for r in results)
        modes_out[mode] = row
    if "spacy" in modes_out:
        for row in modes_out.values():
            row["sentences"] = modes_out["spacy"]["sentences"]
    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": "benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "corpus": {"docs": len(records), "seed": args.seed, "fingerprint": corpus.fingerprint(records),
                   "characters": sum(len(r["text"]) for r in records)},
        "settings": {"repeat": args.repeat, "jobs": args.jobs, "batch_size": args.batch_size,
                     "warmup_docs": WARMUP_DOCS},
        "machine": _machine(),
        "modes": modes_out,
    }
    if set(MODES) <= set(modes_out):
        t = {m: modes_out[m]["seconds"] for m in MODES}
        results["ratios"] = {
            "b/a": round(t["tacitus"] / t["spacy"], 3), "b/a_full": round(t["tacitus"] / t["spacy-full"], 3),
            "b+s/a": round(t["tacitus-store"] / t["spacy"], 3),
            "b+s/a_full": round(t["tacitus-store"] / t["spacy-full"], 3),
            "c/b": round(t["tacitus"] / t["jobs"], 3),
            # The work of c (all its processes' CPU time) over the work of b: what splitting costs.
            "c/b cpu work": round(modes_out["jobs"]["cpu_seconds"] / modes_out["tacitus"]["cpu_seconds"], 3),
        }
        # CPU time of the one process: the same ratios, unaffected by other work on a shared machine.
        cpu = {m: modes_out[m]["cpu_seconds"] for m in ("spacy", "spacy-full", "tacitus", "tacitus-store")}
        results["ratios"].update({
            "b/a cpu": round(cpu["tacitus"] / cpu["spacy"], 3),
            "b/a_full cpu": round(cpu["tacitus"] / cpu["spacy-full"], 3),
            "b+s/a cpu": round(cpu["tacitus-store"] / cpu["spacy"], 3),
            "b+s/a_full cpu": round(cpu["tacitus-store"] / cpu["spacy-full"], 3),
        })
    if linear:
        results["linear"] = linear
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if "ratios" in results:
        print(_table(results))
    else:
        print(json.dumps(results["modes"], indent=2))
    print(f"\nwritten to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
