"""HTTP benchmark: the service against a bare Flask app under the same gunicorn settings, side by side.

Run from the repository root: .venv/bin/python -m benchmarks.http [--duration 5] [--rounds 3] [--connections 16]
[--only 304]

It starts gunicorn with the production config (gunicorn.conf.py) for wsgi:app and for
benchmarks/bare_app.py, loads each with wrk on loopback, one app then the other, round after
round, and prints for each scenario the medians of the rounds: requests per second, p50/p99
latency and the ratio to the bare app; then the resident memory of each worker and the
start-up time. Rate limits are raised for the run: wrk is one client.

Another row, not a target, runs the check against benchmarks/fixed_verdict_app.py, the service
with the engine's answer fixed: how far a check can get whatever the engine costs. With nginx
installed, a last row loads GETs through deploy/nginx/guidance.conf, answered from its cache,
against nginx serving the same bytes as a static file.

Last, one worker alone gets at least 10,000 GETs, each with a query parameter of its own that the
service does not read (?x=1, ?x=2...), and the growth of its resident memory is printed.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
POST_280 = (
    "Lovely walk along the coast path at Rhossili this morning with the dog. Between us, the minister is going "
    "to announce the new coastal strategy next week, so watch this space! Anyway, back to work tomorrow, diolch "
    "i bawb for the birthday wishes, it was a fab day out with family and friends in Gower."
)[:280]
LIMITS = {"READ_RATE_LIMIT": "100000000/minute", "CHECK_RATE_LIMIT": "100000000/minute"}


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(target, env):
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    probe = "/bytes/1" if "bare_app" in target else "/healthz"
    while True:
        try:
            requests.get(base + probe, timeout=2)
            break
        except requests.RequestException:
            if process.poll() is not None:
                raise RuntimeError(f"{target} did not start")
            time.sleep(0.02)
    startup = time.perf_counter() - started
    try:
        yield base, process, startup
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(url, duration, connections, method="GET", body=None, headers=None):
    """Requests per second, and p50 and p99 latency in milliseconds, from one wrk run."""
    lines = [f'wrk.method = "{method}"']
    for name, value in (headers or {}).items():
        lines.append(f'wrk.headers["{name}"] = {json.dumps(value)}')
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rps, percentile("50"), percentile("99")


def distinct_queries(url, duration, connections):
    """wrk with a new unknown query parameter on every request; how many requests were sent."""
    script = (
        "counter = 0\nrequest = function()\n  counter = counter + 1\n"
        '  return wrk.format(nil, wrk.path .. "?x=" .. counter .. "&t=" .. tostring(math.random(1e9)))\nend\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", file.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(file.name)
    return int(re.search(r"(\d+) requests in", output).group(1))


def memory_growth(duration, connections):
    """A lone worker's resident memory before and after GETs with distinct unknown query strings, in MB."""
    with server("wsgi:app", {**LIMITS, "WEB_CONCURRENCY": "1"}) as (base, process, _):
        requests.get(f"{base}/v1/guidance?x=0")
        before = worker_memory(process)[0][0]
        sent = 0
        while sent < 10_000:
            sent += distinct_queries(f"{base}/v1/guidance", duration, connections)
        after = worker_memory(process)[0][0]
    return sent, before, after


def worker_memory(master):
    """Resident (RSS) and proportional (PSS: shared pages split between sharers) memory of each worker, in MB."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        rss, pss = (
            int(re.search(rf"^{name}:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) / 1024 for name in ("Rss", "Pss")
        )
        sizes.append((rss, pss))
    return sizes


def through_nginx(service, answer, args):
    """Rounds of (cached GETs through the shipped nginx config, the same bytes as nginx's own static file)."""
    from tests.servers import nginx

    static = Path(tempfile.mkdtemp(prefix="nginx-static-"))
    (static / "guidance.json").write_bytes(answer.content)
    (static / "healthz").write_text("ok")
    runs = []
    with nginx(service) as proxied, nginx(static=static) as plain:
        for _ in range(args.rounds):
            ours = wrk(f"{proxied}/v1/guidance?lang=cy", args.duration, args.connections)
            theirs = wrk(f"{plain}/guidance.json", args.duration, args.connections)
            runs.append((ours, theirs))
    return runs


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each scenario on each app, alternating")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    with (
        server("wsgi:app", LIMITS) as (service, service_process, service_startup),
        server("benchmarks.bare_app:app", {}) as (bare, _, bare_startup),
        server("benchmarks.fixed_verdict_app:app", LIMITS) as (fixed_verdict, _, _),
    ):
        guidance_cy = requests.get(f"{service}/v1/guidance?lang=cy")
        fragment = requests.get(f"{service}/v1/guidance?lang=cy&format=html")
        dated = requests.get(f"{service}/v1/guidance?date=2021-03-01")
        checked = requests.post(f"{service}/v1/check", json={"text": POST_280})
        scenarios = [
            ("GET /v1/guidance (JSON, Welsh)", "/v1/guidance?lang=cy", {}, len(guidance_cy.content), "GET", None),
            (
                "GET /v1/guidance (HTML fragment)",
                "/v1/guidance?lang=cy&format=html",
                {},
                len(fragment.content),
                "GET",
                None,
            ),
            (
                "GET /v1/guidance, 304 revalidation",
                "/v1/guidance?lang=cy",
                {"If-None-Match": guidance_cy.headers["ETag"]},
                0,
                "GET",
                None,
            ),
            ("GET /v1/guidance?date=2021-03-01", "/v1/guidance?date=2021-03-01", {}, len(dated.content), "GET", None),
            (
                "POST /v1/check (280 characters)",
                "/v1/check",
                {"Content-Type": "application/json"},
                len(checked.content),
                "POST",
                json.dumps({"text": POST_280}),
            ),
            (
                "POST /v1/check, engine's answer fixed",
                fixed_verdict + "/v1/check",
                {"Content-Type": "application/json"},
                len(checked.content),
                "POST",
                json.dumps({"text": POST_280}),
            ),
        ]
        rows = []
        for name, path, headers, size, method, body in [s for s in scenarios if args.only in s[0]]:
            runs = []
            for _ in range(args.rounds):  # alternate, so that a noisy moment falls on both apps alike
                url = path if path.startswith("http") else service + path
                ours = wrk(url, args.duration, args.connections, method, body, headers)
                theirs = wrk(f"{bare}/bytes/{size}", args.duration, args.connections, method, body)
                runs.append((ours, theirs))
            rows.append((name, runs))
        memory = worker_memory(service_process)
        cached = "GET via nginx, cached (bare: a static file)"
        if shutil.which("nginx") and args.only in cached:
            rows.append((cached, through_nginx(service, guidance_cy, args)))
    sent, before, after = memory_growth(max(args.duration, 2), args.connections)

    print(
        f"{args.connections} connections, {args.rounds} rounds of {args.duration} s a scenario on each app, "
        f"gunicorn.conf.py ({len(memory)} workers); medians of the rounds\n"
    )
    print(f"{'scenario':40} {'req/s':>8} {'bare':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'bare p99':>8}")
    for name, runs in rows:
        rps = median([ours[0] for ours, _ in runs])
        bare_rps = median([theirs[0] for _, theirs in runs])
        ratio = median([ours[0] / theirs[0] for ours, theirs in runs])
        p50, p99 = (median([ours[i] for ours, _ in runs]) for i in (1, 2))
        bare_p99 = median([theirs[2] for _, theirs in runs])
        print(f"{name:40} {rps:8.0f} {bare_rps:8.0f} {ratio:6.2f} {p50:7.2f} {p99:7.2f} {bare_p99:8.2f}")
    print(
        f"\nworker memory, MB: resident {', '.join(f'{r:.0f}' for r, _ in memory)}; "
        f"proportional {', '.join(f'{p:.0f}' for _, p in memory)}"
    )
    print(f"start-up until answering: service {service_startup:.2f} s, bare app {bare_startup:.2f} s")
    print(
        f"one worker, {sent} GETs with distinct unknown query strings: resident {before:.0f} -> {after:.0f} MB "
        f"(grew {after - before:.1f} MB)"
    )


if __name__ == "__main__":
    main()
