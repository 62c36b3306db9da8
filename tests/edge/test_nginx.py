"""deploy/nginx/guidance.conf, as shipped, in front of real gunicorns (and Redis), all on loopback."""

import json
import socket
import time
from collections import Counter

import pytest
import requests

from app import create_app
from app.edge import nginx_problems
from tests.edge.test_hostile_clients import Stall, exchange, parse
from tests.servers import NGINX_CONF, gunicorn, nginx, redis_server

pytestmark = pytest.mark.slow  # starts real servers

GENEROUS = {"READ_RATE_LIMIT": "100000000/minute", "CHECK_RATE_LIMIT": "100000000/minute"}
NGINX_SECONDS = 10  # client_header_timeout and client_body_timeout in the shipped file


@pytest.fixture(scope="module")
def edge():
    with gunicorn(env=GENEROUS) as upstream, nginx(upstream) as base:
        yield base


def fresh(method, url, **kwargs):
    return requests.request(
        method, url, headers={"Connection": "close", **kwargs.pop("headers", {})}, timeout=20, **kwargs
    )


def test_the_problems_nginx_answers_are_the_apps_own_words():
    folder = NGINX_CONF.parent / "problems"
    expected = nginx_problems.bodies(create_app())
    committed = {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*.json")}
    assert committed == expected, "run: .venv/bin/python -m app.edge.nginx_problems deploy/nginx/problems"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_what_nginx_refuses_itself_is_a_problem_in_the_callers_language(edge, language):
    """In the caller's language once nginx has read Accept-Language (here before the header too large); a request
    line too long, before any header, in English."""
    cases = {
        (413, language): fresh("POST", f"{edge}/v1/check", data=b"x" * 70000, headers={"Accept-Language": language}),
        (414, "en"): fresh("GET", f"{edge}/v1/guidance?x={'a' * 9000}", headers={"Accept-Language": language}),
        (431, language): fresh(
            "GET", f"{edge}/v1/guidance", headers={"Accept-Language": language, "X-Big": "b" * 9000}
        ),
    }
    for (status, answered_in), response in cases.items():
        assert response.status_code == status
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.headers["Content-Language"] == answered_in
        problem = response.json()
        assert problem["status"] == status and problem["title"]
        assert problem == json.loads((NGINX_CONF.parent / "problems" / answered_in / f"{status}.json").read_text())


def test_a_request_nginx_cannot_parse_is_a_problem(edge):
    port = int(edge.rsplit(":", 1)[1])
    status, headers, body = parse(exchange(port, b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert status == 400 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"].endswith("/malformed-request")


def test_a_gunicorn_that_is_down_is_a_502_problem():
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with nginx(f"http://127.0.0.1:{port}") as base:
        response = fresh("GET", f"{base}/v1/guidance", headers={"Accept-Language": "cy"})
        assert response.status_code == 502 and response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Gwasanaeth ddim ar gael"


def test_stalled_clients_wait_in_nginx_and_are_dropped(edge):
    port = int(edge.rsplit(":", 1)[1])
    stalls = [Stall(port, b"GET /v1/guid") for _ in range(50)]
    stalls += [Stall(port, b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{") for _ in range(50)]
    slowest, deadline = 0.0, time.monotonic() + NGINX_SECONDS + 3
    while time.monotonic() < deadline:
        started = time.monotonic()
        assert fresh("GET", f"{edge}/v1/guidance").status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.25)
    assert slowest < 1
    for stall in stalls:
        stall.thread.join(timeout=5)
        assert stall.closed_after is not None and stall.closed_after < NGINX_SECONDS + 2


def test_a_cached_answer_is_served_by_nginx_and_revalidated_by_its_etag(edge):
    url = f"{edge}/v1/reminders?lang=cy"
    first = fresh("GET", url)
    second = fresh("GET", url)
    assert first.status_code == second.status_code == 200
    assert second.headers["X-Cache-Status"] == "HIT" and second.content == first.content
    not_modified = fresh("GET", url, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["ETag"].removeprefix("W/") == first.headers["ETag"].removeprefix("W/")


def test_a_stale_answer_is_revalidated_upstream_with_its_etag():
    with gunicorn(env={**GENEROUS, "CACHE_SECONDS": "1"}) as upstream, nginx(upstream) as base:
        url = f"{base}/v1/guidance/versions"
        first = fresh("GET", url)
        assert first.headers["Cache-Control"] == "public, max-age=1"
        assert fresh("GET", url).headers["X-Cache-Status"] == "HIT"
        time.sleep(2.1)
        again = fresh("GET", url)
        assert again.status_code == 200 and again.headers["X-Cache-Status"] == "REVALIDATED"
        assert again.content == first.content


def test_variants_are_cached_apart(edge):
    url = f"{edge}/v1/guidance/sections/introduction"
    welsh = [fresh("GET", url, headers={"Accept-Language": "cy"}) for _ in range(2)]
    english = [fresh("GET", url, headers={"Accept-Language": "en"}) for _ in range(2)]
    assert welsh[1].headers["X-Cache-Status"] == english[1].headers["X-Cache-Status"] == "HIT"
    assert {r.headers["Content-Language"] for r in welsh} == {"cy"}
    assert {r.headers["Content-Language"] for r in english} == {"en"}


def test_an_error_for_one_accept_datetime_is_never_served_for_another(edge):
    """The poisoning case: the TimeGate's 404 for a date before the guidance must not answer a plain GET."""
    url = f"{edge}/v1/guidance"
    for _ in range(2):
        refused = fresh("GET", url, headers={"Accept-Datetime": "Mon, 01 Jan 1990 00:00:00 GMT"})
        assert refused.status_code == 404
    broken = fresh("GET", url, headers={"Accept-Datetime": "not a date"})
    assert broken.status_code == 400
    for _ in range(2):
        assert fresh("GET", url).status_code == 200
        assert fresh("GET", url, headers={"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT"}).status_code in (200, 302)


def test_checks_are_never_cached(edge):
    answers = [fresh("POST", f"{edge}/v1/check", json={"text": "hello"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1].headers.get("X-Cache-Status") != "HIT"


def test_answers_are_compressed_for_clients_that_ask(edge):
    response = requests.get(f"{edge}/v1/guidance?format=html", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]


def test_the_client_address_reaches_the_app_through_nginx_so_limits_are_per_client():
    env = {"CHECK_RATE_LIMIT": "3/minute", "READ_RATE_LIMIT": "1000/minute"}
    with gunicorn(env=env) as upstream, nginx(upstream) as base:
        codes = Counter(fresh("POST", f"{base}/v1/check", json={"text": "hi"}).status_code for _ in range(5))
        assert codes == {200: 3, 429: 2}
        refused = fresh("POST", f"{base}/v1/check", json={"text": "hi"}, headers={"Accept-Language": "cy"})
        assert refused.status_code == 429 and refused.headers["Content-Language"] == "cy"


def test_two_gunicorns_behind_nginx_share_one_limit_in_redis():
    with redis_server() as (uri, _):
        env = {"RATELIMIT_STORAGE_URI": uri, "CHECK_RATE_LIMIT": "10/minute", "READ_RATE_LIMIT": "10/minute"}
        with gunicorn(env=env) as first, gunicorn(env=env) as second, nginx(first, second) as base:
            checks = Counter(fresh("POST", f"{base}/v1/check", json={"text": "hi"}).status_code for _ in range(30))
            reads = Counter(fresh("GET", f"{base}/v1/guidance/versions?n={n}").status_code for n in range(30))
            assert checks == {200: 10, 429: 20}
            assert reads == {200: 10, 429: 20}
