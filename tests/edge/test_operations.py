"""The service under real servers: gunicorn with its production config, Redis, faults, reloads and fuzzing.

Every server here is real and on loopback, started and stopped by the test session.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import requests

from app.edge import limiting
from app.edge.limiting import RateLimits
from app.edge.problems import TooManyRequests
from tests.servers import ROOT, gunicorn, redis_server, worker_pids

pytestmark = pytest.mark.slow  # starts real servers

GENEROUS = {"READ_RATE_LIMIT": "100000/minute", "CHECK_RATE_LIMIT": "100000/minute"}


def fresh(method, url, **kwargs):
    """One request on a new connection, so that a pool of workers shares the work."""
    return requests.request(
        method, url, headers={"Connection": "close", **kwargs.pop("headers", {})}, timeout=10, **kwargs
    )


@pytest.fixture(scope="module")
def redis():
    with redis_server() as (uri, process):
        yield uri, process


def test_two_workers_share_one_check_limit_in_redis(redis):
    uri, _ = redis
    env = {"RATELIMIT_STORAGE_URI": uri, "CHECK_RATE_LIMIT": "5/minute", "READ_RATE_LIMIT": "1000/minute"}
    with gunicorn("--workers", "2", env=env) as base:
        codes = Counter(fresh("POST", f"{base}/v1/check", json={"text": "hello"}).status_code for _ in range(12))
        assert codes == {200: 5, 429: 7}
        assert fresh("GET", f"{base}/readyz").json()["checks"]["rate_limit_storage"] == "ok"


def test_without_redis_each_worker_counts_alone(redis):
    env = {"CHECK_RATE_LIMIT": "5/minute"}
    with gunicorn("--workers", "2", env=env) as base:
        codes = Counter(fresh("POST", f"{base}/v1/check", json={"text": "hello"}).status_code for _ in range(12))
        assert codes[200] >= 5  # at least one worker's share, and often both: this is why Redis is needed


def test_when_redis_goes_away_the_service_keeps_serving_and_says_so():
    with redis_server() as (uri, process):
        env = {"RATELIMIT_STORAGE_URI": uri, **GENEROUS}
        with gunicorn("--workers", "1", env=env, with_process=True) as (base, _server, log):
            assert fresh("POST", f"{base}/v1/check", json={"text": "hi"}).status_code == 200
            process.terminate()
            process.wait(timeout=10)
            assert fresh("GET", f"{base}/v1/guidance").status_code == 200
            assert fresh("POST", f"{base}/v1/check", json={"text": "hi"}).status_code == 200
            ready = fresh("GET", f"{base}/readyz")
            assert ready.status_code == 503 and "rate_limit_storage" in ready.json()["detail"]
            time.sleep(0.5)
            assert "unreachable" in log.read_text(errors="replace").lower()


def test_counting_returns_to_redis_when_it_comes_back(monkeypatch):
    """While Redis is away each process counts alone; once it answers again, the shared count resumes."""
    monkeypatch.setattr(limiting, "RETRY_STORAGE_SECONDS", 0)
    with redis_server() as (uri, process):
        port = int(uri.rsplit(":", 1)[1].split("/")[0])
        limits = RateLimits(uri, "100/minute", "2/minute")
        assert limits.count("POST", "check.check", "203.0.113.1").remaining == 1
        process.terminate()
        process.wait(timeout=10)
        assert limits.count("POST", "check.check", "203.0.113.1").remaining == 1, "the fallback starts its own count"
    with redis_server(port):
        assert limits.count("POST", "check.check", "203.0.113.1").remaining == 1, "a new Redis: a new shared count"
        assert limits.count("POST", "check.check", "203.0.113.1").remaining == 0
        with pytest.raises(TooManyRequests) as refused:
            limits.count("POST", "check.check", "203.0.113.1")
        assert refused.value.headers["X-RateLimit-Remaining"] == "0" and int(refused.value.headers["Retry-After"]) > 0
        assert RateLimits(uri, "100/minute", "2/minute").storage_state() == "ok"


def test_metrics_add_up_across_workers():
    with gunicorn("--workers", "2", env=GENEROUS) as base:
        for _ in range(20):
            assert fresh("GET", f"{base}/v1/reminders").status_code == 200
        text = fresh("GET", f"{base}/metrics").text
        line = next(
            l
            for l in text.splitlines()
            if l.startswith('guidance_http_requests_total{method="GET",route="/v1/reminders",status="200"}')
        )
        assert float(line.split()[-1]) == 20.0


def load(base, count, stop_after=None, retries=3):
    """Send ``count`` GETs from 8 threads; retry a request only when its connection failed
    (before the answer, or part-way through it: a killed worker can do either)."""
    statuses, lock = [], threading.Lock()
    paths = ["/v1/guidance", "/v1/reminders?lang=cy", "/v1/guidance/sections/introduction", "/v1/guidance?format=html"]

    def worker(number):
        for index in range(number, count, 8):
            for attempt in range(retries + 1):
                try:
                    status = requests.get(base + paths[index % len(paths)], timeout=10).status_code
                    break
                except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                    status = "connection-failed"
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    return threads, statuses


def test_killing_a_worker_loses_no_request(tmp_path):
    with gunicorn("--workers", "2", env=GENEROUS, with_process=True) as (base, server, _):
        threads, statuses = load(base, 400)
        time.sleep(0.3)
        victims = worker_pids(server.pid)
        assert victims, "gunicorn has workers"
        os.kill(victims[0], signal.SIGKILL)
        for thread in threads:
            thread.join()
        counts = Counter(statuses)
        assert counts == {200: 400}, counts


def test_reloading_workers_with_hup_loses_no_request():
    with gunicorn("--workers", "2", env=GENEROUS, with_process=True) as (base, server, _):
        before = set(worker_pids(server.pid))
        threads, statuses = load(base, 400, retries=0)
        time.sleep(0.2)
        server.send_signal(signal.SIGHUP)
        for thread in threads:
            thread.join()
        assert Counter(statuses) == {200: 400}
        deadline = time.monotonic() + 20
        while set(worker_pids(server.pid)) & before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not set(worker_pids(server.pid)) & before, "every worker was replaced"


def test_fuzzing_against_openapi_finds_no_server_error_and_no_schema_mismatch():
    """schemathesis generates requests from openapi.yaml and checks every answer against it."""
    with gunicorn("--workers", "2", env=GENEROUS) as base:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                str(ROOT / "openapi.yaml"),
                "--url",
                base,
                "--max-examples",
                "25",
                "--seed",
                "20211",
                "--checks",
                "all",
                # 400 for a pattern-valid but impossible date (31 Feb) is right, so this one check is left out.
                "--exclude-checks",
                "positive_data_acceptance",
                "--generation-database",
                "none",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ROOT,
        )
        print(result.stdout[-4000:])
        assert result.returncode == 0, result.stdout[-4000:]
        assert " passed" in result.stdout
