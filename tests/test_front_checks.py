"""Checks answered in front of Flask (app.front_checks) must be the very answers Flask gives,
with fresh per-request parts; whatever they cannot answer exactly goes to Flask."""

import json
import logging
import re

import pytest
from werkzeug.test import Client

from app import create_app
from app.front_checks import DirectChecks
from app.proxies import TrustedProxies
from tests.conftest import UNLIMITED
from tests.test_front import middleware

ENGLISH = "Between us, the minister is going to announce the hospital closure on Tuesday. Pass it on!"
WELSH = "Rhyngom ni, mae'r Gweinidog yn mynd i gyhoeddi bod yr ysbyty'n cau ddydd Mawrth. Pleidleisiwch dros Lafur!"
PER_REQUEST = {"X-Request-ID", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
CHECKS = [
    ("", {"text": ENGLISH}, {}),
    ("", {"text": WELSH}, {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}),
    ("?lang=cy", {"text": ENGLISH, "account": "official"}, {}),
    ("?lang=cy,en", {"text": WELSH, "language": "cy", "date": "2021-03-01"}, {}),
    ("", {"text": "Lovely walk on the beach #DiolchYnFawr @Llywodraeth"}, {"X-Request-ID": "given-id-1"}),
    ("", {"text": "Dydd Llun: fy nghyfrinair yw 'Cymru2021' a'r cod yw 4821"}, {"X-Forwarded-Proto": "https"}),
    ("", {"text": "Sunday roast with the family."}, {"Content-Type": "Application/JSON; charset=utf-8"}),
]


@pytest.fixture()
def app():
    return create_app(UNLIMITED)


def spy_on_flask(app):
    """The requests that reach Flask (what DirectChecks hands on), and a client that only Flask answers."""
    direct = middleware(app, DirectChecks)
    flask_app, calls = direct.app, []
    direct.app = lambda environ, start_response: calls.append(environ["PATH_INFO"]) or flask_app(environ, start_response)
    return calls, Client(TrustedProxies(flask_app, app.config["TRUSTED_PROXIES"]), app.response_class)


def post(client, query, body, headers):
    headers = {"Content-Type": "application/json", **headers}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(f"/v1/check{query}", data=data, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})


def without_per_request(headers):
    return sorted((name, value) for name, value in headers.items() if name not in PER_REQUEST)


@pytest.mark.parametrize("query, body, headers", CHECKS, ids=[f"{q} {h}" for q, _, h in CHECKS])
def test_a_direct_check_is_the_answer_flask_gives(app, query, body, headers):
    calls, flask_only = spy_on_flask(app)
    client = app.test_client()
    first = post(client, query, body, headers)
    again = post(client, query, body, headers)
    assert len(calls) == 1, "the first check of its kind goes to Flask, the next is answered directly"
    from_flask = post(flask_only, query, body, headers)
    assert (again.status_code, again.get_data()) == (200, from_flask.get_data()) == (200, first.get_data())
    assert without_per_request(again.headers) == without_per_request(from_flask.headers)
    assert set(again.headers.keys()) >= PER_REQUEST
    assert int(again.headers["X-RateLimit-Remaining"]) == int(first.headers["X-RateLimit-Remaining"]) - 1
    if "X-Request-ID" in headers:
        assert again.headers["X-Request-ID"] == headers["X-Request-ID"]
    else:
        assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


HANDED_ON = [
    ("", b'{"text": "broken', {}),
    ("", {"language": "en"}, {}),
    ("", {"text": ENGLISH, "account": "shared"}, {"Accept-Language": "cy"}),
    ("", {"text": ENGLISH}, {"Content-Type": "text/plain"}),
    ("", {"text": ENGLISH}, {"Origin": "https://gov.wales"}),
    ("?lang=xx", {"text": ENGLISH}, {}),
    ("?lang=cy&format=html", {"text": ENGLISH}, {}),
    ("?lang=%63%79", {"text": ENGLISH}, {}),
    ("?xyzw=cy", {"text": ENGLISH}, {}),
    ("", {"text": ENGLISH, "date": "1999-01-01"}, {}),
]


@pytest.mark.parametrize("query, body, headers", HANDED_ON, ids=[f"{q} {b!r:.30} {h}" for q, b, h in HANDED_ON])
def test_what_a_direct_check_cannot_answer_exactly_goes_to_flask(app, query, body, headers):
    calls, flask_only = spy_on_flask(app)
    client = app.test_client()
    for query_of_kind in ("", "?lang=cy", "?lang=cy,en"):
        post(client, query_of_kind, {"text": ENGLISH}, {})  # these kinds are known: their checks no longer reach Flask
    reached = len(calls)
    answer = post(client, query, body, headers)
    assert len(calls) == reached + 1, "Flask answered"
    from_flask = post(flask_only, query, body, headers)
    assert (answer.status_code, answer.get_data()) == (from_flask.status_code, from_flask.get_data())
    assert without_per_request(answer.headers) == without_per_request(from_flask.headers)


def test_direct_checks_count_towards_the_check_limit_and_flask_answers_the_429():
    app = create_app({**UNLIMITED, "CHECK_RATE_LIMIT": "3/minute"})
    calls, _ = spy_on_flask(app)
    client = app.test_client()
    answers = [post(client, "", {"text": ENGLISH}, {"Accept-Language": "cy"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert len(calls) == 2, "the first check and the refusal are Flask's"
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[-1].mimetype == "application/problem+json"
    assert answers[-1].get_json()["title"] == "Gormod o geisiadau"
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_a_direct_check_is_logged_and_counted_and_its_draft_is_nowhere(app):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger().addHandler(handler)
    logging.getLogger("guidance.access").addHandler(handler)
    try:
        client = app.test_client()
        before = check_count(client)
        post(client, "?lang=cy", {"text": WELSH}, {})
        post(client, "?lang=cy", {"text": WELSH}, {"X-Request-ID": "direct-1"})
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("guidance.access").removeHandler(handler)
    first, again = (r.fields for r in records if getattr(r, "fields", {}).get("path") == "/v1/check")
    assert again["request_id"] == "direct-1"
    assert {**again, "request_id": None, "duration_ms": None} == {**first, "request_id": None, "duration_ms": None}
    assert again["query"] == ["lang"] and again["status"] == 200
    assert check_count(client) == before + 2
    logged = " ".join(str(vars(record)) for record in records)
    assert "Gweinidog" not in logged and "ysbyty" not in logged


def check_count(client):
    """How many checks the metrics have counted."""
    metrics = client.get("/metrics").get_data(as_text=True)
    found = re.search(r'guidance_http_requests_total\{method="POST",route="/v1/check",status="200"\} (\S+)', metrics)
    return float(found.group(1)) if found else 0.0
