"""The Python client when the service fails: real HTTP servers on loopback answering what each case needs
(slowly, with 503, with Retry-After, with HTML), and every failure a ProblemError, never a requests exception."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from guidance_client import (
    INVALID_ADDRESS,
    NOT_A_PROBLEM,
    NOT_JSON,
    TIMEOUT,
    UNEXPECTED,
    UNREACHABLE,
    CheckResult,
    GuidanceClient,
    ProblemError,
    Version,
)

from tests.servers import free_port

VERSION = {
    "id": "2021-02-01",
    "effective_from": "2021-02-01",
    "effective_to": None,
    "label": "February 2021",
    "status": "current",
    "withdrawn": None,
    "withdrawal_scheduled": None,
}
VERSIONS = {"language": "en", "versions": [VERSION]}
CHECKED = {
    "verdict": "ok",
    "text_language": "en",
    "language": "en",
    "account": "personal",
    "guidance_version": "2021-02-01",
    "findings": [],
    "reminders": [],
}
TOO_MANY = {
    "type": "tag:gov.wales,2021:social-media-guidance/problems/too-many-requests",
    "title": "Too many requests",
    "status": 429,
    "detail": "Wait for the time in the Retry-After header, then try again.",
}


@dataclass
class Answer:
    status: int = 200
    body: bytes | dict = field(default_factory=lambda: VERSIONS)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Script:
    """The answers a server gives, in turn (the last one again once they run out), and when each request came."""

    answers: list[Answer]
    arrivals: list[float] = field(default_factory=list)
    base: str = ""


@contextmanager
def scripted(*answers: Answer) -> Iterator[Script]:
    """A real HTTP/1.1 server on a loopback port, in a thread, answering with ``answers`` in turn."""
    script = Script(list(answers))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            script.arrivals.append(time.monotonic())
            answer = script.answers[min(len(script.arrivals), len(script.answers)) - 1]
            time.sleep(answer.delay)
            body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            content_type = "application/json" if isinstance(answer.body, dict) else "text/html; charset=utf-8"
            if answer.status >= 400 and isinstance(answer.body, dict):
                content_type = "application/problem+json"
            self.send_response(answer.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_a_retry_after_longer_than_the_bound_fails_at_once(form):
    # The date is made as the test runs: one made when the tests were collected may have passed.
    in_five_minutes = format_datetime(datetime.now(UTC) + timedelta(minutes=5), usegmt=True)
    retry_after = {"seconds": "120", "http-date": in_five_minutes}[form]
    with scripted(Answer(429, TOO_MANY, {"Retry-After": retry_after}), Answer()) as script:
        client = GuidanceClient(script.base, retries=3, max_wait=30)
        started = time.monotonic()
        with pytest.raises(ProblemError) as raised:
            client.versions()
        assert time.monotonic() - started < 2
    assert len(script.arrivals) == 1
    problem = raised.value
    assert (problem.status, problem.title, problem.type) == (429, "Too many requests", TOO_MANY["type"])
    assert problem.retry_after > 30
    assert "longer than the 30 seconds this client waits at most, so it did not try again" in str(problem)


def test_a_retry_after_within_the_bound_is_waited_for_in_full():
    with scripted(Answer(429, TOO_MANY, {"Retry-After": "1"}), Answer()) as script:
        assert GuidanceClient(script.base, retries=2, max_wait=1).versions()[0].id == "2021-02-01"
    assert len(script.arrivals) == 2
    assert script.arrivals[1] - script.arrivals[0] >= 1.0


def test_a_503_then_a_200_is_retried():
    with scripted(Answer(503, b"<h1>Service Unavailable</h1>"), Answer()) as script:
        versions = GuidanceClient(script.base, retries=2, backoff=0.1).versions()
    assert versions == [Version("2021-02-01", "2021-02-01", None, "February 2021", "current")]
    assert len(script.arrivals) == 2


def test_a_check_is_retried_too_after_retry_after():
    with scripted(Answer(503, TOO_MANY | {"status": 503}, {"Retry-After": "1"}), Answer(body=CHECKED)) as script:
        result = GuidanceClient(script.base, retries=1).check("Sunday roast.")
    assert isinstance(result, CheckResult) and result.verdict == "ok"
    assert len(script.arrivals) == 2 and script.arrivals[1] - script.arrivals[0] >= 1.0


@pytest.mark.parametrize("status", [502, 503, 504])
def test_retries_run_out_into_the_last_answer_as_a_problem(status):
    with scripted(Answer(status, b"<html>Bad gateway</html>")) as script, pytest.raises(ProblemError) as raised:
        GuidanceClient(script.base, retries=2, backoff=0.01).versions()
    assert len(script.arrivals) == 3
    assert (raised.value.status, raised.value.type) == (status, NOT_A_PROBLEM)
    assert str(raised.value) == f"{status} Error from the service: The service answered with HTTP status {status}."


def test_a_read_timeout_is_a_problem_within_the_timeout():
    with scripted(Answer(delay=3)) as script:
        started = time.monotonic()
        with pytest.raises(ProblemError) as raised:
            GuidanceClient(script.base, timeout=0.5, retries=3).versions()
        assert time.monotonic() - started < 2  # a read is not tried again
    assert (raised.value.status, raised.value.type) == (0, TIMEOUT)
    assert raised.value.detail == "The service did not answer within 0.5 seconds."


@pytest.mark.parametrize(
    "answer",
    [Answer(body=b"<html><body>Sign in to the Wi-Fi</body></html>"), Answer(body=b'{"truncated": ')],
    ids=["html", "broken-json"],
)
def test_an_answer_that_is_not_json_is_a_problem(answer):
    with scripted(answer) as script, pytest.raises(ProblemError) as raised:
        GuidanceClient(script.base).versions()
    assert (raised.value.status, raised.value.type) == (200, NOT_JSON)
    assert raised.value.detail == "The service's answer (HTTP status 200) is not JSON."


@pytest.mark.parametrize(
    "body", [{"hello": "world"}, {"versions": [{"id": 1}]}, {"versions": "none"}], ids=["other", "short", "wrong-type"]
)
def test_json_of_another_shape_is_a_problem_not_a_key_error(body):
    with scripted(Answer(body=body)) as script, pytest.raises(ProblemError) as raised:
        GuidanceClient(script.base).versions()
    assert (raised.value.status, raised.value.type) == (200, UNEXPECTED)


def test_an_unreachable_service_is_a_problem_after_its_retries():
    client = GuidanceClient(f"http://127.0.0.1:{free_port()}", retries=2, backoff=0.05)
    with pytest.raises(ProblemError) as raised:
        client.check("Sunday roast.")
    assert (raised.value.status, raised.value.type, raised.value.title) == (0, UNREACHABLE, "Service unreachable")


def test_an_address_that_is_not_http_is_a_problem():
    with pytest.raises(ProblemError) as raised:
        GuidanceClient("guidance.example").versions()
    assert raised.value.type == INVALID_ADDRESS
    assert raised.value.detail == "guidance.example is not a web address (http:// or https://)."


def test_the_clients_own_problems_come_in_the_language_asked():
    with scripted(Answer(body=b"<html></html>")) as script:
        with pytest.raises(ProblemError) as raised:
            GuidanceClient(script.base).versions(lang="cy")
        assert raised.value.title == "Nid JSON yw'r ateb"
        with pytest.raises(ProblemError) as raised:
            GuidanceClient(script.base, language="cy").versions()
        assert raised.value.detail == "Nid yw ateb y gwasanaeth (statws HTTP 200) yn JSON."
    with pytest.raises(ProblemError) as raised:
        GuidanceClient(f"http://127.0.0.1:{free_port()}", retries=0).guidance(lang="cy,en")
    assert raised.value.title == "Nid oes modd cyrraedd y gwasanaeth"
