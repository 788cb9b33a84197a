"""The Traditional Chinese edition (notebooks/zh-TW/, from translations/zh-TW/*.po by tools/translate.py): every
markdown cell translated and not stale, code cells byte for byte the English ones, Traditional characters only
(OpenCC s2tw changes nothing), the glossary's terms and Taiwan's words, and the notebooks what the build writes."""
import re
from pathlib import Path

import nbformat
import polib
import pytest

import translate

NAMES = [p.name for p in translate.series()]
ZH = translate.edition_folder("zh-TW")
NOTES = Path(__file__).resolve().parents[2] / "shared" / "seed"


def code(notebook):
    return [c.source for c in notebook.cells if c.cell_type == "code" and "language" not in c.metadata.get("tags", [])]


def test_every_notebook_has_its_chinese_edition():
    assert [p.name for p in translate.series(ZH)] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_markdown_cell_is_translated_and_none_is_stale(name):
    problems = translate.problems(translate.SOURCE / name, "zh-TW")
    assert not problems, f"{name}: run `python tools/translate.py check {name}`:\n" + "\n".join(
        f"markdown cell {k}: {p}" for k, p in problems)


@pytest.mark.parametrize("name", NAMES)
def test_the_chinese_notebook_is_what_the_build_writes_and_its_code_is_the_english_code(name):
    english = nbformat.read(translate.SOURCE / name, as_version=4)
    built, committed = translate.translated(translate.SOURCE / name, "zh-TW"), nbformat.read(ZH / name, as_version=4)
    assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in built.cells], \
        f"notebooks/zh-TW/{name} is not what tools/translate.py writes from notebooks/{name}: run `make notebooks`"
    assert code(committed) == code(english)
    setting = [c for c in committed.cells if "language" in c.metadata.get("tags", [])]
    assert [c.source for c in setting] == ['import lecture7\n\nlecture7.set_language("zh-TW")']
    first_code = next(c for c in committed.cells if c.cell_type == "code")
    assert first_code is setting[0], "the language is set before any code runs"


def test_a_changed_english_cell_shows_up_as_stale_and_a_new_one_as_missing():
    po = translate.catalogue(translate.SOURCE / "01_chain_rule.ipynb", "zh-TW")
    texts = [e.msgid for e in po]
    changed = texts[1].replace("learning rate", "step size")
    merged = translate.merged(po, "01_chain_rule.ipynb", [texts[0], changed, "A cell added later.", *texts[2:]], "zh-TW")
    stale = merged.find(changed)
    assert "fuzzy" in stale.flags and stale.previous_msgid == texts[1] and stale.msgstr == po.find(texts[1]).msgstr
    assert any("stale" in p for p in translate.entry_problems(stale))
    assert translate.entry_problems(merged.find("A cell added later.")) == ["no translation"]
    assert merged.find(texts[0]).msgstr == po.find(texts[0]).msgstr and not merged.find(texts[0]).flags


def test_the_checks_catch_a_dropped_formula_simplified_characters_and_a_mainland_term():
    entry = polib.POEntry(msgid="The chain rule gives $\\partial z/\\partial x$ in `net.backward`.",
                          msgstr="链式法則給出 `net.backward` 的數據。")
    problems = " ".join(translate.entry_problems(entry))
    assert "math differ" in problems and "Simplified characters" in problems and "鏈式法則" not in problems
    assert "數據: Taiwan writes 資料" in problems


def test_the_lecture_notes_and_every_chinese_quote_of_the_english_edition_pass_opencc_unchanged():
    texts = [c.source for name in NAMES for c in nbformat.read(translate.SOURCE / name, as_version=4).cells]
    chinese = [run for text in texts for run in re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text)]
    assert chinese and not [run for run in chinese if translate.opencc_changes(run)]
    if NOTES.exists():   # the notes live beside the repository, not in it
        for path in NOTES.glob("*.md"):
            assert not translate.opencc_changes(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("edition", ["English", "zh-TW"])
def test_the_index_glossary_is_the_glossary_the_checks_use(edition):
    folder = translate.SOURCE if edition == "English" else ZH
    index = next(c.source for c in nbformat.read(folder / "00_index.ipynb", as_version=4).cells
                 if c.cell_type == "markdown" and re.search(r"(?m)^\|\s*English\s*\|", c.source))
    table = re.findall(r"(?m)^\|\s*([a-z][^|]*?)\s*\|\s*([^|]*?)\s*\|$", index)
    assert table == [(row["english"], row["term"]) for row in translate._glossary()]
