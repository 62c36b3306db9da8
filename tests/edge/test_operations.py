"""The service under real servers: gunicorn with its production config, Redis, faults and reloads (the fuzzing
from openapi.yaml is in tests/test_openapi.py).

Every server here is real and on loopback, started and stopped by the test session.
"""

import os
import signal
import threading
import time
from collections import Counter

import pytest
import requests

from app.edge import limiting
from app.edge.limiting import RateLimits
from app.edge.problems import TooManyRequests
from tests.servers import gunicorn, redis_server, worker_pids

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


def test_with_the_default_settings_every_worker_shares_one_count():
    """The README's run command (gunicorn.conf.py's workers, the default SQLite count): a limit is the limit."""
    env = {"CHECK_RATE_LIMIT": "10/minute", "READ_RATE_LIMIT": "10/minute"}
    with gunicorn(env=env, with_process=True) as (base, server, _):
        deadline = time.monotonic() + 10  # gunicorn answers once its first worker is up; the others follow
        while len(worker_pids(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(worker_pids(server.pid)) > 1, "the default runs several workers"
        checks = Counter(fresh("POST", f"{base}/v1/check", json={"text": "hello"}).status_code for _ in range(30))
        reads = Counter(fresh("GET", f"{base}/v1/reminders").status_code for _ in range(30))
        assert checks == {200: 10, 429: 20}
        assert reads == {200: 10, 429: 20}


def test_a_redis_that_hangs_costs_a_request_at_most_a_quarter_of_a_second(redis):
    with redis_server() as (uri, process):
        env = {"RATELIMIT_STORAGE_URI": uri, **GENEROUS}
        with gunicorn(env=env) as base:
            assert fresh("GET", f"{base}/readyz").json()["checks"]["rate_limit_storage"] == "ok"
            process.send_signal(signal.SIGSTOP)
            try:
                slowest = 0.0
                for _ in range(20):
                    for method, path, body in (("GET", "/v1/guidance", None), ("POST", "/v1/check", {"text": "hi"})):
                        started = time.monotonic()
                        assert fresh(method, base + path, json=body).status_code == 200
                        slowest = max(slowest, time.monotonic() - started)
                ready = fresh("GET", f"{base}/readyz")
            finally:
                process.send_signal(signal.SIGCONT)
            assert slowest < 0.25, f"a request took {slowest * 1000:.0f} ms while Redis hung"
            assert ready.status_code == 200 and ready.json()["checks"]["rate_limit_storage"] == "fallback"


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
            assert ready.status_code == 200 and ready.json()["checks"]["rate_limit_storage"] == "fallback"
            time.sleep(0.5)
            assert "unreachable" in log.read_text(errors="replace").lower()


def test_counting_returns_to_redis_when_it_comes_back(monkeypatch):
    """While Redis is away this machine counts alone; once it answers again, the shared count resumes."""
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
