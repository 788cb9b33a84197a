"""The series as a website that works offline, from file:// and with the network off: `make site`.

    python tools/site.py [--out build/site] [--learner lecture7/learner] [--jobs N]

Pages: build/site/index.html (from 00_index) and one page per notebook of the learner's edition
(lecture7/learner/*.ipynb); the Traditional Chinese edition (lecture7/learner/zh-TW/*.ipynb), whenever that folder
exists, in build/site/zh-TW/ with the same names. The learner's edition stores no outputs, so each notebook is
executed here (nbclient, kernel python3) in a temporary copy of its folder: no file of the repository changes.
Its exercises are blank, their checks say "not done yet", its hints and solutions stay folded (<details>).

nbconvert's HTMLExporter writes each page, with tools/site/templates/lecture7 (the lab template less everything it
loads from the internet: require.js, the widget manager, mermaid, MathJax from a CDN). MathJax 2.7 comes from the
PyPI package jupyter-server-mathjax, copied into the site: only the files these pages use (MATHJAX below). A
widget's output becomes its picture, as it first draws, with its line under it saying what it does live (its
model lives only in a kernel). Links between notebooks (`01_chain_rule.ipynb`, `zh-TW/00_index.ipynb`) lead to the
pages. Every page has a navigation bar: the index, the previous and next notebook, the same page in the other
edition (where it exists) and the lecture video.
"""
import argparse
import base64
import dataclasses
import html
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from lecture7.cli import series
from run_notebooks import WIDGET_VIEW   # a widget's view, whose model lives only in a kernel

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "lecture7" / "learner"
HERE = Path(__file__).resolve().parent / "site"
TEMPLATES = HERE / "templates"
VIDEO = "https://www.youtube.com/watch?v=ibJpTrp5mcE"
TIMEOUT = 900   # seconds for one cell: notebook 5 trains on the digits

# MathJax 2.7 (jupyter-server-mathjax's copy), relative to its root: what these pages load, from MathJax.js with the
# combined configuration TeX-AMS-MML_HTMLorMML-full (which holds the TeX input and the HTML-CSS output) and the
# STIX-Web fonts (the only ones the package ships). Whole folders where MathJax picks files by what a formula needs:
# the font data and fonts by the glyphs in it, the TeX extensions by its macros.
MATHJAX = [
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS-MML_HTMLorMML-full.js",
    "extensions/TeX",
    "extensions/HelpDialog.js",
    "jax/element/mml/optable",
    "jax/output/HTML-CSS/autoload",
    "jax/output/HTML-CSS/fonts/STIX-Web",
    "fonts/HTML-CSS/STIX-Web/woff",
]


@dataclasses.dataclass(frozen=True)
class Edition:
    code: str             # as set_language and the Makefile's EDITION name it
    folder: str           # its folder under lecture7/learner and under the site ("" for English)
    lang: str             # <html lang>
    name: str             # how the other edition's switch names it
    mathjax_locale: str   # the language of MathJax's menu (its localization/ folder)
    words: dict           # the navigation bar's


EDITIONS = (
    Edition("en", "", "en", "English", "en",
            {"index": "Index", "previous": "Previous", "next": "Next", "video": "Lecture video (YouTube)",
             "nav": "The series", "unbuilt": "not in this site"}),
    Edition("zh-TW", "zh-TW", "zh-Hant-TW", "繁體中文", "zh-hant",
            {"index": "目錄", "previous": "上一篇", "next": "下一篇", "video": "課程影片（YouTube）",
             "nav": "本系列", "unbuilt": "本網站沒有這一頁"}),
)


@dataclasses.dataclass
class Page:
    edition: Edition
    source: Path     # the learner's notebook
    title: str = ""  # its first heading, as plain text

    @property
    def stem(self):
        return self.source.stem

    @property
    def name(self):
        return "index.html" if self.stem == "00_index" else f"{self.stem}.html"

    @property
    def path(self):
        """Where the page is, relative to the site's root."""
        return posixpath.join(self.edition.folder, self.name) if self.edition.folder else self.name

    @property
    def root(self):
        """The site's root, relative to the page."""
        return "../" * (self.edition.folder.count("/") + 1) if self.edition.folder else ""


# --- a notebook's first heading as plain text (the page's <title>, the navigation bar) -------------------------

TEX_WORDS = {
    "partial": "∂", "nabla": "∇", "sigma": "σ", "theta": "θ", "eta": "η", "delta": "δ", "Delta": "Δ",
    "epsilon": "ε", "varepsilon": "ε", "alpha": "α", "beta": "β", "gamma": "γ", "lambda": "λ", "mu": "μ",
    "times": "×", "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "approx": "≈", "ne": "≠", "sum": "Σ",
    "infty": "∞", "prime": "′",
}
TEX_SILENT = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "mathrm", "mathbf", "text", "operatorname", "dfrac", "tfrac", "frac"}


def tex_text(tex):
    """A rough plain-text reading of a formula: Greek letters and operators as characters, the rest as written."""
    tex = re.sub(r"\\hat\s*\{?([A-Za-z])\}?", lambda m: m.group(1) + "\u0302", tex)
    tex = re.sub(r"\\([A-Za-z]+)\s*", lambda m: TEX_WORDS.get(m.group(1), "" if m.group(1) in TEX_SILENT else m.group(1)), tex)
    tex = re.sub(r"\\[,;:! ]", " ", tex)
    return re.sub(r"[{}]", "", tex).replace("\\", "")


def plain(markdown_line):
    text = re.sub(r"^#+\s*", "", markdown_line.strip())
    text = re.sub(r"\$([^$]+)\$", lambda m: tex_text(m.group(1)), text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text.replace("*", "").replace("`", "")).strip()


def first_heading(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if re.match(r"#{1,6}\s", line):
                    return plain(line)
    return ""


def short_title(title):
    """The navigation bar's name of a notebook: its heading up to its first colon."""
    return re.split(r":\s|：", title, maxsplit=1)[0].strip()


# --- executing the learner's edition ----------------------------------------------------------------------------

def execute(page, workdir, log):
    """Run the copy in `workdir` (the kernel's cwd) of `page`'s notebook; return it with its outputs, and the time."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source, where = page.source, f"{page.edition.code}/{page.source.name}"
    notebook = nbformat.read(workdir / source.name, as_version=4)
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(workdir)}})
    kernel_log = workdir / f".{source.stem}.kernel.log"
    start = time.perf_counter()
    with open(kernel_log, "wb") as stderr:
        try:
            client.execute(stderr=stderr)
        except CellExecutionError as error:
            raise RuntimeError(f"{where} failed when executed for the site:\n{error}") from None
        except Exception as error:   # the kernel died, or did not start
            raise RuntimeError(f"{where} could not be executed: {error!r}\n{kernel_log.read_text(errors='replace')[-3000:]}") from None
    for k, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                log(f"  warning: {where}, cell {k}, wrote to stderr: {output.text.strip()[:200]}")
    return notebook, time.perf_counter() - start


# --- what a page shows in place of what only a kernel can show ----------------------------------------------

def widget_figures(notebook):
    """Each widget output as its picture and its line (the image/png and text/plain beside the widget's view);
    widget state dropped. Returns how many widgets became pictures, and the lines that look cut short."""
    notebook.metadata.pop("widgets", None)
    count, cut = 0, []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            del data[WIDGET_VIEW]
            line = data.get("text/plain", "").strip()
            bracketed = re.fullmatch(r"\[(.*)\]", line, re.S)
            line = bracketed.group(1) if bracketed else line.lstrip("[")
            if line.endswith("…"):
                cut.append(line)
            png = data.get("image/png")
            if not png:
                output.data = nbformat.from_dict({"text/plain": line})
                continue
            # the line under the picture keeps its math for MathJax; the picture's alt says it in plain text
            alt = html.escape(re.sub(r"\$([^$]+)\$", lambda m: tex_text(m.group(1)), line))
            png = png if isinstance(png, str) else base64.b64encode(png).decode()
            output.data = nbformat.from_dict({"text/html": (
                f'<figure class="lecture7-widget"><img src="data:image/png;base64,{png.strip()}" alt="{alt}">'
                f"<figcaption>{html.escape(line)}</figcaption></figure>")})
            output.metadata = {}
            count += 1
    return count, cut


# --- links and the navigation bar --------------------------------------------------------------------------

ANCHOR = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
NOTEBOOK_LINK = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)[^#?]*\.ipynb(#.*)?")   # relative, to a notebook


def page_for(link, page):
    """The site path of the page for a link to a notebook as `page`'s notebook writes it, and the link's fragment."""
    path, _, fragment = link.partition("#")
    target = posixpath.normpath(posixpath.join(page.edition.folder, path[:-len(".ipynb")]))
    folder, stem = posixpath.split(target)
    name = "index.html" if stem == "00_index" else f"{stem}.html"
    return (posixpath.join(folder, name) if folder else name), fragment


def relative(target, page):
    start = page.edition.folder or "."
    return posixpath.relpath(target, start)


def rewrite_links(text, page, pages, problems):
    built = {p.path for p in pages}

    def one(match):
        before, href, rest, inner = match.groups()
        if not NOTEBOOK_LINK.fullmatch(html.unescape(href)):
            return match.group(0)
        target, fragment = page_for(html.unescape(href), page)
        if target not in built:
            problems.append(f"{page.path}: the link to {href} leads to no page of this site")
            return f'<span class="lecture7-unbuilt" title="{html.escape(page.edition.words["unbuilt"])}">{inner}</span>'
        new = relative(target, page) + (f"#{fragment}" if fragment else "")
        return f'<a{before} href="{html.escape(new)}"{rest}>{inner}</a>'

    return ANCHOR.sub(one, text)


def navigation(page, pages):
    """The bar above and under the page: index, previous, next, the other edition, the video."""
    words = page.edition.words
    series = [p for p in pages if p.edition == page.edition]
    k = series.index(page)
    link = lambda target, label, **attrs: (f'<a href="{html.escape(relative(target.path, page))}"'
                                         + "".join(f' {key.rstrip("_")}="{html.escape(value)}"' for key, value in attrs.items())
                                         + f">{label}</a>")
    items = [link(series[0], html.escape(words["index"]), class_="lecture7-nav-index")
             if k else f'<span class="lecture7-nav-here lecture7-nav-index">{html.escape(words["index"])}</span>']
    if k > 0:
        items.append(link(series[k - 1], "← " + html.escape(short_title(series[k - 1].title) if k > 1 else words["index"]),
                          rel="prev", title=f'{words["previous"]}: {series[k - 1].title}'))
    if k + 1 < len(series):
        items.append(link(series[k + 1], html.escape(short_title(series[k + 1].title)) + " →",
                          rel="next", title=f'{words["next"]}: {series[k + 1].title}'))
    end = []
    for other in pages:
        if other.edition != page.edition and other.stem == page.stem:
            end.append(link(other, html.escape(other.edition.name), class_="lecture7-nav-edition",
                            lang=other.edition.lang, hreflang=other.edition.lang))
    end.append(f'<a class="lecture7-nav-video" href="{VIDEO}">{html.escape(words["video"])}</a>')
    return (f'<nav class="lecture7-nav" aria-label="{html.escape(words["nav"])}">' + "\n".join(items)
            + f'\n<span class="lecture7-nav-end">{"".join(end)}</span></nav>')


# --- the site's files ---------------------------------------------------------------------------------------

REMOTE = re.compile(r"""<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*["']?(?:https?:)?//""", re.I)


def exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    # the code colours go into static/site.css once, not into every page (nor a custom.css of ~/.jupyter)
    config = Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}})
    return HTMLExporter(config=config, template_name="lecture7", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input_prompt=True, exclude_output_prompt=True)


def site_css(html_exporter):
    """JupyterLab's CSS (the lab template's), the code colours, and the site's own: one file every page links."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from pygments.formatters import HtmlFormatter

    parts = []
    for name in ("index.css", "theme-light.css"):
        found = [Path(d) / "static" / name for d in html_exporter.template_paths if (Path(d) / "static" / name).is_file()]
        if not found:
            raise FileNotFoundError(f"the lab template's static/{name} is not in {html_exporter.template_paths}")
        parts.append(f"/* nbconvert's lab template: {name} */\n" + found[0].read_text())
    parts.append("/* code colours (pygments) */\n" + HtmlFormatter(style=CSSHTMLHeaderPreprocessor().style).get_style_defs(".highlight"))
    parts.append((HERE / "site.css").read_text())
    return "\n\n".join(parts)


def needs():
    """Fail before executing anything if what the build needs is not installed."""
    import importlib.util

    missing = [name for name in ("nbconvert", "nbclient", "jupyter_server_mathjax") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(f"tools/site.py needs {', '.join(missing)}: pip install -e '.[site]' (`make site` does)")


def mathjax_root():
    import jupyter_server_mathjax

    root = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (root / "MathJax.js").is_file():
        raise FileNotFoundError(f"no MathJax.js in {root}")
    return root


def copy_mathjax(dest, locales):
    root = mathjax_root()
    for item in MATHJAX + [f"localization/{locale}" for locale in sorted(locales) if locale != "en"]:
        source = root / item
        if source.is_dir():
            shutil.copytree(source, dest / item)
        else:
            (dest / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / item)


def size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def megabytes(n):
    return f"{n / 1e6:.1f} MB"


def editions(learner):
    """The editions the learner's edition has, each with its notebooks in order."""
    found = []
    for edition in EDITIONS:
        notebooks = series(learner / edition.folder)
        if notebooks:
            found.append((edition, notebooks))
    if not found or found[0][0].code != "en":
        raise FileNotFoundError(f"no notebooks of the English learner's edition in {learner}")
    return found


def build(out, learner=LEARNER, jobs=None, log=print):
    """Write the site into `out`; return {"pages": [site paths], "widgets": {path: count}, "seconds", "size",
    "mathjax_size", "problems": [...]}."""
    start = time.perf_counter()
    needs()
    out, learner = Path(out).resolve(), Path(learner).resolve()
    if out.exists() and any(out.iterdir()) and not (out / "mathjax" / "MathJax.js").is_file():
        raise FileExistsError(f"{out} is not empty and holds no site built before: not overwriting it")
    os.environ["PYTHONHASHSEED"] = os.environ.get("PYTHONHASHSEED", "0")   # printed sets, as nbval sees them
    os.environ.pop("MPLBACKEND", None)   # a non-inline backend would leave the plots out

    found = editions(learner)
    pages = [Page(edition, source) for edition, notebooks in found for source in notebooks]
    jobs = jobs or min(os.cpu_count() or 1, 4)
    problems, widgets = [], {}
    with tempfile.TemporaryDirectory(prefix="lecture7-site-") as tmp:
        tmp = Path(tmp)
        # each edition's folder copied (without the other editions' folders in it): the kernels' cwd
        others = {e.folder for e in EDITIONS if e.folder}
        for edition, _ in found:
            shutil.copytree(learner / edition.folder, tmp / "run" / edition.code,
                            ignore=lambda d, names: [n for n in names if n == ".ipynb_checkpoints"
                                                     or (Path(d) == learner / edition.folder and n in others)])
        log(f"executing {len(pages)} notebooks, {jobs} at a time")
        with ThreadPoolExecutor(jobs) as pool:
            results = list(pool.map(lambda p: execute(p, tmp / "run" / p.edition.code, log), pages))
        executed = {}
        for page, (notebook, seconds) in zip(pages, results):
            page.title = first_heading(notebook) or page.stem
            executed[page.path] = notebook
            log(f"  {page.edition.code}/{page.source.name}: {seconds:.1f} s")

        html_exporter = exporter()
        site = tmp / "site"
        for page in pages:
            notebook = executed[page.path]
            count, cut = widget_figures(notebook)
            widgets[page.path] = count
            for line in cut:
                problems.append(f"{page.path}: a widget's line is cut short (ipywidgets shortens text/plain to 110 characters): {line}")
            notebook.metadata["title"] = page.title
            body, _ = html_exporter.from_notebook_node(notebook, resources={
                "metadata": {"name": page.stem, "path": str(tmp / "run" / page.edition.code)},
                "lecture7": {"root": page.root, "nav": navigation(page, pages), "mathjax_locale": page.edition.mathjax_locale},
            })
            body, n = re.subn(r'<html lang="[^"]*">', f'<html lang="{page.edition.lang}">', body, count=1)
            assert n == 1, f"{page.path}: no <html lang> in the exporter's page"
            body = rewrite_links(body, page, pages, problems)
            remote = REMOTE.search(body)
            if remote:
                raise RuntimeError(f"{page.path} would load from the internet: {remote.group(0)[:200]}")
            (site / page.path).parent.mkdir(parents=True, exist_ok=True)
            (site / page.path).write_text(body, encoding="utf-8")
        (site / "static").mkdir(parents=True, exist_ok=True)
        (site / "static" / "site.css").write_text(site_css(html_exporter), encoding="utf-8")
        copy_mathjax(site / "mathjax", {edition.mathjax_locale for edition, _ in found})

        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(site, out)
    return {"pages": [p.path for p in pages], "titles": {p.path: p.title for p in pages}, "widgets": widgets,
            "seconds": time.perf_counter() - start, "size": size(out), "mathjax_size": size(out / "mathjax"),
            "problems": problems}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="the site's folder (default: build/site)")
    parser.add_argument("--learner", type=Path, default=LEARNER,
                        help="the learner's edition: its notebooks, and zh-TW/ in it (default: lecture7/learner)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks executed at a time (default: the cores, at most 4)")
    args = parser.parse_args(argv)
    try:
        result = build(args.out, args.learner, args.jobs)
    except (RuntimeError, FileExistsError, FileNotFoundError) as error:
        print(f"tools/site.py: {error}", file=sys.stderr)
        return 1
    for problem in result["problems"]:
        print(f"warning: {problem}")
    by_edition = {}
    for path in result["pages"]:
        code = path.split("/")[0] if "/" in path else "en"
        by_edition[code] = by_edition.get(code, 0) + 1
    shown = args.out.resolve()
    try:
        shown = shown.relative_to(Path.cwd())
    except ValueError:
        pass
    print(f"{len(result['pages'])} pages ({', '.join(f'{n} {code}' for code, n in by_edition.items())}), "
          f"{megabytes(result['size'])} in {shown} (MathJax {megabytes(result['mathjax_size'])}), "
          f"built in {result['seconds']:.1f} s; open {shown / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
