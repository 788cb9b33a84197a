"""A bubblewrap sandbox for student code: the kernels nbgrader starts and the grader's exercise runs.

    python tools/sandbox.py kernel --grader DIR --notebook-dir DIR --runtime DIR --uid UID CONNECTION_FILE   (a kernelspec's argv)

Inside, a process sees the system (/usr, /etc), this Python and its environment, and the grading folder
(an installed copy of lecture7 and tools/exercises.py) at /opt/grader, all read-only; a kernel also sees its
notebook's folder read-only and its runtime folder (the kernel's Unix sockets). It writes only a private
/tmp (a tmpfs of TMPFS_BYTES). Not the repository, not the course folder, not the gradebook, not another
student. No network, no other process (its own pid namespace; `--die-with-parent` ends everything it
started when the kernel or run ends), and the limits of LIMITS. Run as root, it runs as `uid` (one per
student), so that the process limit applies.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
GRADER_MOUNT = "/opt/grader"         # where the grading folder appears inside
SITE = "site"                        # the installed package, inside the grading folder
TMPFS_BYTES = 256 * 2**20
LIMITS = {                           # resource → soft = hard limit, for the sandbox and everything it starts
    resource.RLIMIT_AS: 3 * 2**30,   # an honest series notebook peaks at 1.2 GB of address space
    resource.RLIMIT_CPU: 15 * 60,    # seconds of CPU per process
    resource.RLIMIT_NPROC: 64,       # processes of the student's uid (not enforced for root: hence `uid`)
    resource.RLIMIT_FSIZE: 64 * 2**20,
    resource.RLIMIT_NOFILE: 256,
    resource.RLIMIT_CORE: 0,
}


def environment():
    """The whole environment of a sandboxed process: nothing of the grader's is inherited."""
    return {
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
        "PYTHONPATH": f"{GRADER_MOUNT}/{SITE}",   # the installed copy of lecture7, before the environment's own
        "PYTHONSAFEPATH": "1",        # the cwd is not on sys.path: a lecture7/ folder beside a notebook imports nothing
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "MPLCONFIGDIR": "/tmp", "IPYTHONDIR": "/tmp/ipython",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",   # one core per sandbox: students run side by side
    }


def _mount(options, flag, path, dest=None):
    """A bind of `path` at `dest`, after making each missing parent a 0755 folder (bwrap makes them 0700)."""
    dest = Path(dest or path)
    mounted = [Path(p) for kind, p in options.get("_binds", [])]
    for parent in reversed(dest.parents):
        if parent != Path("/") and not any(parent == m or m in parent.parents for m in mounted) and parent not in options["_dirs"]:
            options["args"] += ["--perms", "0755", "--dir", str(parent)]
            options["_dirs"].add(parent)
    options["args"] += [flag, str(path), str(dest)]
    options.setdefault("_binds", []).append((flag, str(dest)))


def command(grader, argv, read_only=(), writable=(), uid=None, chdir="/tmp"):
    """The bwrap command line that runs `argv` in the sandbox, in the folder `chdir`."""
    # /tmp first: every later bind under it lands on the tmpfs
    options = {"args": [BWRAP, "--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp"], "_dirs": {Path("/tmp")}}
    for system in ("/usr", "/etc"):
        _mount(options, "--ro-bind", system)
    for link in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(link):
            options["args"] += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            _mount(options, "--ro-bind", link)
    for prefix in sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix)}, key=lambda p: len(p.parts)):
        if not any(prefix == Path(m) or Path(m) in prefix.parents for _, m in options["_binds"]):
            _mount(options, "--ro-bind", prefix)
    _mount(options, "--ro-bind", Path(grader).resolve(), GRADER_MOUNT)
    for path in read_only:
        _mount(options, "--ro-bind", path)
    options["args"] += ["--dev", "/dev", "--proc", "/proc"]
    for path in writable:
        _mount(options, "--bind", path)
    options["args"] += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                        "--hostname", "sandbox", "--die-with-parent", "--new-session", "--chdir", str(chdir), "--clearenv"]
    for name, value in environment().items():
        options["args"] += ["--setenv", name, value]
    if uid is not None and os.geteuid() == 0:
        # bwrap drops every capability for the command but these two, which setpriv then drops with root
        options["args"] += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                            "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                            "--inh-caps=-all", "--bounding-set=-all"]
    return options["args"] + ["--", *argv]


PRLIMIT = {resource.RLIMIT_AS: "as", resource.RLIMIT_CPU: "cpu", resource.RLIMIT_NPROC: "nproc",
           resource.RLIMIT_FSIZE: "fsize", resource.RLIMIT_NOFILE: "nofile", resource.RLIMIT_CORE: "core"}


def limits():
    """LIMITS, but the process limit only as root: then the sandbox runs as a uid of its own; otherwise the limit
    would count every process of the user who grades."""
    return {which: value for which, value in LIMITS.items() if which != resource.RLIMIT_NPROC or os.geteuid() == 0}


def limit():
    """Apply the limits to this process (inherited by bwrap and everything inside); run just before exec."""
    for which, value in limits().items():
        resource.setrlimit(which, (value, value))


def limited(argv):
    """`argv` under the limits through prlimit(1): safe from the grader's threads, where preexec_fn is not."""
    return ["prlimit", *(f"--{PRLIMIT[which]}={value}:{value}" for which, value in limits().items()), "--", *argv]


def run(grader, argv, uid=None, writable=(), **kwargs):
    """subprocess.run of `argv` in the sandbox, with LIMITS."""
    return subprocess.run(limited(command(grader, argv, writable=writable, uid=uid)), **kwargs)


def unavailable(grader):
    """Why no sandbox can be made here (None when one can): bwrap missing, or refused by the kernel."""
    if not os.path.exists(BWRAP):
        return f"bubblewrap is not installed ({BWRAP} is missing; apt-get install bubblewrap)"
    try:
        probe = run(grader, [sys.executable, "-c", "import lecture7"], uid=61999, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not run: {error}"
    if probe.returncode != 0:
        return f"bubblewrap could not run a sandbox here: {(probe.stderr or probe.stdout).strip()[-500:]}"
    return None


def kernel(grader, notebook_dir, runtime, uid, connection_file, options=()):
    """Exec an ipykernel in the sandbox; the kernelspec's argv points here. `runtime`: the folder of the kernel's
    connection file and sockets, the student's own."""
    runtime, connection_file = Path(runtime).resolve(), Path(connection_file).resolve()
    if connection_file.parent != runtime:
        raise SystemExit(f"the connection file {connection_file} is not in the kernel's runtime folder {runtime}")
    if os.geteuid() == 0:
        # the kernel, as `uid`, reads its connection file and makes its sockets beside it
        os.chown(connection_file, uid, uid)
        os.chmod(runtime, 0o1777)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file), *options]
    notebook_dir = Path(notebook_dir).resolve()
    args = command(grader, argv, read_only=[notebook_dir], writable=[runtime], uid=uid, chdir=notebook_dir)
    limit()
    os.execv(BWRAP, args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["kernel"])
    parser.add_argument("--grader", required=True, type=Path)
    parser.add_argument("--notebook-dir", required=True, type=Path)
    parser.add_argument("--runtime", required=True, type=Path)
    parser.add_argument("--uid", type=int, default=None)
    parser.add_argument("connection_file")
    args, options = parser.parse_known_args(argv)   # nbclient adds the kernel's own options (--HistoryManager…)
    kernel(args.grader, args.notebook_dir, args.runtime, args.uid, args.connection_file, options)


if __name__ == "__main__":
    main()
