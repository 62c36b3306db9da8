"""Repeat GETs answered from memory (app.front) must be the very answers Flask gives, with fresh per-request parts."""

import logging
import re

import pytest
from werkzeug.test import Client

from app import create_app, front
from app.proxies import TrustedProxies
from tests.conftest import UNLIMITED

PER_REQUEST = {"X-Request-ID"}
REQUESTS = [
    ("/v1/guidance", {}),
    ("/v1/guidance?lang=cy", {}),
    ("/v1/guidance", {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}),
    ("/v1/guidance?lang=cy,en&format=html", {}),
    ("/v1/guidance", {"Accept": "text/html"}),
    ("/v1/guidance?date=2021-03-01", {"Origin": "https://gov.wales"}),
    ("/v1/guidance", {"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT"}),
    ("/v1/guidance/versions/2021-02-01?lang=cy", {}),
    ("/v1/guidance/sections/propriety-and-ethics?lang=cy&format=html", {}),
    ("/v1/reminders", {"Accept-Language": "cy"}),
    ("/v1/reminders/security?lang=en", {}),
    ("/v1/guidance", {"X-Forwarded-Proto": "https"}),
]


@pytest.fixture()
def app():
    return create_app(UNLIMITED)


def middleware(app, kind):
    """The app's WSGI middleware of one kind, looked for from the outermost in."""
    layer = app.wsgi_app
    while not isinstance(layer, kind):
        layer = layer.app
    return layer


def stored_responses(app):
    return middleware(app, front.StoredResponses)


def without_per_request(headers):
    return sorted((name, value) for name, value in headers.items() if name not in PER_REQUEST)


@pytest.mark.parametrize("path, headers", REQUESTS, ids=[f"{p} {h}" for p, h in REQUESTS])
def test_a_repeat_get_from_memory_is_the_answer_flask_gives(app, path, headers):
    stored = stored_responses(app)
    flask_app, calls = stored.app, []
    stored.app = lambda environ, start_response: calls.append(path) or flask_app(environ, start_response)
    client = app.test_client()
    first = client.get(path, headers=headers)
    again = client.get(path, headers=headers)
    revalidated = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert len(calls) == 1, "the repeats are answered from memory"

    flask_only = Client(TrustedProxies(flask_app, app.config["TRUSTED_PROXIES"]), app.response_class)
    loopback = {"REMOTE_ADDR": "127.0.0.1"}  # as Flask's test client sends
    from_flask = flask_only.get(path, headers=headers, environ_base=loopback)
    not_modified = flask_only.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]}, environ_base=loopback)
    assert (again.status_code, again.get_data()) == (200, from_flask.get_data()) == (200, first.get_data())
    assert without_per_request(again.headers) == without_per_request(from_flask.headers)
    assert (revalidated.status_code, revalidated.get_data()) == (not_modified.status_code, b"") == (304, b"")
    assert without_per_request(revalidated.headers) == without_per_request(not_modified.headers)


@pytest.mark.parametrize("path, headers", REQUESTS[:6], ids=[f"{p} {h}" for p, h in REQUESTS[:6]])
def test_a_revalidation_first_keeps_the_200_it_stands_for(app, path, headers):
    """A CDN's revalidation may be the first request a worker sees: the 200 behind its 304 is kept all the same."""
    etag = create_app(UNLIMITED).test_client().get(path, headers=headers).headers["ETag"]
    stored = stored_responses(app)
    flask_app, calls = stored.app, []
    stored.app = lambda environ, start_response: calls.append(path) or flask_app(environ, start_response)
    client = app.test_client()
    first = client.get(path, headers={**headers, "If-None-Match": etag})
    again = client.get(path, headers={**headers, "If-None-Match": etag})
    full = client.get(path, headers=headers)
    assert (first.status_code, again.status_code, full.status_code) == (304, 304, 200)
    assert len(calls) == 1, "only the first is Flask's"
    assert without_per_request(again.headers) == without_per_request(first.headers)
    from_flask = create_app(UNLIMITED).test_client().get(path, headers=headers)
    assert full.get_data() == from_flask.get_data()
    assert without_per_request(full.headers) == without_per_request(from_flask.headers)


def test_per_request_headers_are_made_afresh(app):
    client = app.test_client()
    client.get("/v1/reminders")
    one = client.get("/v1/reminders", headers={"X-Request-ID": "abc-123"})
    two = client.get("/v1/reminders")
    assert one.headers["X-Request-ID"] == "abc-123"
    assert two.headers["X-Request-ID"] not in ("abc-123", one.headers["X-Request-ID"])


def test_reads_from_memory_count_towards_the_read_limit():
    client = create_app({**UNLIMITED, "READ_RATE_LIMIT": "3/minute"}).test_client()
    answers = [client.get("/v1/guidance?lang=cy") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].mimetype == "application/problem+json"
    assert answers[-1].get_json()["title"] == "Gormod o geisiadau"
    assert answers[-1].headers["X-RateLimit-Remaining"] == "0" and int(answers[-1].headers["Retry-After"]) > 0


def test_a_read_from_memory_is_logged_and_counted(app):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("guidance.access").addHandler(handler)
    try:
        client = app.test_client()
        before = served_count(client)
        client.get("/v1/reminders/security?lang=cy&date=2021-03-01")
        client.get("/v1/reminders/security?lang=cy&date=2021-03-01", headers={"X-Request-ID": "from-memory"})
    finally:
        logging.getLogger("guidance.access").removeHandler(handler)
    first, again = (r.fields for r in records if r.fields["path"] == "/v1/reminders/security")
    assert again["request_id"] == "from-memory"
    assert {**again, "request_id": None, "duration_ms": None} == {**first, "request_id": None, "duration_ms": None}
    assert again["path"] == "/v1/reminders/security" and again["query"] == ["date", "lang"]
    assert served_count(client) == before + 2


def served_count(client):
    """How many GETs of a reminder the metrics have counted."""
    metrics = client.get("/metrics").get_data(as_text=True)
    found = re.search(r'guidance_http_requests_total\{method="GET",route="/v1/reminders/<reminder_id>",status="200"\} (\S+)', metrics)
    return float(found.group(1)) if found else 0.0


def test_only_plain_storable_gets_are_answered_from_memory(app):
    client = app.test_client()
    for _ in range(2):
        client.get("/v1/guidance/versions")  # a listing, not a stored representation
        client.head("/v1/guidance")
        client.get("/nowhere")
    paths = {key[2] for key in stored_responses(app).entries}
    assert paths == set(), "nothing but representations is kept, and only from GETs"
    client.get("/v1/guidance")
    assert {key[2] for key in stored_responses(app).entries} == {"/v1/guidance"}


def test_a_new_day_is_a_new_key(app, monkeypatch):
    from datetime import date

    client = app.test_client()
    client.get("/v1/guidance")
    monkeypatch.setattr(front, "today", lambda: date(2099, 1, 1))
    client.get("/v1/guidance")
    assert len(stored_responses(app).entries) == 2
