"""The Traditional Chinese edition, generated from the English notebooks and a gettext catalogue, so the two never drift.

    python tools/translate.py update [NOTEBOOK ...]   bring translations/zh-TW/*.po up to the English notebooks
    python tools/translate.py build [NOTEBOOK ...]    update, then write notebooks/zh-TW/ (sources, no outputs yet)
    python tools/translate.py status                  count translated, stale and missing cells
    python tools/translate.py check [NOTEBOOK ...]    every problem of the translations (what the tests assert)

`make notebooks` runs `build`, executes the Chinese notebooks and builds their learner's edition.

One catalogue per notebook, `translations/zh-TW/NAME.po`, one entry per markdown cell: the msgid is the English
cell, the msgstr its translation, the occurrence (`#: NAME.ipynb:K`) the cell's place among the notebook's markdown
cells. Code cells are not translated: the Chinese notebook has the English one's code cells byte for byte, after one
added cell (tagged `language`) that calls `lecture7.set_language("zh-TW")`, so that what the package prints and draws
is in Chinese too.

When an English cell changes, `update` finds the entry it was (the most alike among the entries no longer used),
keeps its translation, marks it fuzzy and keeps the old English as its previous msgid (gettext's `#| msgid`), as
msgmerge does. A fuzzy entry is a stale translation: the Chinese edition still shows it, and tests/test_translation.py
fails until a translator updates the msgstr and removes the fuzzy flag. A new cell gets an empty msgstr: the Chinese
edition shows the English cell, and the test fails too.
"""
import argparse
import collections
import csv
import difflib
import functools
import re
import sys
from pathlib import Path

import nbformat
import polib

from lecture7.cli import series as notebooks_in

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
CATALOGUES = ROOT / "translations"
LANGUAGES = ("zh-TW",)
LANGUAGE_CELL = 'import lecture7\n\nlecture7.set_language("{language}")'
GLOSSARY = CATALOGUES / "zh-TW" / "glossary.tsv"   # english, term, avoid: the one Chinese term of each English one
USAGE = CATALOGUES / "zh-TW" / "usage.tsv"   # use, avoid: everyday words where Taiwan and the Mainland differ
ALIKE = 0.5   # below this SequenceMatcher ratio an unmatched old entry is not taken as the cell's earlier text


def series(folder=SOURCE):
    return notebooks_in(folder)


def catalogue_path(name, language):
    return CATALOGUES / language / f"{Path(name).stem}.po"


# the index's first cell links to the other edition: each edition has its own, not a translation
SWITCH = "edition-switch"
SWITCHES = {"zh-TW": "**English edition**: [../00_index.ipynb](../00_index.ipynb), the same series in English."}


def english_cells(notebook):
    """The markdown cells of an English notebook, in order: what the catalogue translates."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown" and SWITCH not in cell.metadata.get("tags", [])]


def merged(old, name, texts, language):
    """A new catalogue for the English markdown `texts` of notebook `name`, carrying over the translations of `old`:
    exact entries as they are, a changed cell's entry as fuzzy with its previous msgid, new cells untranslated."""
    new = polib.POFile(wrapwidth=0)
    new.metadata = {"Project-Id-Version": "lecture7", "Language": language,
                    "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    current = set(texts)
    unused = [e for e in old if not e.obsolete and e.msgid not in current and e.msgstr]
    for k, text in enumerate(texts, start=1):
        place = (name, str(k))
        entry = new.find(text)
        if entry:   # the same English twice in one notebook: one translation
            entry.occurrences.append(place)
            continue
        before = old.find(text)
        if before and not before.obsolete:
            entry = polib.POEntry(msgid=text, msgstr=before.msgstr, flags=list(before.flags),
                                  previous_msgid=before.previous_msgid, tcomment=before.tcomment)
        else:
            entry = polib.POEntry(msgid=text, msgstr="")
            earlier = _most_alike(text, unused)
            if earlier:
                unused.remove(earlier)
                entry.msgstr, entry.flags = earlier.msgstr, ["fuzzy"]
                entry.previous_msgid = earlier.previous_msgid or earlier.msgid
        entry.occurrences = [place]
        new.append(entry)
    return new


def _most_alike(text, entries):
    scored = [(difflib.SequenceMatcher(None, text, e.msgid, autojunk=False).ratio(), i) for i, e in enumerate(entries)]
    best = max(scored, default=(0, None))
    return entries[best[1]] if best[0] >= ALIKE else None


def catalogue(path, language):
    """The catalogue of English notebook `path` brought up to its current cells (in memory; `update` saves it)."""
    po_path = catalogue_path(path.name, language)
    old = polib.pofile(str(po_path), wrapwidth=0) if po_path.exists() else polib.POFile()
    return merged(old, path.name, english_cells(nbformat.read(path, as_version=4)), language)


def translated(path, language, po=None):
    """The `language` edition of English notebook `path`: markdown from the catalogue (English where a cell has no
    translation yet), code cells as they are, the language cell before the first code cell, outputs kept."""
    po = po or catalogue(path, language)
    notebook = nbformat.read(path, as_version=4)
    cells, first_code = [], True
    for cell in notebook.cells:
        if SWITCH in cell.metadata.get("tags", []):
            cell.source = SWITCHES[language]
        elif cell.cell_type == "markdown":
            entry = po.find(cell.source)
            if entry and entry.msgstr:
                cell.source = entry.msgstr
        elif cell.cell_type == "code" and first_code:
            first_code = False
            setting = nbformat.v4.new_code_cell(LANGUAGE_CELL.format(language=language))
            setting.id, setting.metadata = "language", {"tags": ["language"]}
            cells.append(setting)
        cells.append(cell)
    notebook.cells = cells
    notebook.metadata.setdefault("lecture7", {})["language"] = language
    return notebook


def edition_folder(language):
    return SOURCE / language


def update(language, paths=()):
    written = []
    for path in paths or series():
        po_path = catalogue_path(path.name, language)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        catalogue(path, language).save(str(po_path))
        written.append(po_path)
    return written


def build(language, paths=()):
    """Update the catalogues, then write the `language` source notebooks (their code's outputs are the English run's
    until `make notebooks` executes them)."""
    update(language, paths)
    out = edition_folder(language)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths or series():
        target = out / path.name
        notebook = translated(path, language)
        if target.exists():   # keep the outputs of the last run: `make notebooks` executes what it wrote
            _keep_outputs(notebook, nbformat.read(target, as_version=4))
        nbformat.write(notebook, target)
        written.append(target)
    return written


def _keep_outputs(notebook, before):
    outputs = {c.id: c for c in before.cells if c.cell_type == "code"}
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.id in outputs and outputs[cell.id].source == cell.source:
            cell.outputs, cell.execution_count = outputs[cell.id].outputs, outputs[cell.id].execution_count


# ---- what a translation must keep, and the words it must use ------------------------------------------------

FENCE = re.compile(r"```.*?```", re.S)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
TAG = re.compile(r"</?[a-z]+")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
HEADING = re.compile(r"^(#+) ", re.M)
TEXT = re.compile(r"\\text\{[^{}]*\}")   # words inside math may be translated
GLOSSARY_ROW = re.compile(r"(?m)^\|\s*[a-z][^|]*\|\s*[^|]*\|$")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@functools.cache
def _glossary():
    with open(GLOSSARY, encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


@functools.cache
def _usage():
    with open(USAGE, encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def _prose(text):
    """`text` without its code blocks, math and code spans: the words."""
    return CODE.sub(" ", MATH.sub(" ", FENCE.sub(" ", text)))


def kept(text):
    """What a translation keeps of `text`, in any order: its code blocks, math (words in \\text{} aside), code spans,
    link targets, HTML tags, the numbers of its prose and its headings' levels."""
    words = _prose(text)
    return {"code blocks": collections.Counter(FENCE.findall(text)),
            "math": collections.Counter(TEXT.sub(r"\\text{}", m) for m in MATH.findall(FENCE.sub(" ", text))),
            "code spans": collections.Counter(CODE.findall(MATH.sub(" ", FENCE.sub(" ", text)))),
            "links": collections.Counter(LINK.findall(words)),
            "HTML tags": collections.Counter(TAG.findall(words)),
            "numbers": collections.Counter(NUMBER.findall(words)),
            "headings": HEADING.findall(FENCE.sub(" ", text))}


@functools.cache
def _s2tw():
    import opencc
    return opencc.OpenCC("s2tw")   # characters only: s2twp would also turn correct 函數 into 函式


def opencc_changes(text):
    """The characters OpenCC's s2tw would change in `text` (Simplified ones): [] for Traditional Chinese."""
    converted = _s2tw().convert(text)
    return [(a, b) for a, b in zip(text, converted) if a != b]


def entry_problems(entry):
    """What is wrong with one catalogue entry's translation, each as a sentence ([] when nothing is)."""
    if not entry.msgstr:
        return ["no translation"]
    problems = ["stale: the English changed since it was translated (fuzzy)"] if "fuzzy" in entry.flags else []
    english, chinese = kept(entry.msgid), kept(entry.msgstr)
    for what in english:
        if english[what] != chinese[what]:
            if isinstance(english[what], list):
                problems.append(f"{what} differ: {english[what]} in English, {chinese[what]} in Chinese")
            else:
                lost, added = english[what] - chinese[what], chinese[what] - english[what]
                problems.append(f"{what} differ: lost {sorted(lost)}, added {sorted(added)}")
    if not CJK.search(_prose(entry.msgstr)) and CJK.search(_prose(entry.msgid)) is None and _prose(entry.msgid).strip():
        problems.append("the translation has no Chinese")
    changed = opencc_changes(entry.msgstr)
    if changed:
        problems.append(f"Simplified characters (OpenCC s2tw would change them): {changed}")
    for row in _glossary():
        for word in filter(None, row["avoid"].split(",")):
            if entry.msgstr.count(word) > entry.msgid.count(word):
                problems.append(f"{word}: the edition writes {row['term']} for {row['english']}")
    for row in _usage():
        if entry.msgstr.count(row["avoid"]) > entry.msgid.count(row["avoid"]):
            problems.append(f"{row['avoid']}: Taiwan writes {row['use']}")
    return problems


def first_use_problems(po):
    """Each glossary term whose first appearance in the notebook (outside math and code, and not as part of a longer
    glossary term) is not followed by its English in parentheses, as 連鎖律（chain rule）."""
    rows = sorted(_glossary(), key=lambda row: -len(row["term"]))
    # a row of the index's glossary table has the English beside the term already, in its own column
    text = GLOSSARY_ROW.sub("", "\n".join(_prose(entry.msgstr) for entry in po if entry.msgstr))
    problems = []
    for row in rows:
        masked = text
        for longer in rows:
            if row["term"] in longer["term"] and longer["term"] != row["term"]:
                masked = masked.replace(longer["term"], "＿" * len(longer["term"]))
        at = masked.find(row["term"])
        if at < 0:
            continue
        after = masked[at + len(row["term"]):at + len(row["term"]) + 60]
        english = row["english"].split(" (")[0].lower()
        match = re.match(r"\s*[（(]([^）)]*)[）)]", after)
        if not match or english.rstrip("s")[:-1] not in match.group(1).lower():
            problems.append(f"{row['term']} first appears without ({row['english']}) after it: …{masked[max(0, at - 20):at + 30]}…")
    return problems


def problems(path, language):
    """Every problem of the translation of English notebook `path`: (cell number, sentence) pairs."""
    po = catalogue(path, language)
    found = [(entry.occurrences[0][1], p) for entry in po for p in entry_problems(entry)]
    return found + [("-", p) for p in first_use_problems(po)]


def status(language):
    rows = []
    for path in series():
        po = catalogue(path, language)
        rows.append((path.name, len(po.translated_entries()), len(po.fuzzy_entries()), len(po.untranslated_entries())))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "build", "status", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path, help="English notebooks (default: all of notebooks/)")
    parser.add_argument("--language", default="zh-TW", choices=LANGUAGES)
    args = parser.parse_args(argv)
    paths = [SOURCE / p.name for p in args.notebooks]
    if args.command == "status":
        for name, done, stale, missing in status(args.language):
            print(f"{name}: {done} translated, {stale} stale, {missing} missing")
        return 0
    if args.command == "check":
        found = [(path.name, k, p) for path in paths or series() for k, p in problems(path, args.language)]
        for name, k, p in found:
            print(f"{name}, markdown cell {k}: {p}")
        print(f"{len(found)} problems")
        return 1 if found else 0
    for path in (update if args.command == "update" else build)(args.language, paths):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
