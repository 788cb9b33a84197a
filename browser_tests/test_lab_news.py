"""`make lab`, and the servers of these tests, turn JupyterLab's news off: no "Would you like to get notified
about official Jupyter news?" prompt over the notebook, and nothing fetched from the internet. A learner's
own notification settings still win (the project sets defaults)."""
import json
import os
import secrets
import urllib.request

from lab_browser import free_port, jupyterlab, make_lab, stop, wait_until_up

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def notification_settings(base, token):
    """The notification settings JupyterLab's page starts from: the schema's defaults, with the project's
    overrides applied by the server, under the user's own settings (none here)."""
    with urllib.request.urlopen(f"{base}/lab/api/settings/{NOTIFICATION}?token={token}", timeout=10) as response:
        answer = json.load(response)
    defaults = {name: spec["default"] for name, spec in answer["schema"]["properties"].items()}
    return {**defaults, **answer["settings"]}


def test_make_lab_turns_the_news_off(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_RUNTIME_DIR": str(tmp_path),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings")}   # a learner who never chose
    server = make_lab(port, tmp_path / 'mine', env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(server, f"{base}/api/status?token={token}")
        settings = notification_settings(base, token)
    finally:
        stop(server)
    # "none" (the default) is what makes JupyterLab ask
    assert settings["fetchNews"] == "false" and settings["checkForUpdates"] is False


def test_the_test_servers_turn_the_news_off(tmp_path):
    with jupyterlab(tmp_path, tmp_path / "runtime") as (base, token):
        settings = notification_settings(base, token)
    assert settings["fetchNews"] == "false" and settings["checkForUpdates"] is False
