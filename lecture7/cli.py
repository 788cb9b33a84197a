"""The `lecture7` command: the learner's edition of the series, copied where you work, and JupyterLab on it.

    lecture7 copy DIR                  write the learner's edition into DIR (never over a notebook you changed)
    lecture7 lab [DIR] [--language zh-TW] [--port 8888] [JUPYTER LAB ARGS]
                                       copy when needed, then open JupyterLab on DIR (127.0.0.1, token login)

The edition is the English notebooks in DIR and the Traditional Chinese ones in DIR/zh-TW; each index links to the
other's. `copy` keeps, in DIR/.edition/, the copy it gave. A notebook you do not have yet is copied. One you have is
replaced only when it is byte for byte the copy you were given (you have neither run nor changed it); otherwise the
new edition goes beside it, as NAME.new.ipynb (or NAME.new-2.ipynb, …), and yours is left as it is. It says what it
did to each notebook. `make lab` in a clone of the repository runs `lecture7 lab my-notebooks`.
"""
import argparse
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

EDITION = Path(str(resources.files("lecture7") / "learner"))   # the learner's edition, as the package ships it
JUPYTER_CONFIG = Path(str(resources.files("lecture7") / "jupyter-config"))   # news off, the classroom tools off
BASE = ".edition"   # in the learner's folder: the copies `copy` gave, to tell whether the learner has changed theirs
LANGUAGES = {"en": ".", "zh-TW": "zh-TW"}   # each edition's folder, within the edition and within DIR
# nbgrader's server extensions, which `make test` installs into the same environment: a learner's lab goes without
CLASSROOM_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.validate_assignment",
                        "nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list")


def series(folder):
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def copy(into, edition=EDITION, say=print):
    """Bring the learner's folder `into` up to `edition` (both languages) without overwriting anything they changed;
    return what it did, one sentence a notebook."""
    into, edition = Path(into), Path(edition)
    if not series(edition):
        raise FileNotFoundError(f"This lecture7 has no learner's edition in {edition} (a classroom's copy of the package "
                                "comes without it): your notebooks come from your course.")
    actions = []
    for folder in LANGUAGES.values():
        if series(edition / folder):
            actions += _copy_folder(into / folder, edition / folder, Path(folder), say)
    return actions


def _copy_folder(into, edition, shown, say):
    base = into / BASE
    base.mkdir(parents=True, exist_ok=True)
    actions = []
    for new in series(edition):
        mine, given = into / new.name, base / new.name
        name = (shown / new.name).as_posix()
        if not mine.exists():
            shutil.copyfile(new, mine)
            action = f"{name}: copied (new)"
        elif given.exists() and given.read_bytes() == new.read_bytes():
            action = f"{name}: kept (the edition has not changed)"
        elif given.exists() and mine.read_bytes() == given.read_bytes():
            shutil.copyfile(new, mine)
            action = f"{name}: updated to the new edition (you had neither changed nor run it)"
        else:
            beside = _free_name(mine)
            shutil.copyfile(new, beside)
            action = f"{name}: yours is kept as it is; the new edition is beside it as {beside.name}"
        shutil.copyfile(new, given)
        actions.append(action)
        say(action)
    return actions


def _free_name(mine):
    candidate, n = mine.with_suffix(".new.ipynb"), 2
    while candidate.exists():
        candidate, n = mine.with_name(f"{mine.stem}.new-{n}.ipynb"), n + 1
    return candidate


def lab_command(folder, language="en", port=8888, extra=()):
    """The command and environment that open JupyterLab on `folder` at the index of `language`'s edition."""
    index = (Path(LANGUAGES[language]) / "00_index.ipynb").as_posix().removeprefix("./")
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}", f"--LabApp.default_url=/lab/tree/{index}",
               "--ServerApp.ip=127.0.0.1", f"--port={port}", "--allow-root",
               *(f"--ServerApp.jpserver_extensions={name}=False" for name in CLASSROOM_EXTENSIONS), *extra]
    # our defaults first on the config path: a learner's own settings (~/.jupyter) still win over them
    config = os.pathsep.join(filter(None, [str(JUPYTER_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH")]))
    return command, {**os.environ, "JUPYTER_CONFIG_PATH": config}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="lecture7", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("copy", help="write the learner's edition into DIR, never over a notebook you changed")
    command.add_argument("folder", metavar="DIR", type=Path)
    command = commands.add_parser("lab", help="copy when needed, then open JupyterLab on DIR")
    command.add_argument("folder", metavar="DIR", type=Path, nargs="?", default=Path("lecture7-notebooks"))
    command.add_argument("--language", choices=sorted(LANGUAGES), default="en", help="the edition to open at (default: en)")
    command.add_argument("--port", type=int, default=8888)
    args, extra = parser.parse_known_args(argv)   # what lecture7 does not know is for jupyter lab (after a --, or not)
    extra = [a for a in extra if a != "--"]
    if extra and args.command == "copy":
        parser.error(f"lecture7 copy takes a folder only; got also {' '.join(extra)}")
    print(f"Your notebooks are in {args.folder}; nothing you changed there is ever overwritten.")
    args.folder.mkdir(parents=True, exist_ok=True)
    try:
        copy(args.folder)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "copy":
        return 0
    command, env = lab_command(args.folder, args.language, args.port, extra)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main())
