"""Rebuild src/tacitus/data/cameo.tsv from the two reference tables.

    python scripts/build_cameo_table.py [--reference ../shared/reference] [--out src/tacitus/data/cameo.tsv]

Inputs (facts only): `cameo-codes.tsv` (the ICEWS CAMEO 1.1b3 code table) and `cameo2plover-2021.txt`
(the PLOVER project's draft CAMEO->PLOVER table), with the valid modes per PLOVER type read from
`plover.md`. The decisions applied here are explained in src/tacitus/data/cameo_SOURCE.md; the script
prints the codes each decision touched so that file can be checked against it.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from tacitus.taxonomy import PLOVER_MODES  # noqa: E402  (checked against plover.md below)

COLUMNS = ["code", "root", "quad", "goldstein", "name", "plover", "plover_mode"]
NO_PLOVER_ROOTS = {"01", "02"}  # PLOVER codes neither statements nor appeals
PLOVER_ROW = re.compile(r"^(\d{2,4}):\s*(.*)$")
MODE_LINE = re.compile(r"^- ([A-Z, ]+): (.+)$")


def read_cameo_codes(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def read_plover_modes(path: Path) -> dict[str, set[str]]:
    """The modes section of plover.md: '- TYPE[, TYPE]: mode, mode, ...' (continued on indented lines)."""
    modes: dict[str, set[str]] = {}
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = MODE_LINE.match(line)
        if match:
            current = [t.strip() for t in match.group(1).split(",")]
            words = match.group(2)
        elif current and line.startswith("  "):
            words = line
        else:
            current = []
            continue
        for plover_type in current:
            modes.setdefault(plover_type, set()).update(w.strip() for w in words.split(",") if w.strip())
    return modes


def read_plover_table(path: Path, report: list[str]) -> dict[str, tuple[str, str]]:
    """code -> (type, second field). The first row for a code wins; later rows are reported."""
    rows: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PLOVER_ROW.match(line.strip())
        if not match:
            continue
        code, rest = match.groups()
        fields = [f.strip() for f in rest.split("#", 1)[0].split(",")]
        plover_type = fields[0]
        second = fields[1] if len(fields) > 1 else ""
        if code in rows:
            same = "same" if rows[code] == (plover_type, second) else "different"
            report.append(f"duplicate row {code}: {plover_type}, {second!r} ({same}; kept {rows[code]})")
            continue
        rows[code] = (plover_type, second)
    return rows


def parents(code: str) -> list[str]:
    """4-digit -> 3-digit -> root; 3-digit -> root."""
    return [code[:n] for n in (3, 2) if n < len(code)]


def build_rows(cameo: list[dict[str, str]], plover_rows: dict[str, tuple[str, str]],
               modes: dict[str, set[str]], report: list[str]) -> list[dict[str, str]]:
    known = {r["code"] for r in cameo}
    for code in plover_rows:
        if code not in known:
            report.append(f"not a CAMEO 1.1b3 code, dropped: {code} {plover_rows[code]}")
    out = []
    for r in cameo:
        code = r["code"]
        plover_type, mode = "", ""
        if r["root"] not in NO_PLOVER_ROOTS:
            if code in plover_rows:
                plover_type, second = plover_rows[code]
            else:
                parent = next(p for p in parents(code) if p in plover_rows)
                plover_type, second = plover_rows[parent]
                report.append(f"no row, inherited from {parent}: {code} -> {plover_type}, {second!r}")
            if plover_type not in PLOVER_MODES:
                raise SystemExit(f"{code}: {plover_type!r} is not a PLOVER type")
            if second in modes.get(plover_type, set()):
                mode = second
            elif second:
                report.append(f"not a mode of {plover_type}, left empty: {code} {second!r}")
        out.append({**{k: r[k] for k in ("code", "root", "quad", "goldstein", "name")},
                    "plover": plover_type, "plover_mode": mode})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "tacitus" / "data" / "cameo.tsv")
    args = parser.parse_args()

    modes = read_plover_modes(args.reference / "plover.md")
    expected = {t: set(m) for t, m in PLOVER_MODES.items() if m}
    if modes != expected:
        raise SystemExit(f"plover.md modes differ from tacitus.taxonomy.PLOVER_MODES: {modes} != {expected}")
    report: list[str] = []
    cameo = read_cameo_codes(args.reference / "cameo-codes.tsv")
    plover_rows = read_plover_table(args.reference / "cameo2plover-2021.txt", report)
    rows = build_rows(cameo, plover_rows, modes, report)

    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    for line in report:
        print(line)
    print(f"wrote {len(rows)} codes to {args.out}")


if __name__ == "__main__":
    main()
