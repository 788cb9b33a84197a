"""`make lab` starts JupyterLab on 127.0.0.1 with token authentication, also as root, and opens the series' index."""
import os
import secrets
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lab_browser import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the .venv that `make install` creates")
def test_make_lab_answers_on_localhost_with_a_token(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    server = subprocess.Popen(["make", "-C", str(ROOT), "lab", f"LAB_PORT={port}", "LAB_ARGS=--no-browser --port-retries=0"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(server, f"{base}/api/status?token={token}")
        assert status(f"{base}/api/status?token={token}") == 200
        assert status(f"{base}/api/status") == 403
        for name in sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb")):
            assert status(f"{base}/api/contents/{name}?token={token}") == 200, name
        with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as response:   # the URL `make lab` prints
            assert response.geturl().startswith(f"{base}/lab/tree/00_index.ipynb"), "make lab does not open the index"
    finally:
        stop(server)
