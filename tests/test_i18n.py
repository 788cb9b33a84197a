"""The package in Traditional Chinese (lecture7.set_language("zh-TW")): one catalogue, lecture7/locale/zh-TW.po, that holds
every text the code translates and nothing else, in Taiwan's words and characters; figures and widgets drawn in Chinese
without a missing glyph; and English again, byte for byte, after set_language("en").

The figures and widgets drawn here are saved to build/i18n/ (one PNG each) to be looked at.
"""
import ast
import contextlib
import inspect
import io
import os
import pickle
import re
import string
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import opencc
import polib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from PIL import Image

import lecture7
from lecture7 import bugs, datasets, exercises, i18n, plots, vanishing, widgets
from lecture7.exercises import worksheet
from conftest import drawn_both_ways

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lecture7"
CATALOGUE = PACKAGE / "locale" / "zh-TW.po"
TERMS = ROOT / "translations" / "zh-TW"
SHOTS = ROOT / "build" / "i18n"
MARKERS = {"_", "N_", "D_"}   # lecture7.i18n's translating functions: their literal first arguments are the msgids
CJK = re.compile("[\u3400-\u9fff]")
NO_FONT = "no CJK font installed (apt-get install fonts-wqy-microhei)"
# .ci/run installs the font and sets LECTURE7_REQUIRE_CJK_FONT=1: there a missing font fails instead of skipping
needs_font = pytest.mark.skipif(i18n.cjk_font() is None and os.environ.get("LECTURE7_REQUIRE_CJK_FONT") != "1", reason=NO_FONT)


@pytest.fixture(autouse=True)
def english_after():
    """Every test leaves the package in English, as the other test files expect it."""
    yield
    lecture7.set_language("en")


@pytest.fixture
def chinese():
    lecture7.set_language("zh-TW")
    yield
    lecture7.set_language("en")


def source_files():
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "cli.py")


def msgids_in_code():
    """{msgid: [file:line, …]} of every literal passed to _(), N_() or D_() in the package."""
    found = {}
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def catalogue():
    return polib.pofile(str(CATALOGUE))


def fields(text):
    """The set of (name, conversion, format spec) of a template's {placeholders}."""
    return {(name, conversion or "", spec or "") for _, name, spec, conversion in string.Formatter().parse(text) if name is not None}


def avoided(path, column):
    rows = [line.rstrip("\n").split("\t") for line in path.read_text().splitlines(keepends=True) if not line.startswith("#")]
    return sorted({term for row in rows[1:] if len(row) > column for term in row[column].split(",") if term})


def has_chinese(text):
    return bool(CJK.search(text))


# ---- the catalogue -------------------------------------------------------------------------------------------

def test_every_text_the_code_translates_is_in_the_catalogue_and_the_catalogue_holds_nothing_else():
    in_code = msgids_in_code()
    in_catalogue = {entry.msgid for entry in catalogue() if not entry.obsolete}
    assert len(in_code) > 300   # the scan finds the package's texts (a broken scan would find none, and pass)
    missing = {msgid: places for msgid, places in in_code.items() if msgid not in in_catalogue}
    assert not missing, f"texts with no translation in {CATALOGUE.name}: {missing}"
    unused = in_catalogue - set(in_code)
    assert not unused, f"entries of {CATALOGUE.name} that no code uses any more: {sorted(unused)}"


def test_the_translating_functions_are_never_given_an_f_string():
    """An f-string is formatted before _() sees it, so no catalogue entry can match it: templates take their values
    as keywords instead."""
    formatted = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS and node.args
                    and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))):
                formatted.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not formatted


def test_no_module_that_translates_rebinds_the_underscore():
    """`for _, x in …` in a function that calls _() makes _ a local variable there, and the translation a crash."""
    rebound = []
    for path in source_files():
        tree = ast.parse(path.read_text(), str(path))
        imports = any(isinstance(n, ast.ImportFrom) and n.module and n.module.endswith("i18n") and any(a.name == "_" for a in n.names)
                      for n in ast.walk(tree))
        if not imports and path.name != "i18n.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                rebound.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and any(a.arg == "_" for a in node.args.args):
                rebound.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not rebound


def test_every_entry_is_translated_with_the_same_placeholders():
    entries = [entry for entry in catalogue() if not entry.obsolete]
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry.flags, f"fuzzy: {entry.msgid!r}"
        assert entry.msgstr.strip(), f"not translated: {entry.msgid!r}"
        assert entry.msgstr != entry.msgid, f"left in English: {entry.msgid!r}"
        assert fields(entry.msgstr) == fields(entry.msgid), f"placeholders differ: {entry.msgid!r} → {entry.msgstr!r}"
        if fields(entry.msgid):   # both format with the same values (a stray brace would not)
            values = {name: 1 for name, _conversion, _spec in fields(entry.msgid)}
            assert entry.msgid.format(**values) and entry.msgstr.format(**values)
    assert not [entry for entry in catalogue() if entry.obsolete]


def test_the_catalogue_is_in_traditional_characters():
    convert = opencc.OpenCC("s2tw")
    changed = {e.msgstr: convert.convert(e.msgstr) for e in catalogue() if convert.convert(e.msgstr) != e.msgstr}
    assert not changed, f"OpenCC s2tw would change: {changed}"


def test_the_catalogue_uses_the_editions_terms_and_taiwans_words():
    avoid = avoided(TERMS / "glossary.tsv", 2) + avoided(TERMS / "usage.tsv", 1)
    assert "鏈式法則" in avoid and "數據" in avoid   # both lists were read
    used = {(term, e.msgstr) for e in catalogue() for term in avoid if term in e.msgstr}
    assert not used, f"terms to avoid: {used}"


def test_each_english_term_of_the_glossary_has_its_chinese_term():
    """Where a msgid uses a glossary term in prose, its msgstr uses the glossary's one Chinese term for it (code names
    such as `parameter must be …` and {placeholders} are not prose)."""
    rows = [line.split("\t") for line in (TERMS / "glossary.tsv").read_text().splitlines() if not line.startswith("#")][1:]
    checked, wrong = 0, []
    for entry in catalogue():
        prose = re.sub(r"\{[^}]*\}|`[^`]*`|\b\w+(?= (?:must|needs|in 0))|\w+\.\w+|\w+\[", " ", entry.msgid)
        for english, term, *_avoid in rows:
            if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w=-])", prose, re.IGNORECASE):
                checked += 1
                if term not in entry.msgstr:
                    wrong.append((english, term, entry.msgid, entry.msgstr))
    assert checked > 50 and not wrong, wrong


def test_the_widgets_words_are_the_ones_the_notebooks_quote():
    """The words the Chinese notebooks quote in 「」 for the widgets are the widgets' own."""
    po = {e.msgid: e.msgstr for e in catalogue()}
    assert po["case {case}"].format(case=2) == "情況 2"
    assert po["Train"] == "訓練" and po["hidden size"] == "隱藏層大小" and po["test accuracy"] == "測試準確率"
    assert po["layer {layer}: input {input} → neuron {neuron}"].format(layer=2, input=1, neuron=1) == "第 2 層：輸入 1 → 神經元 1"
    assert "捨入下限" in po["all agree: relative error ≤ {tolerance:g}, or difference ≤ the rounding floor {floor:.1e}"]
    prose = "".join(path.read_text() for path in TERMS.glob("*.po"))
    for quoted in ("「情況 1」", "「情況 2」", "「**訓練**」", "「隱藏層大小」", "「第 2 層：輸入 1 → 神經元 1」", "「測試準確率」"):
        assert quoted in prose, quoted


# ---- the language switch ---------------------------------------------------------------------------------------

def test_an_unknown_language_names_the_languages():
    with pytest.raises(ValueError, match=r"unknown language 'fr'; the languages are 'en', 'zh-TW'"):
        lecture7.set_language("fr")
    assert lecture7.get_language() == "en"


def test_a_message_is_its_english_text_until_it_is_shown():
    label = i18n.N_("layer {layer} of {network}", layer=2, network=i18n.N_("the lecture network"))
    assert label == "layer 2 of the lecture network" and f"{label}" == "layer 2 of the lecture network"
    assert hash(label) == hash("layer 2 of the lecture network") and {label: 1}["layer 2 of the lecture network"] == 1
    copied = pickle.loads(pickle.dumps(label))
    assert copied == label and copied.template == label.template
    assert i18n._(label) == "layer 2 of the lecture network"
    lecture7.set_language("zh-TW")
    assert i18n._(label) == "課程中的網路，第 2 層" and i18n._(copied) == "課程中的網路，第 2 層"
    assert label == "layer 2 of the lecture network"   # still English where it is not shown through _()


def test_switching_back_gives_the_english_output_again():
    def check_message():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            lecture7.check_answer("sigmoid_prime", lambda z: ...)
        return out.getvalue()

    def title():
        figure = plots.draw_network(lecture7.lecture_network(), lecture7.LECTURE_INPUT, annotate="forward")
        return figure.axes[0].get_title(), plots.describe(figure)

    english = check_message(), title(), str(lecture7.gradient_check(lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1, 0]))
    assert english[0] == ("… sigmoid_prime is not done yet: write it in the cell above (in place of `...`), run that cell, "
                          "then this one.\n")
    assert english[1][0].startswith("Forward pass: ")
    fonts = list(matplotlib.rcParams["font.family"]), list(matplotlib.rcParams["font.sans-serif"])
    lecture7.set_language("zh-TW")
    assert lecture7.get_language() == "zh-TW"
    chinese = check_message(), title(), str(lecture7.gradient_check(lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1, 0]))
    assert "尚未完成" in chinese[0] and chinese[1][1].startswith("網路 2-2-2-2 的圖")
    assert "捨入下限" in chinese[2]
    if i18n.cjk_font():
        assert chinese[1][0].startswith("正向傳遞：")
        assert matplotlib.rcParams["font.sans-serif"][0] == i18n.cjk_font()
    lecture7.set_language("en")
    assert lecture7.get_language() == "en"
    assert (check_message(), title(), str(lecture7.gradient_check(lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1, 0]))) == english
    assert (list(matplotlib.rcParams["font.family"]), list(matplotlib.rcParams["font.sans-serif"])) == fonts


def test_without_a_cjk_font_figures_keep_their_english_words(monkeypatch):
    """The printed text is Chinese; what matplotlib would draw stays English (never boxes), and a warning says what
    to install."""
    monkeypatch.setattr(i18n, "cjk_font", lambda: None)
    monkeypatch.setitem(i18n._font, "name", None)
    fonts = list(matplotlib.rcParams["font.sans-serif"])
    with pytest.warns(UserWarning, match="apt-get install fonts-wqy-microhei"):
        lecture7.set_language("zh-TW")
    assert list(matplotlib.rcParams["font.sans-serif"]) == fonts
    figure = plots.plot_activation("tanh")
    assert figure.axes[0].get_title() == "tanh and its derivative"
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()][0] == "$\\sigma(z)$ (tanh)"
    assert plots.describe(figure).startswith("z 從 −6 到 6 時的 σ(z) = tanh(z)")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lecture7.check_answer("tanh_prime", lambda z: ...)
    assert "tanh_prime 尚未完成" in out.getvalue()


# ---- what the checks print in Chinese --------------------------------------------------------------------------

def printed(call):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call()
    return out.getvalue()


def test_check_answer_speaks_chinese(chinese):
    right = printed(lambda: lecture7.check_answer("hidden_delta", lambda a, W, d: a * (1 - a) * (np.asarray(W).T @ d)))
    lines = right.splitlines()
    assert len(lines) == 4 and all(line.startswith("✓ hidden_delta：") for line in lines)
    assert lines[0] == "✓ hidden_delta：課程中的網路，第 2 層" and lines[2] == "✓ hidden_delta：一個 3-5-4-2 網路，第 2 層"
    assert printed(lambda: lecture7.check_answer("hidden_delta", lambda a, W, d: ...)) == (
        "… hidden_delta 尚未完成：在上面的儲存格寫好它（取代 `...`），先執行那個儲存格，再執行這一個。\n")
    with pytest.raises(AssertionError) as failure:
        lecture7.check_answer("hidden_delta", lambda a, W, d: a * (1 - a) * (W @ d))
    message = str(failure.value)
    # (layer 2 passes: the lecture network's W³ is symmetric, so its transpose is no mistake)
    assert message.startswith("hidden_delta，課程中的網路，第 1 層：預期 ") and "得到的是" in message
    assert message.endswith("——少了 W_next 的轉置，就會得到這個結果")
    assert not re.search(r"\b(expected|got|this is what you get|network|layer)\b", message)
    with pytest.raises(TypeError, match="check_answer 需要的是你的函式 hidden_delta"):
        lecture7.check_answer("hidden_delta", 3)


def test_every_mistake_case_label_and_worksheet_hint_is_shown_in_chinese(chinese):
    words = re.compile(r"\b(the|of|with|without|network|layer|neuron|classes|batch|epochs|examples|digits|points|accuracy)\b")
    for grade_id, exercise in exercises.EXERCISES.items():
        assert exercise.mistakes, grade_id
        for mistake in exercise.mistakes:
            shown = i18n._(mistake.what)
            assert has_chinese(shown) and not words.search(shown), (grade_id, mistake.what, shown)
        for case in exercise.cases(np.random.default_rng(0)):
            if words.search(case.label):
                shown = i18n._(case.label)
                assert has_chinese(shown) and not words.search(shown), (grade_id, case.label, shown)
    for box in worksheet.worksheet(lecture7.lecture_network()):
        assert has_chinese(i18n._(box.made_of)), box.name
        for hint, _slip in box.slips:
            assert has_chinese(i18n._(hint)), (box.name, hint)
    for bug in bugs.BUGS.values():
        assert has_chinese(bug.why) and bug.why != bug.reason
    lecture7.set_language("en")
    assert bugs.BUGS["missing transpose"].why == "every dW is wrong; the δ are right, since the bug is not on the path back"


def test_the_worksheet_check_speaks_chinese(chinese):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(AssertionError, match="已填的格子中有 1 格錯了：z¹"):
        worksheet.check_worksheet({"z¹": [0.0, 0.0], "a¹": [..., 0.731]}, x=(1, 2), y_hat=(1, 0))
    lines = out.getvalue().splitlines()
    assert lines[0] == "✗ z¹：W 的第 i 列是進入神經元 i 的權重，不是第 i 行"
    assert lines[1] == "… a¹：2 個數字已填 1 個，目前都對"
    assert lines[-1] == "23 格中已填好且正確的有 0 格；1 格錯了；22 格還沒填"


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_ends(header):
    """Where each column title of a printed table ends, in the columns of a monospaced font (titles are parted by
    two spaces or more)."""
    return [display_width(header[:m.end()]) for m in re.finditer(r"\S+(?: \S+)*", header)]


def test_the_printed_tables_keep_their_columns_in_chinese():
    """A CJK character takes two columns of a monospaced font: each Chinese column title ends where the English one
    does, above the right edge of its numbers."""
    def headers():
        net = lecture7.lecture_network()
        return (str(lecture7.gradient_check(net, lecture7.LECTURE_INPUT, [1, 0])).splitlines()[0],
                str(vanishing.gradient_norms(net, lecture7.LECTURE_INPUT, [1, 0])).splitlines()[0])

    english = headers()
    lecture7.set_language("zh-TW")
    chinese = headers()
    for en, zh in zip(english, chinese):
        assert has_chinese(zh) and not has_chinese(en)
        assert column_ends(zh) == column_ends(en), (en, zh)
    assert column_ends(english[0]) == [5, 20, 36, 52]


def test_training_prints_in_chinese(chinese):
    data = datasets.xor(n=20, seed=0)
    out = printed(lambda: lecture7.train(lecture7.Network([2, 3, 2], seed=0), data.X, data.Y, epochs=2, progress=True))
    assert re.fullmatch(r"訓練週期   1  損失 \d+\.\d{4}  準確率 \d\.\d{3}\n訓練週期   2  損失 \d+\.\d{4}  準確率 \d\.\d{3}\n", out)
    with pytest.raises(ValueError, match=r"x 的形狀必須是 \(2,\)（一個樣本）或 \(batch, 2\)"):
        lecture7.lecture_network().forward([1.0, 2.0, 3.0])
    with pytest.raises(FloatingPointError, match="梯度下降在第 1 個訓練週期發散了"):
        lecture7.train(lecture7.Network([2, 3, 2], activation="relu", seed=0), data.X * 1e150, data.Y, learning_rate=1e200)


# ---- figures and widgets drawn in Chinese ----------------------------------------------------------------------

def figure_calls():
    """{picture's name: a call}: every figure function of lecture7.plots with arguments (its name is the picture's up
    to an _annotation), and every way draw_network annotates."""
    net, x, y_hat = lecture7.lecture_network(), lecture7.LECTURE_INPUT, (1.0, 0.0)
    moons = datasets.two_moons()
    train_set, test_set = moons.split(seed=0)
    classifier = lecture7.Network([2, 8, 2], activation="tanh", output_activation="softmax", seed=0)
    history = lecture7.train(classifier, train_set.X, train_set.Y, "cross_entropy", 0.05, 30, 16, validation=(test_set.X, test_set.Y))
    deep = {name: lecture7.Network([16] * 9 + [2], activation=name, output_activation="sigmoid", seed=0)
            for name in ("sigmoid", "tanh", "relu")}
    x_deep = np.random.default_rng(0).normal(size=16)
    return {
        "draw_network": lambda: plots.draw_network(net),
        "draw_network_forward": lambda: plots.draw_network(net, x, annotate="forward"),
        "draw_network_backward": lambda: plots.draw_network(net, x, y_hat, annotate="backward"),
        "draw_reversed_network": lambda: plots.draw_reversed_network(net, x, y_hat),
        "plot_activation": lambda: plots.plot_activation("sigmoid"),
        "plot_history": lambda: plots.plot_history(history),
        "plot_decision_boundary": lambda: plots.plot_decision_boundary(classifier, moons.X, moons.labels),
        "plot_gradient_cost": lambda: plots.plot_gradient_cost(plots.GradientCost([46, 98, 226], [1e-4, 1.5e-4, 4e-4], [2e-3, 3e-2, 5e-1])),
        "plot_gradient_norms": lambda: plots.plot_gradient_norms({n: vanishing.gradient_norms(d, x_deep, [1.0, 0.0]) for n, d in deep.items()}),
    }


def drawn_texts(figure):
    """Every text matplotlib draws on the figure: titles, axis labels, legends, annotations, texts."""
    texts = [t for t in figure.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    return [t for t in texts if t.get_text().strip()]


def font_family(text):
    return FT2Font(findfont(text.get_fontproperties())).family_name


@contextlib.contextmanager
def glyphs_must_be_there():
    """matplotlib's warning for a glyph missing from the font (it would draw a box) raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@needs_font
def test_every_figure_draws_its_chinese_with_a_cjk_font(chinese):
    calls = figure_calls()
    public = {name for name, f in inspect.getmembers(plots, inspect.isfunction)
              if f.__module__ == plots.__name__ and name.startswith(("draw_", "plot_"))}
    assert public == {re.sub("_(forward|backward)$", "", name) for name in calls}, "a figure function is not drawn here"
    SHOTS.mkdir(parents=True, exist_ok=True)
    font = i18n.cjk_font()
    for name, call in calls.items():
        with glyphs_must_be_there():
            figure = call()
            figure.savefig(SHOTS / f"{name}.png", dpi=90)
        texts = drawn_texts(figure)
        chinese_texts = [t for t in texts if has_chinese(t.get_text())]
        assert chinese_texts, f"{name} draws no Chinese"
        for text in chinese_texts:
            assert font_family(text) == font, (name, text.get_text())
        assert has_chinese(figure.axes[0].get_title()), name
        assert has_chinese(plots.describe(figure)), name
        matplotlib.pyplot.close(figure)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_draw(panel):
    figure = pickle.loads(pickle.dumps(panel.figure))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())


WIDGET_MOVES = {
    "chain_rule_widget": [("point", 1.35), ("case", 2), ("point", -0.6)],
    "forward_widget": [("x1", -2.7), ("weight", (2, 1, 0)), ("value", -4.6)],
    "backward_widget": [("value", 4.1), ("y_hat2", 0.85), ("weight", (1, 0, 1))],
    "training_widget": [("hidden", 3), ("activation", "tanh")],
}


@needs_font
@pytest.mark.parametrize("name", list(WIDGET_MOVES))
def test_every_widget_draws_and_redraws_in_chinese(chinese, name):
    assert {n for n, f in inspect.getmembers(widgets, inspect.isfunction) if n.endswith("_widget")} == set(WIDGET_MOVES)
    with glyphs_must_be_there():
        panel = getattr(widgets, name)()
        for control, value in WIDGET_MOVES[name]:
            draws = panel.draws
            panel.controls[control].value = value
            if not panel.live:
                panel.refresh(force=True)
            assert panel.draws == draws + 1
            # the redraw over the kept pixels is the picture matplotlib draws from scratch, Chinese glyphs and all
            assert (pixels(panel.png) == full_draw(panel)).all(), f"after {control} = {value}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.png").write_bytes(panel.png)
    words = [c.description for c in panel.controls.values()] + [w.description for w in panel.extras]
    assert any(has_chinese(w) for w in words), words
    assert re.fullmatch(r"\[\w+小工具，這是它剛畫好時的樣子。在 JupyterLab 執行這個儲存格，就能即時操作：.+。\]", repr(panel)), repr(panel)
    labels = re.findall(r"<tr><td[^>]*>(.*?)</td>", panel.readout.value)
    assert any(has_chinese(label) for label in labels), labels
    assert has_chinese(panel.picture.description)
    titles = [ax.get_title() for ax in panel.figure.axes] + [t.get_text() for t in panel.figure.texts]
    assert any(has_chinese(t) for t in titles), titles
    for text in drawn_texts(panel.figure):
        if has_chinese(text.get_text()):
            assert font_family(text) == i18n.cjk_font(), text.get_text()


@needs_font
def test_the_widgets_fast_renderer_draws_chinese_as_agg_does(chinese):
    """The panels' renderer keeps glyph layouts and bitmaps; with a CJK font first and DejaVu Sans behind it (for
    ˡ and ⁺), it must still draw exactly the pixels of matplotlib's own Agg renderer."""
    def write(ax):
        for k in range(20):
            ax.text(k % 4 / 4, k // 4 / 5, f"第 {k} 層 ‖δˡ⁺¹‖={0.1 + 0.137 * k:.3g}", fontsize=7 + k % 4)
        ax.set_title("反向網路：$\\delta = \\partial C/\\partial z$")

    fast, agg = drawn_both_ways(write, glyphs_must_be_there)
    assert (fast == agg).all()


def test_the_cjk_font_comes_first_and_dejavu_sans_behind_it(chinese):
    font = i18n.cjk_font()
    if font is None:
        pytest.skip(NO_FONT)
    assert matplotlib.rcParams["font.sans-serif"][0] == font
    assert list(matplotlib.rcParams["font.family"])[-1] == "DejaVu Sans"
    assert FT2Font(findfont(FontProperties(family=["sans-serif"]))).family_name == font
