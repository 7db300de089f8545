#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    python tests/pg_cluster.py -- python -m pytest

The script finds PostgreSQL's server binaries, creates a fresh cluster in a
temporary directory, starts it on a free port of 127.0.0.1 with settings fit
for tests (no fsync, trust authentication for the ``postgres`` superuser),
runs the command with ``OHJAUS_TEST_PG_ADMIN_URL`` pointing at it, and always
stops the server and removes the directory afterwards.  The exit status is the
command's.

Without server binaries the PostgreSQL pass is skipped (exit 0); on CI
(``CI=true``) or with ``OHJAUS_REQUIRE_PG=1`` it installs Debian's
``postgresql`` package instead, and failing to get a server is an error.

``initdb`` and ``pg_ctl`` refuse to run as root: as root the server runs as an
unprivileged system user (``ohjaus-test``, created if missing, else
``nobody``).  The command itself always runs as the invoking user.

Standard library only: this runs before (and outside) the project's venv.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

ENV_VAR = "OHJAUS_TEST_PG_ADMIN_URL"
SKIP_LINE = (
    "PostgreSQL pass skipped: no PostgreSQL server binaries (install Debian's postgresql package)"
)
SERVER_TOOLS = ("pg_ctl", "initdb", "postgres")
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "ohjaus-test"
FALLBACK_USER = "nobody"
HOST = "127.0.0.1"
SUPERUSER = "postgres"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30
START_ATTEMPTS = 3
LOG_TAIL_LINES = 40
# Unix socket paths are limited to 107 bytes (sun_path); keep a margin.
MAX_SOCKET_DIR = 80
SERVER_SETTINGS: Mapping[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
}
# After SIGINT/SIGTERM, how long the command gets before SIGTERM, then SIGKILL.
GRACE_TERM = 10.0
GRACE_KILL = 20.0

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class ClusterError(Exception):
    """The cluster could not be created or started; the message says why."""


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived while the cluster was being set up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --------------------------------------------------------------------------
# Pure helpers


def command_from_argv(argv: Sequence[str]) -> list[str]:
    """The command to run: everything after an optional leading ``--``."""
    args = list(argv)
    if args and args[0] == "--":
        args = args[1:]
    return args


def pg_required(environ: Mapping[str, str]) -> bool:
    """On CI, or when asked to, a missing server is an error, not a skip."""
    return environ.get("CI", "").strip().lower() == "true" or (
        environ.get("OHJAUS_REQUIRE_PG", "").strip() == "1"
    )


def version_key(name: str) -> tuple[int, ...] | None:
    """Sort key of a Debian version directory name (``"15"``, ``"9.6"``)."""
    if not re.fullmatch(r"\d+(\.\d+)*", name):
        return None
    return tuple(int(part) for part in name.split("."))


def parse_server_version(text: str) -> str:
    """``"postgres (PostgreSQL) 15.14 (Debian ...)"`` -> ``"15.14"``."""
    match = re.search(r"\(PostgreSQL\)\s+(\S+)", text)
    if match:
        return match.group(1)
    words = text.split()
    return words[-1] if words else "(unknown version)"


def admin_url(port: int, host: str = HOST) -> str:
    """The SQLAlchemy URL of the superuser's maintenance database."""
    return f"postgresql+psycopg://{SUPERUSER}@{host}:{port}/postgres"


def exit_status(returncode: int) -> int:
    """A shell-style exit status: death by signal N becomes 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


def server_options(port: int, socket_dir: Path, settings: Mapping[str, str]) -> str:
    """The ``pg_ctl -o`` string; pg_ctl hands it to ``/bin/sh``, hence the quoting."""
    parts = ["-h", HOST, "-p", str(port), "-k", str(socket_dir)]
    for name, value in settings.items():
        parts += ["-c", f"{name}={value}"]
    return shlex.join(parts)


def tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


def is_server_bindir(directory: Path) -> bool:
    return all(
        (directory / tool).is_file() and os.access(directory / tool, os.X_OK)
        for tool in SERVER_TOOLS
    )


def find_bindir(path: str | None = None, debian_root: Path | None = None) -> Path | None:
    """The directory of ``pg_ctl``, ``initdb`` and ``postgres``.

    First the tools on PATH: symlinks (such as ``/usr/local/bin/pg_ctl`` ->
    ``/usr/lib/postgresql/15/bin/pg_ctl``) are resolved, because pg_ctl and
    initdb look for ``postgres`` next to their real selves.  Debian's
    ``pg_wrapper`` links resolve to a directory without ``initdb`` and are
    skipped.  Then the newest ``/usr/lib/postgresql/*/bin``.
    """
    found = [shutil.which(tool, path=path) for tool in SERVER_TOOLS]
    if all(found):
        candidate = Path(str(found[0])).resolve().parent
        if is_server_bindir(candidate):
            return candidate
    versions: list[tuple[tuple[int, ...], Path]] = []
    with contextlib.suppress(OSError):
        for entry in (debian_root or DEBIAN_ROOT).iterdir():
            key = version_key(entry.name)
            if key is not None and is_server_bindir(entry / "bin"):
                versions.append((key, entry / "bin"))
    return max(versions)[1] if versions else None


# --------------------------------------------------------------------------
# Output


def say(line: str) -> None:
    """One status line on stderr (stdout belongs to the command)."""
    print(line, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Getting the binaries


def install_server() -> bool:
    """``apt-get install postgresql`` as root (or with passwordless sudo)."""
    if shutil.which("apt-get") is None:
        say("pg_cluster: cannot install PostgreSQL: apt-get not found")
        return False
    prefix: list[str] = []
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None or subprocess.run([sudo, "-n", "true"], check=False).returncode != 0:
            say("pg_cluster: cannot install PostgreSQL: not root and no passwordless sudo")
            return False
        prefix = [sudo, "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        say(f"pg_cluster: installing PostgreSQL server binaries: {shlex.join(prefix + step)}")
        if subprocess.run(prefix + step, env=env, check=False).returncode != 0:
            say(f"pg_cluster: {shlex.join(step)} failed")
            return False
    return True


def server_version(bindir: Path) -> str:
    result = subprocess.run(
        [str(bindir / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return parse_server_version(result.stdout)


# --------------------------------------------------------------------------
# The unprivileged server user


@dataclass(frozen=True)
class ServerUser:
    name: str
    uid: int
    gid: int


def _lookup(name: str) -> ServerUser | None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return ServerUser(entry.pw_name, entry.pw_uid, entry.pw_gid)


def server_user() -> ServerUser | None:
    """As root, the user to run initdb and pg_ctl as; otherwise None (ourselves)."""
    if os.geteuid() != 0:
        return None
    user = _lookup(SERVER_USER)
    useradd = shutil.which("useradd")
    if user is None and useradd is not None:
        shell = next(
            (s for s in ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false") if Path(s).exists()),
            "/bin/false",
        )
        result = subprocess.run(
            [
                useradd,
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                shell,
                SERVER_USER,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            say(f"pg_cluster: created system user {SERVER_USER} to run the server")
        user = _lookup(SERVER_USER)
    if user is None:
        user = _lookup(FALLBACK_USER)
    if user is None or user.uid == 0:
        raise ClusterError(
            f"running as root, but neither {SERVER_USER} (useradd failed) "
            f"nor {FALLBACK_USER} is usable to run the server"
        )
    return user


# --------------------------------------------------------------------------
# The cluster


def _server_env() -> dict[str, str]:
    """The environment of initdb and pg_ctl: no PG* overrides, the C locale."""
    drop = ("PG", "LC_")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(drop) and key not in ("LANG", "LANGUAGE")
    }
    env["LC_ALL"] = "C"
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts_tcp(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


class Cluster:
    """One throwaway cluster: create, start, stop, remove."""

    def __init__(self, bindir: Path, user: ServerUser | None) -> None:
        self.bindir = bindir
        self.user = user
        self.base: Path | None = None
        self.port = 0
        self.env = _server_env()

    @property
    def data(self) -> Path:
        assert self.base is not None
        return self.base / "data"

    @property
    def log(self) -> Path:
        assert self.base is not None
        return self.base / "server.log"

    def _run(self, args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a server tool as the server user, its output captured."""
        if self.user is None:
            return subprocess.run(
                args,
                cwd=self.base,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        # setgroups/setresgid/setresuid in the forked child, before exec: no
        # dependency on runuser/su/PAM and no shell quoting.
        return subprocess.run(
            args,
            cwd=self.base,
            env={**self.env, "HOME": str(self.base), "USER": self.user.name},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            user=self.user.uid,
            group=self.user.gid,
            extra_groups=[],
        )

    def _tool(self, name: str) -> str:
        return str(self.bindir / name)

    def create(self) -> None:
        # As root the server user must be able to reach the directory: make it
        # directly under /tmp (1777) rather than under a possibly private TMPDIR.
        parent = "/tmp" if self.user is not None else tempfile.gettempdir()
        if len(parent) > MAX_SOCKET_DIR - 30:
            parent = "/tmp"
        self.base = Path(tempfile.mkdtemp(prefix="ohjaus-pg-", dir=parent))
        self.base.chmod(0o755)
        if self.user is not None:
            os.chown(self.base, self.user.uid, self.user.gid)
        common = [
            self._tool("initdb"),
            "--pgdata",
            str(self.data),
            "--auth=trust",
            f"--username={SUPERUSER}",
            "--encoding=UTF8",
            "--no-sync",
        ]
        failures: list[str] = []
        for locale in ("--locale=C.UTF-8", "--no-locale"):
            result = self._run([*common, locale], timeout=300)
            if result.returncode == 0:
                return
            failures.append(f"$ initdb ... {locale}\n{tail(result.stdout + result.stderr)}")
            if self.data.exists():
                shutil.rmtree(self.data)
        raise ClusterError("initdb failed:\n" + "\n".join(failures))

    def start(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            log_size = self.log.stat().st_size if self.log.exists() else 0
            options = server_options(self.port, self.data, SERVER_SETTINGS)
            wait = max(1, int(deadline - time.monotonic()))
            command = [self._tool("pg_ctl"), "start", "-D", str(self.data)]
            command += ["-l", str(self.log), "-w", "-t", str(wait), "-o", options]
            result = self._run(command, timeout=wait + 10)
            if result.returncode == 0:
                self._wait_ready(deadline)
                return
            log = self._read_log()[log_size:]
            port_taken = "could not bind" in log or "already in use" in log
            if port_taken and attempt < START_ATTEMPTS and not self.running():
                continue
            raise ClusterError(
                f"pg_ctl start failed (exit {result.returncode}):\n"
                f"{tail(result.stdout + result.stderr)}\n"
                f"--- last lines of {self.log} ---\n{tail(log)}"
            )

    def _wait_ready(self, deadline: float) -> None:
        """pg_ctl -w has waited; confirm the server accepts TCP connections."""
        isready = self.bindir / "pg_isready"
        probe = str(isready) if isready.exists() else shutil.which("pg_isready")
        while True:
            if probe is None:
                ready = _accepts_tcp(self.port)
            else:
                check = [probe, "-q", "-h", HOST, "-p", str(self.port)]
                check += ["-U", SUPERUSER, "-d", "postgres", "-t", "2"]
                status = subprocess.run(check, env=self.env, check=False, timeout=10).returncode
                if status == 3:  # no attempt made (bad arguments): fall back to TCP
                    probe = None
                    continue
                ready = status == 0
            if ready:
                return
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"the server did not accept connections on {HOST}:{self.port} "
                    f"within {START_TIMEOUT:.0f} s\n"
                    f"--- last lines of {self.log} ---\n{tail(self._read_log())}"
                )
            time.sleep(0.1)

    def _read_log(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _lock_pid(self) -> int | None:
        """The PID in the server's lock file; negative for a standalone backend."""
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, IndexError, ValueError):
            return None

    def _ours(self, pid: int) -> bool:
        """Whether the process runs as the server user (not a recycled PID)."""
        try:
            owner = Path(f"/proc/{pid}").stat().st_uid
        except OSError:
            return False
        return pid > 1 and owner == (self.user.uid if self.user is not None else os.getuid())

    def running(self) -> bool:
        return self.base is not None and (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        pid = self._lock_pid() if self.running() else None
        if pid is None:
            return
        if pid < 0:  # initdb's bootstrap backend, interrupted: pg_ctl cannot stop it
            if self._ours(-pid):
                with contextlib.suppress(OSError):
                    os.kill(-pid, signal.SIGKILL)
            return
        command = [self._tool("pg_ctl"), "stop", "-D", str(self.data)]
        command += ["-m", "immediate", "-w", "-t", str(STOP_TIMEOUT)]
        try:
            stopped = self._run(command, timeout=STOP_TIMEOUT + 10).returncode == 0
        except (OSError, subprocess.SubprocessError):
            stopped = False
        if not stopped and self._ours(pid):
            say(f"pg_cluster: pg_ctl stop failed; killing postmaster {pid}")
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        if self.base is None:
            return
        try:
            shutil.rmtree(self.base)
        except OSError as error:
            say(f"pg_cluster: could not remove {self.base}: {error}")


# --------------------------------------------------------------------------
# Signals


@contextlib.contextmanager
def signal_handlers(
    handler: Handler, signums: Sequence[signal.Signals] = (signal.SIGTERM, signal.SIGHUP)
) -> Iterator[None]:
    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def run_command(command: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the command, streaming its output, and return its exit status.

    A terminal's Ctrl-C reaches the command directly (same process group), so
    SIGINT is not forwarded; SIGTERM and SIGHUP are.  A command that ignores
    them gets SIGTERM, then SIGKILL.
    """
    processes: list[subprocess.Popen[bytes]] = []
    received: list[tuple[int, float]] = []

    def relay(signum: int, frame: FrameType | None) -> None:
        received.append((signum, time.monotonic()))
        if signum != signal.SIGINT and processes and processes[0].poll() is None:
            processes[0].send_signal(signum)

    escalated = 0
    with signal_handlers(relay, (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)):
        # Handlers first: no signal may slip in between the start and the wait.
        try:
            process = subprocess.Popen(list(command), env=dict(env))
        except OSError as error:
            say(f"pg_cluster: cannot run {command[0]}: {error.strerror}")
            return 127
        processes.append(process)
        while True:
            try:
                returncode = process.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                if not received:
                    continue
                waited = time.monotonic() - received[0][1]
                if escalated == 0 and waited > GRACE_TERM:
                    process.terminate()
                    escalated = 1
                elif escalated == 1 and waited > GRACE_KILL:
                    process.kill()
                    escalated = 2
    status = exit_status(returncode)
    if received and (status == 0 or escalated):
        status = 128 + received[0][0]
    return status


# --------------------------------------------------------------------------
# Main


USAGE = "usage: python tests/pg_cluster.py -- COMMAND [ARGS...]"


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        print(__doc__)
        return 0
    command = command_from_argv(argv)
    if not command:
        say(USAGE)
        return 2

    if shutil.which(command[0]) is None:
        say(f"pg_cluster: command not found: {command[0]}")
        return 127

    bindir = find_bindir()
    if bindir is None:
        if not pg_required(os.environ):
            say(SKIP_LINE)
            return 0
        if install_server():
            bindir = find_bindir()
        if bindir is None:
            say(
                "PostgreSQL pass failed: no PostgreSQL server binaries, and installing "
                "Debian's postgresql package did not provide them "
                "(a server is required: CI=true or OHJAUS_REQUIRE_PG=1)"
            )
            return 1

    cluster: Cluster | None = None
    try:
        # SIGTERM/SIGHUP abort the set-up like Ctrl-C does; run_command then
        # installs its own handlers, so no moment is left uncovered.
        with signal_handlers(_raise_interrupted):
            version = server_version(bindir)
            cluster = Cluster(bindir, server_user())
            cluster.create()
            cluster.start()
            say(f"PostgreSQL {version} test cluster on {HOST}:{cluster.port}")
            return run_command(command, {**os.environ, ENV_VAR: admin_url(cluster.port)})
    except ClusterError as error:
        say(f"PostgreSQL pass failed: {error}")
        return 1
    except (subprocess.TimeoutExpired, OSError) as error:
        say(f"PostgreSQL pass failed: {error}")
        return 1
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except Interrupted as interrupted:
        return 128 + interrupted.signum
    finally:
        if cluster is not None:
            # A second Ctrl-C must not leave a server or a directory behind.
            ignore = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
            with signal_handlers(signal.SIG_IGN, ignore):
                cluster.stop()
                cluster.remove()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
