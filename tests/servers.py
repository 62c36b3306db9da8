"""Real servers for tests: gunicorn on a free loopback port, started and stopped by the test session."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, timeout=60, log=None, name="gunicorn"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"{name} exited with {process.returncode}: {said}")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not start in time")


@contextmanager
def gunicorn(*args, env=None, with_process=False):
    """Run ``gunicorn wsgi:app`` from the repository root as the README does (the environment's own
    gunicorn command, reading gunicorn.conf.py); yield its base URL."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="gunicorn-")) / "stderr.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", *args, "wsgi:app"],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    with running(process, base, log, "gunicorn", signal.SIGTERM):
        yield (base, process, log) if with_process else base


@contextmanager
def running(process, base, log, name, stop):
    """Wait until a server started as ``process`` answers at ``base``; stop it with ``stop`` afterwards."""
    try:
        wait_until_up(base + "/healthz", process, log=log, name=name)
        yield
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server(port=None):
    """A real redis-server on a loopback port (a free one unless given), with nothing saved to disk; yields its URI."""
    port = port or free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.terminate()
        process.wait(timeout=10)


def worker_pids(master_pid):
    """The pids of a gunicorn master's workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


NGINX_CONF = ROOT / "deploy" / "nginx" / "guidance.conf"


def nginx_site(upstreams: list[str], port: int, cache: Path) -> str:
    """deploy/nginx/guidance.conf as shipped, with this test's upstreams, port and paths: nothing else changed."""
    site = NGINX_CONF.read_text()
    replacements = {
        "    server 127.0.0.1:8000;\n": "".join(f"    server {upstream};\n" for upstream in upstreams),
        "    listen 80;\n": f"    listen 127.0.0.1:{port};\n",
        "/var/cache/nginx/guidance": str(cache),
        "/srv/guidance/deploy/nginx": str(NGINX_CONF.parent),
    }
    for shipped, local in replacements.items():
        assert shipped in site, f"deploy/nginx/guidance.conf no longer has {shipped!r}"
        site = site.replace(shipped, local)
    return site


@contextmanager
def nginx(*upstreams: str, static: Path | None = None):
    """Debian's nginx on a free loopback port in front of ``upstreams`` (gunicorn base URLs), or serving the files
    in ``static`` as they are (the benchmarks' yardstick); yields its base URL."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="nginx-"))
    if static is None:
        site = nginx_site([u.removeprefix("http://") for u in upstreams], port, folder / "cache")
    else:
        site = f"server {{\n  listen 127.0.0.1:{port};\n  root {static};\n}}\n"
    (folder / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 2;\ndaemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {folder}/access.log;\n"
        + "".join(
            f"  {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {folder}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "stderr.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    with running(process, base, folder / "stderr.log", "nginx", signal.SIGQUIT):
        yield base
