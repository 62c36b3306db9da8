"""The README's run command against clients that stall, trickle or send bytes that are not HTTP.

A real gunicorn with the production config (gunicorn.conf.py), on loopback; the requests are raw
bytes on sockets, because a well-behaved client library cannot send them.
"""

import json
import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import gunicorn

pytestmark = pytest.mark.slow  # starts real servers

GENEROUS = {"READ_RATE_LIMIT": "100000000/minute", "CHECK_RATE_LIMIT": "100000000/minute"}
HEADERS_SECONDS = 5  # gunicorn.conf.py's keepalive: a request line and its headers arrive within it
BODY_SECONDS = 10  # app/edge/worker.py's REQUEST_SECONDS: a body arrives within it


@pytest.fixture(scope="module")
def service():
    with gunicorn(env=GENEROUS) as base:
        yield int(base.rsplit(":", 1)[1])


def exchange(port, data, timeout=20):
    """Send raw bytes on a new connection and read until the server closes it (or ``timeout``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        try:
            connection.sendall(data)
        except OSError:  # the server answered and closed while we were still sending
            pass
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    return received


def parse(response: bytes):
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def post(body: bytes, *extra: str, language="en", length=True) -> bytes:
    head = [
        "POST /v1/check HTTP/1.1",
        "Host: localhost",
        "Connection: close",
        f"Accept-Language: {language}",
        "Content-Type: application/json",
        *extra,
    ]
    if length:
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def get(target: bytes, *headers: bytes) -> bytes:
    return (
        b"GET "
        + target
        + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + b"".join(h + b"\r\n" for h in headers)
        + b"\r\n"
    )


class Stall:
    """A connection that sent part of a request and then waits; records when the server closed it, and what it said."""

    def __init__(self, port, sent: bytes, trickle: bytes | None = None):
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.sendall(sent)
        self.started, self.closed_after, self.received = time.monotonic(), None, b""
        self.trickle = trickle
        self.thread = threading.Thread(target=self.wait, daemon=True)
        self.thread.start()

    def wait(self):
        self.socket.settimeout(1)
        try:
            while True:
                try:
                    chunk = self.socket.recv(65536)
                except TimeoutError:
                    if self.trickle:  # one more header line a second: never a whole request
                        self.socket.sendall(self.trickle)
                    continue
                if not chunk:
                    break
                self.received += chunk
        except OSError:
            pass
        self.closed_after = time.monotonic() - self.started
        self.socket.close()


def test_fifty_stalled_connections_of_each_kind_leave_the_service_answering(service):
    stalls = {
        "request line": [Stall(service, b"GET /v1/guid") for _ in range(50)],
        "headers": [Stall(service, b"GET /v1/guidance HTTP/1.1\r\nHost: localhost\r\nAccept: appl") for _ in range(50)],
        "trickled headers": [
            Stall(service, b"GET /v1/guidance HTTP/1.1\r\nHost: localhost\r\n", trickle=b"X-Slow: 1\r\n")
            for _ in range(50)
        ],
        "body": [Stall(service, post(b'{"text": "hel', "Content-Length: 100", length=False)) for _ in range(50)],
    }
    slowest = 0.0
    deadline = time.monotonic() + BODY_SECONDS + 3
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, _, _ = parse(exchange(service, get(b"/v1/guidance"), timeout=5))
        slowest = max(slowest, time.monotonic() - started)
        assert status == 200
        time.sleep(0.25)
    assert slowest < 1, f"a normal GET took {slowest:.2f} s while 200 connections stalled"
    for kind, bound in (
        ("request line", HEADERS_SECONDS),
        ("headers", HEADERS_SECONDS),
        ("trickled headers", HEADERS_SECONDS),
        ("body", BODY_SECONDS),
    ):
        for stall in stalls[kind]:
            stall.thread.join(timeout=5)
            assert stall.closed_after is not None and stall.closed_after < bound + 2, f"{kind} stall not dropped"
    status, headers, body = parse(stalls["body"][0].received)
    assert status == 408 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"].endswith("/request-timeout")


def test_a_stalled_body_is_answered_in_the_callers_language(service):
    stall = Stall(service, post(b"{", "Content-Length: 50", language="cy", length=False))
    stall.thread.join(timeout=BODY_SECONDS + 5)
    status, headers, body = parse(stall.received)
    assert status == 408 and headers["content-language"] == "cy"
    assert "eiliad" in json.loads(body)["detail"]


# Malformed requests, each with the problem it must get. The request body cases run through the app;
# the request line and header cases are refused by gunicorn's parser and answered by the edge.
MALFORMED = {
    "JSON nested 10,000 deep": (post(b"[" * 10000 + b"]" * 10000), 400, "invalid-json"),
    "a lone surrogate escape": (post(b'{"text": "\\ud800"}'), 400, "invalid-json"),
    "surrogate bytes": (post(b'{"text": "\xed\xa0\x80"}'), 400, "invalid-json"),
    "invalid UTF-8": (post(b'{"text": "\xff\xfe"}'), 400, "invalid-json"),
    "a raw NUL byte in the JSON": (post(b'{"text": "a\x00b"}'), 400, "invalid-json"),
    "an escaped NUL in the text": (post(b'{"text": "a\\u0000b"}'), 422, "invalid-fields"),
    "a number of 5,000 digits": (post(b'{"text": "hi", "n": 1' + b"0" * 5000 + b"}"), 400, "invalid-json"),
    "a number beyond a double": (post(b'{"text": 1e999999}'), 400, "invalid-json"),
    "a bad chunk size": (
        post(b"zz\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding: chunked", length=False),
        400,
        "malformed-body",
    ),
    "a chunk without its CRLF": (
        post(b"3\r\nabcXX0\r\n\r\n", "Transfer-Encoding: chunked", length=False),
        400,
        "malformed-body",
    ),
    "Content-Length and chunked": (post(b"0\r\n\r\n", "Transfer-Encoding: chunked"), 400, "malformed-request"),
    "a Content-Length that is not a number": (
        post(b"{}", "Content-Length: abc", length=False),
        400,
        "malformed-request",
    ),
    "a NUL in the request line": (get(b"/\x00"), 400, "malformed-request"),
    "a NUL in a header": (get(b"/v1/guidance", b"Accept: a\x00b"), 400, "malformed-request"),
    "a header name with a space": (get(b"/v1/guidance", b"Bad Header: x"), 400, "malformed-request"),
    "invalid UTF-8 in the path": (get(b"/v1/guidance/\xff"), 400, "malformed-request"),
    "an HTTP version that does not exist": (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400, "malformed-request"),
    "an HTTP/0.9 request": (b"GET /\r\n\r\n", 400, "malformed-request"),
    "a method with a symbol": (b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed-request"),
    "a request line over 4,094 bytes": (get(b"/" + b"a" * 5000), 414, "uri-too-long"),
    "100 headers": (get(b"/v1/guidance", *(b"X-%d: y" % n for n in range(100))), 431, "headers-too-large"),
    "an expectation other than 100-continue": (post(b"{}", "Expect: nothing"), 417, "expectation-failed"),
    "percent-encoded bytes that are not UTF-8": (get(b"/v1/guidance?lang=%ff"), 400, "unsupported-language"),
    "a percent-encoded NUL": (get(b"/v1/guidance?lang=%00"), 400, "unsupported-language"),
    "bytes in Accept-Datetime": (get(b"/v1/guidance", b"Accept-Datetime: \xff\xfe"), 400, "invalid-datetime"),
}


@pytest.mark.parametrize("request_bytes, status, slug", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_request_gets_a_problem_never_a_server_error(service, request_bytes, status, slug):
    answered, headers, body = parse(exchange(service, request_bytes))
    assert answered == status
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["type"].endswith("/" + slug) and problem["status"] == status
    assert headers["x-request-id"] and headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "request_bytes",
    [
        post(b'{"text": "\\ud800"}', language="cy"),
        post(b"zz\r\n", "Transfer-Encoding: chunked", language="cy", length=False),
    ],
    ids=["broken JSON", "broken chunking"],
)
def test_a_malformed_body_is_refused_in_welsh_when_welsh_is_asked_for(service, request_bytes):
    _, headers, body = parse(exchange(service, request_bytes))
    assert headers["content-language"] == "cy"
    assert "cais" in json.loads(body)["detail"]


text_bytes = st.binary(max_size=300)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
bodies = st.one_of(
    text_bytes,
    json_like.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 3000).map(lambda depth: b'{"text": ' + b"[" * depth + b"]" * depth + b"}"),
    st.text(max_size=80).map(lambda text: json.dumps({"text": text}).encode()),
    st.sampled_from([b"\\ud800", b"\\udfff", b"\\u0000", b"\xed\xa0\x80", b"\xc3\x28", b"\x00"]).map(
        lambda bad: b'{"text": "a' + bad + b'"}'
    ),
)
header_values = st.binary(max_size=60).filter(lambda value: b"\r" not in value and b"\n" not in value)
targets = st.tuples(
    st.sampled_from(
        [b"/v1/guidance", b"/v1/reminders", b"/v1/guidance/sections/", b"/v1/guidance/versions/", b"/cy/", b"/"]
    ),
    st.binary(max_size=20).map(lambda raw: "".join(f"%{byte:02x}" for byte in raw).encode()),
    st.binary(max_size=20).map(lambda raw: b"?lang=" + "".join(f"%{byte:02x}" for byte in raw).encode()),
).map(b"".join)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=bodies,
    content_type=st.sampled_from([b"application/json", b"text/plain", b"application/x+json"]),
    chunked=st.booleans(),
)
def test_no_body_gets_a_server_error(service, body, content_type, chunked):
    head = b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: " + content_type
    if chunked:
        data = head + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    else:
        data = head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    status, headers, _ = parse(exchange(service, data))
    assert status < 500
    assert status == 200 or headers["content-type"] == "application/problem+json"


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=targets, accept=header_values, language=header_values, datetime=header_values, etag=header_values)
def test_no_path_query_or_header_gets_a_server_error(service, target, accept, language, datetime, etag):
    data = get(
        target,
        b"Accept: " + accept,
        b"Accept-Language: " + language,
        b"Accept-Datetime: " + datetime,
        b"If-None-Match: " + etag,
    )
    status, headers, _ = parse(exchange(service, data))
    assert status < 500
    if status >= 400:
        assert headers["content-type"] in ("application/problem+json", "text/html; charset=utf-8")
