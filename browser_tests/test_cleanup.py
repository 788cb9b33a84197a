"""A failing check stops everything the browser tests started: JupyterLab, its kernel and Chromium."""
import os
import shutil
import time
from pathlib import Path

import pytest
from lab_browser import chromium_page, jupyterlab, run_notebook

ROOT = Path(__file__).resolve().parent.parent


def stat(pid):
    """(parent pid, state, start time) of a process, or None once it is gone. The start time tells a
    reused pid apart; a zombie (state Z) has stopped and only waits to be reaped."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()   # the name in parentheses may hold spaces
    return int(fields[1]), fields[0], fields[19]


def descendants(pid):
    """The running processes below `pid`, as {pid: (start time, command line)}."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := stat(entry.name)) is not None and info[1] != "Z":
            children.setdefault(info[0], []).append((int(entry.name), info[2]))
    found, todo = {}, [pid]
    while todo:
        for child, start in children.get(todo.pop(), []):
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            found[child] = (start, command)
            todo.append(child)
    return found


def running(processes):
    return {pid: command for pid, (start, command) in processes.items()
            if (info := stat(pid)) is not None and info[1] != "Z" and info[2] == start}


def test_a_failing_check_stops_the_server_the_kernel_and_the_browser(tmp_path):
    shutil.copy(ROOT / "notebooks" / "00_index.ipynb", tmp_path)
    before = descendants(os.getpid())
    with pytest.raises(AssertionError, match="a check that fails"):
        with jupyterlab(tmp_path, tmp_path / "runtime") as (base, token), chromium_page() as page:
            run_notebook(page, base, token, "00_index.ipynb")
            started = {pid: p for pid, p in descendants(os.getpid()).items() if pid not in before}
            raise AssertionError("a check that fails")
    commands = " ".join(command for _, command in started.values())
    for program in ["jupyter", "ipykernel", "chromium"]:
        assert program in commands, f"no {program} process was seen running, so this test would prove nothing"
    # closing a browser or killing a process group returns before the last child has exited
    deadline = time.monotonic() + 30
    while running(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not running(started), "still running after the failed check:\n" + "\n".join(running(started).values())
