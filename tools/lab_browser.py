"""JupyterLab in headless Chromium: start a token-protected server, open notebooks, run them.

Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) through Python Playwright; no browser is
downloaded. Both the server and the browser are stopped on exit, also when a check fails.
"""
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from lecture7.cli import lab_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(server, url, timeout=90, log=None):
    """Poll `url` until it answers; fail early, with the server's output (its stdout pipe, or the
    file `log` it writes to), if `server` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = Path(log).read_text() if log else server.stdout.read().decode()
            raise RuntimeError(f"JupyterLab exited early:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def jupyterlab(notebook_dir, runtime_dir):
    """A JupyterLab server on 127.0.0.1 with a fresh token; yields (base URL, token).

    Its log (jupyterlab.log), user settings and workspaces live in `runtime_dir`, so a learner's own
    settings in ~/.jupyter (another notebook windowing mode, say) do not change what the browser sees.
    """
    port, token = free_port(), secrets.token_hex(16)
    # as `lecture7 lab` starts it (news off: nothing fetched from the internet, no "get notified?" toast over the notebook)
    command, env = lab_command(notebook_dir, port=port, extra=["--no-browser", "--port-retries=0", f"--ServerApp.token={token}",
                                                                "--LabApp.expose_app_in_browser=True"])
    env.update({"JUPYTER_RUNTIME_DIR": str(runtime_dir), "JUPYTERLAB_SETTINGS_DIR": str(Path(runtime_dir) / "settings"),
                "JUPYTERLAB_WORKSPACES_DIR": str(Path(runtime_dir) / "workspaces")})
    # a file, not a pipe: nobody reads a pipe while the notebooks run, and a full one would stall the server
    Path(runtime_dir).mkdir(parents=True, exist_ok=True)
    log = Path(runtime_dir) / "jupyterlab.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(server, f"{base}/api/status?token={token}", log=log)
        yield base, token
    finally:
        stop(server)


def make_lab(port, learner_dir, env):
    """`make lab` as a learner starts it, on `port` only and without opening a browser, in a session of its own
    (`stop` ends it and what it started); its output is on the process's stdout pipe."""
    return subprocess.Popen(["make", "-C", str(ROOT), "lab", f"LAB_PORT={port}", f"LEARNER_DIR={learner_dir}",
                             "LAB_ARGS=--no-browser --port-retries=0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def stop(server):
    """Stop a server started with start_new_session=True, and every process it started."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@contextlib.contextmanager
def chromium_page(width=1280, height=900):
    """A page of headless Chromium, closed on exit."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium`, or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def run_notebook(page, base, token, path, timeout_ms=120_000):
    """Open the notebook at `path` (relative to the server's directory), run all cells, wait until idle.

    `reset` starts from an empty workspace: otherwise JupyterLab restores the tabs of the last page,
    and the notebook opened before would be the one that runs.
    """
    page.goto(f"{base}/lab/tree/{path}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook", timeout=timeout_ms)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel", timeout=timeout_ms)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "(() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w.sessionContext.session.kernel.status === 'idle'"
        " && ![...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*')); })()",
        timeout=timeout_ms,
    )
