"""`make lab` starts JupyterLab on 127.0.0.1 with token authentication, also as root, and opens the series' index,
in the learner's own copy of the learner's edition, which it fills without overwriting what the learner changed."""
import os
import secrets
import urllib.error
import json
import urllib.request
from pathlib import Path

import nbformat

import pytest
from lab_browser import free_port, make_lab, stop, wait_until_up
from lecture7.cli import EDITION

ROOT = Path(__file__).resolve().parent.parent


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the .venv that `make install` creates")
def test_make_lab_answers_on_localhost_with_a_token_and_keeps_the_learners_work(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    mine = tmp_path / "my-notebooks"
    mine.mkdir()
    answered = nbformat.read(EDITION / "03_backward_pass.ipynb", as_version=4)
    answered.cells[0].source += "\n\nMy notes on the backward pass."   # a learner's own copy, changed (and never copied from .edition)
    nbformat.write(answered, mine / "03_backward_pass.ipynb")
    before = (mine / "03_backward_pass.ipynb").read_bytes()
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    server = make_lab(port, mine, env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(server, f"{base}/api/status?token={token}")
        assert status(f"{base}/api/status?token={token}") == 200
        assert status(f"{base}/api/status") == 403
        for name in sorted(path.name for path in (EDITION).glob("*.ipynb")):
            assert status(f"{base}/api/contents/{name}?token={token}") == 200, name
        with urllib.request.urlopen(f"{base}/api/contents/03_backward_pass.ipynb?token={token}", timeout=10) as response:
            assert "My notes on the backward pass." in json.load(response)["content"]["cells"][0]["source"]
        with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as response:   # the URL `make lab` prints
            assert response.geturl().startswith(f"{base}/lab/tree/00_index.ipynb"), "make lab does not open the index"
            page = response.read().decode()
        # the classroom tools that `make test` installs beside it are off: no nbgrader menu, no nbgrader_config.py warning
        assert '"disabledExtensions": ["@jupyter/nbgrader"]' in page
        assert status(f"{base}/formgrader?token={token}") == 404
        for name in sorted(path.name for path in (EDITION / "zh-TW").glob("*.ipynb")):
            assert status(f"{base}/api/contents/zh-TW/{name}?token={token}") == 200, name
    finally:
        stop(server)
    assert "nbgrader" not in server.stdout.read().decode()
    assert (mine / "03_backward_pass.ipynb").read_bytes() == before
    assert (mine / "03_backward_pass.new.ipynb").read_bytes() == (EDITION / "03_backward_pass.ipynb").read_bytes()
    assert (mine / "02_forward_pass.ipynb").read_bytes() == (EDITION / "02_forward_pass.ipynb").read_bytes()
