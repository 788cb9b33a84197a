"""The series' website (tools/site.py, `make site`) in headless Chromium, opened from file:// with the network cut off.

The site is built once, into a temporary folder, from a temporary copy of the learner's edition, both languages (so
the build cannot change the repository's); the copy's English index also links to a notebook that does not exist.

Every page is opened with each request that is not file:// aborted and recorded, and must show: no request that
left the machine, no failed request, no console error, every <img> loaded, every formula typeset by MathJax (and no
`$...$` left in the text), the navigation bar's links leading to pages that exist, each widget as its picture with its
line under it, and the hints and solutions folded (<details> closed, opening when clicked).

Playwright's sync API allows one instance per thread, and the session's JupyterLab fixture (conftest.py) may hold
one: this module drives its own Chromium from a thread of its own.
"""
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from lecture7.cli import series

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "lecture7" / "learner"
SITE_PY = ROOT / "tools" / "site.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIDEO = "https://www.youtube.com/watch?v=ibJpTrp5mcE"
ZH = "zh-TW"
MISSING = "[a notebook the series does not have](99_missing.ipynb)"
LANG = {"": "en", ZH: "zh-Hant-TW"}
# Chromium with nothing of its own that reaches out (updates, safe browsing, metrics, DNS prefetch)
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                 "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
                 "--no-pings", "--dns-prefetch-disable", "--no-first-run", "--metrics-recording-only"]
WIDGET_CALL = re.compile(r"\bwidgets\.\w+_widget\(")


def stems(folder):
    return [p.stem for p in series(folder)]


# (edition folder, notebook stem) of every page, in the site's order
PAGES = [("", stem) for stem in stems(LEARNER)] + [(ZH, stem) for stem in stems(LEARNER / ZH)]


def page_file(folder, stem):
    name = "index.html" if stem == "00_index" else f"{stem}.html"
    return f"{folder}/{name}" if folder else name


def digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built by `python tools/site.py` from a copy of the learner's edition; its output; the copy."""
    import importlib.util

    if importlib.util.find_spec("jupyter_server_mathjax") is None:
        pytest.fail("the site needs the `site` extra (MathJax from jupyter-server-mathjax): pip install -e '.[site]'")
    before = digest(LEARNER)
    learner = tmp_path_factory.mktemp("learner") / "learner"
    shutil.copytree(LEARNER, learner, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    index = nbformat.read(learner / "00_index.ipynb", as_version=4)
    index.cells.append(nbformat.v4.new_markdown_cell(MISSING))
    nbformat.write(index, learner / "00_index.ipynb")
    out = tmp_path_factory.mktemp("site") / "site"
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(SITE_PY), "--out", str(out), "--learner", str(learner)],
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, f"tools/site.py failed:\n{run.stdout}\n{run.stderr}"
    print(f"\nsite built in {time.perf_counter() - start:.1f} s: {run.stdout.strip().splitlines()[-1]}")
    assert digest(LEARNER) == before, "building the site changed lecture7/learner/"
    return {"out": out, "learner": learner, "stdout": run.stdout}


class Browser:
    """Headless Chromium in a thread of its own, a page whose requests are all seen: those that are not file://
    are aborted and recorded, failed ones and console errors recorded."""

    def __init__(self):
        self.thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="site-browser")
        self.run(self._start)

    def run(self, fn, *args):
        return self.thread.submit(fn, *args).result()

    def _start(self):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900}, offline=True,
                                                service_workers="block")
        self.remote, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.remote.append(route.request.url)
            route.abort()

    def close(self):
        def stop():
            self.browser.close()
            self.playwright.stop()
        try:
            self.run(stop)
        finally:
            self.thread.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    b = Browser()
    yield b
    b.close()


# Everything a page's checks need, read from the page once MathJax is done
FACTS_JS = r"""() => {
  const skip = new Set(['PRE', 'CODE', 'SCRIPT', 'STYLE', 'TEXTAREA']);
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let e = node.parentElement, skipped = false;
    for (; e; e = e.parentElement) if (skip.has(e.tagName)) { skipped = true; break; }
    if (skipped) continue;
    const text = node.textContent;
    const m = text.match(/\$[^$]*\$?|\\[A-Za-z]{2,}|\\\(|\\\[/);
    if (m) raw.push(text.slice(Math.max(0, m.index - 40), m.index + 60));
  }
  const math = [...document.querySelectorAll('script[type^="math/tex"]')];
  const link = a => ({href: a.getAttribute('href'), url: a.href, text: a.textContent.trim(), rel: a.rel,
                      cls: a.className, lang: a.lang});
  return {
    lang: document.documentElement.lang,
    title: document.title,
    images: [...document.images].map(i => ({src: i.src.slice(0, 60), complete: i.complete, width: i.naturalWidth})),
    math: math.length,
    untypeset: math.filter(s => !document.getElementById(s.id + '-Frame')).map(s => s.textContent.slice(0, 80)),
    rendered: document.querySelectorAll('.MathJax, .MathJax_Display').length,
    mathErrors: document.querySelectorAll('.MathJax .merror, .MathJax_Error, .noError').length,
    raw: raw,
    navs: [...document.querySelectorAll('nav.lecture7-nav')].map(n => [...n.querySelectorAll('a')].map(link)),
    links: [...document.querySelectorAll('a[href]')].map(link),
    widgets: [...document.querySelectorAll('figure.lecture7-widget')].map(f => {
      const img = f.querySelector('img'), caption = f.querySelector('figcaption');
      return {img: !!img && img.complete && img.naturalWidth > 0, width: img ? img.getBoundingClientRect().width : 0,
              caption: caption ? caption.innerText.trim() : '', captionMath: caption ? caption.querySelectorAll('.MathJax').length : 0,
              captionRaw: caption ? caption.textContent : ''};
    }),
    widgetLeftovers: document.querySelectorAll('script[type*="jupyter.widget"], .jupyter-widgets, .widget-area').length,
    details: [...document.querySelectorAll('details')].map(d => d.open),
    overflowing: [...document.images].filter(i => i.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
  };
}"""


def visit(b, url):
    """Open `url`, wait for MathJax, read the facts; then click the first <summary> and see it open."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    b.remote.clear(), b.failed.clear(), b.errors.clear()
    page = b.page
    page.goto(url, wait_until="load")
    try:   # a file MathJax cannot load keeps it waiting: then the failed request says which
        page.wait_for_function("document.documentElement.getAttribute('data-math') === 'typeset'", timeout=60_000)
        typeset = True
    except PlaywrightTimeout:
        typeset = False
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=30_000)
    facts = page.evaluate(FACTS_JS)
    facts["typeset"] = typeset
    facts["opens"] = None
    if facts["details"]:
        summary = page.locator("details > summary").first
        summary.scroll_into_view_if_needed()
        summary.click()
        facts["opens"] = page.evaluate("document.querySelector('details').open")
    facts.update(remote=list(b.remote), failed=list(b.failed), errors=list(b.errors))
    return facts


def file_of(url):
    parsed = urllib.parse.urlparse(url)
    return Path(urllib.parse.unquote(parsed.path)) if parsed.scheme == "file" else None


def notebook_of(site, folder, stem):
    return nbformat.read(site["learner"] / folder / f"{stem}.ipynb", as_version=4)


def test_the_build_reports_its_pages_and_loads_nothing_from_outside(site):
    out = site["out"]
    built = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert built == sorted(page_file(*p) for p in PAGES)
    summary = site["stdout"].strip().splitlines()[-1]
    assert re.match(rf"{len(PAGES)} pages \(", summary), summary
    assert re.search(r"\d+\.\d MB in .* \(MathJax \d+\.\d MB\), built in \d+\.\d s", summary), summary
    for path in built:
        text = (out / path).read_text()
        # a tag that would load something from the internet (a link to follow, <a href>, is not one)
        loads = re.findall(r"<(?!a\b)(\w+)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//[^\"']*", text)
        assert not loads, f"{path} loads from the internet: {loads}"
        assert "cdnjs" not in text and "unpkg" not in text and "jsdelivr" not in text, path
        assert "application/vnd.jupyter.widget-view+json" not in text, path
    css = (out / "static" / "site.css").read_text()
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", css) and "@import" not in css


@pytest.mark.parametrize("folder, stem", PAGES, ids=[page_file(*p) for p in PAGES])
def test_page(site, browser, folder, stem):
    out, where = site["out"], page_file(folder, stem)
    facts = browser.run(visit, browser, (out / where).as_uri())
    notebook = notebook_of(site, folder, stem)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")

    assert not facts["remote"], f"{where} made requests that left the machine: {facts['remote']}"
    assert not facts["failed"], f"{where}: failed requests: {facts['failed']}"
    assert not facts["errors"], f"{where}: console errors: {facts['errors']}"
    assert facts["typeset"], f"{where}: MathJax did not finish within a minute"
    assert facts["lang"] == LANG[folder]

    # the title: the notebook's first heading, as text
    heading = next(line for line in markdown.splitlines() if line.startswith("# "))
    assert facts["title"].startswith(heading[2:].split("$")[0].strip()), (facts["title"], heading)
    assert "$" not in facts["title"] and "\\" not in facts["title"]

    bad = [i for i in facts["images"] if not (i["complete"] and i["width"] > 0)]
    assert not bad, f"{where}: images that did not load: {bad}"
    assert not facts["overflowing"], f"{where}: {facts['overflowing']} pictures wider than the window"

    if re.search(r"\$[^$]+\$", markdown):
        assert facts["math"] > 0 and facts["rendered"] >= facts["math"], f"{where}: math not typeset: {facts['math']}, {facts['rendered']}"
    assert not facts["untypeset"], f"{where}: formulas MathJax left alone: {facts['untypeset'][:5]}"
    assert not facts["mathErrors"], f"{where}: {facts['mathErrors']} formulas MathJax could not typeset"
    assert not facts["raw"], f"{where}: TeX left in the text: {facts['raw'][:5]}"

    # the navigation bar, above and under the page
    series = [p for p in PAGES if p[0] == folder]
    k = series.index((folder, stem))
    other = "" if folder else ZH
    expected = {"video": VIDEO,
                "index": None if k == 0 else out / page_file(folder, "00_index"),
                "prev": out / page_file(*series[k - 1]) if k > 0 else None,
                "next": out / page_file(*series[k + 1]) if k + 1 < len(series) else None,
                "edition": out / page_file(other, stem) if (other, stem) in PAGES else None}
    assert len(facts["navs"]) == 2, f"{where}: {len(facts['navs'])} navigation bars"
    for nav in facts["navs"]:
        found = {"video": [a["url"] for a in nav if "lecture7-nav-video" in a["cls"]],
                 "index": [file_of(a["url"]) for a in nav if "lecture7-nav-index" in a["cls"]],
                 "prev": [file_of(a["url"]) for a in nav if a["rel"] == "prev"],
                 "next": [file_of(a["url"]) for a in nav if a["rel"] == "next"],
                 "edition": [file_of(a["url"]) for a in nav if "lecture7-nav-edition" in a["cls"]]}
        for key, value in expected.items():
            assert found[key] == ([] if value is None else [value]), f"{where}: navigation {key}: {found[key]}, expected {value}"
        if expected["edition"]:
            assert [a["lang"] for a in nav if "lecture7-nav-edition" in a["cls"]] == [LANG[other]]
    # every link to a file of the site (the navigation's and the notebook's own) leads to one that exists
    for a in facts["links"]:
        path = file_of(a["url"])
        if path is not None:
            assert path.is_file(), f"{where}: the link {a['href']!r} ({a['text']!r}) leads to no file"
            assert out in path.parents, f"{where}: the link {a['href']!r} leads out of the site"
            assert not a["href"].endswith(".ipynb") and ".ipynb#" not in a["href"], a
        else:
            assert a["url"].startswith(("https://", "http://", "mailto:")), a

    # widgets: the picture as it first draws, and under it what it does live, typeset, without the brackets
    calls = sum(len(WIDGET_CALL.findall(c.source)) for c in notebook.cells if c.cell_type == "code")
    assert len(facts["widgets"]) == calls, f"{where}: {len(facts['widgets'])} widget pictures for {calls} widgets"
    for widget in facts["widgets"]:
        assert widget["img"] and widget["width"] > 200, f"{where}: a widget's picture did not load: {widget}"
        caption = widget["caption"]
        assert "JupyterLab" in caption, f"{where}: a widget's line: {caption!r}"
        assert not caption.startswith("[") and not caption.endswith("]"), caption
        if "$" in widget["captionRaw"] or widget["captionMath"]:
            assert widget["captionMath"] > 0, f"{where}: a widget's line has math that is not typeset: {caption!r}"
    assert not facts["widgetLeftovers"], f"{where}: widget views left in the page"

    # hints and solutions folded, and they open
    assert len(facts["details"]) == markdown.count("<details"), f"{where}: {len(facts['details'])} <details>"
    assert not any(facts["details"]), f"{where}: {sum(facts['details'])} <details> open"
    if facts["details"]:
        assert facts["opens"], f"{where}: a <summary> clicked did not open its <details>"


def test_a_link_to_a_page_the_site_does_not_have_is_no_link_and_the_editions_link_each_other(site):
    index = (site["out"] / "index.html").read_text()
    assert 'class="lecture7-unbuilt"' in index and "99_missing" not in index
    assert 'href="zh-TW/index.html"' in index and 'href="../index.html"' in (site["out"] / ZH / "index.html").read_text()
