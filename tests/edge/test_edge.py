"""The edge: every request, whichever path answers it, gets the same per-request treatment, once."""

import pytest

from app import create_app
from app.check import views as check_views
from tests.conftest import UNLIMITED
from tests.problems import assert_problem

# One of each kind: answered from the store, rendered by Flask, checked, refused, and wrong.
REQUESTS = [
    ("GET", "/v1/guidance?lang=cy", {}),
    ("GET", "/v1/guidance", {"headers": {"If-None-Match": "*"}}),
    ("HEAD", "/v1/reminders/security", {}),
    ("GET", "/healthz", {}),
    ("GET", "/", {}),
    ("POST", "/v1/check", {"json": {"text": "Diolch i bawb am heddiw"}}),
    ("POST", "/v1/check", {"json": {}}),
    ("GET", "/v1/guidance?lang=xx", {}),
    ("GET", "/nowhere", {}),
    ("DELETE", "/v1/guidance", {}),
    ("OPTIONS", "/v1/check", {"headers": {"Origin": "https://gov.wales", "Access-Control-Request-Method": "POST"}}),
]


@pytest.mark.parametrize("method, path, options", REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_each_request_has_one_request_id_and_one_log_line_with_its_status(
    client, access_records, method, path, options
):
    response = client.open(path, method=method, **options)
    assert len(response.headers.getlist("X-Request-ID")) == 1
    assert len(access_records) == 1, "one log line, whichever path answered"
    fields = access_records[0].fields
    assert fields["request_id"] == response.headers["X-Request-ID"]
    assert fields["status"] == response.status_code and fields["method"] == method


@pytest.mark.parametrize("path", ["/v1/guidance?lang=cy", "/v1/reminders", "/cy/", "/healthz", "/nowhere"])
def test_security_and_cors_headers_are_the_same_on_a_repeat(client, path):
    """A repeat is answered from the store where the first went through Flask: the headers must not differ."""
    first, again = (
        client.get(path, headers={"Origin": "https://gov.wales"}),
        client.get(path, headers={"Origin": "https://gov.wales"}),
    )
    assert first.status_code == again.status_code
    assert first.get_data() == again.get_data()
    drop = {"X-Request-ID"}
    assert sorted((k, v) for k, v in first.headers.items() if k not in drop) == sorted(
        (k, v) for k, v in again.headers.items() if k not in drop
    )


def test_a_304_carries_no_content_headers_but_cors_and_the_request_id(client):
    etag = client.get("/v1/guidance").headers["ETag"]
    response = client.get("/v1/guidance", headers={"If-None-Match": etag, "Origin": "https://gov.wales"})
    assert response.status_code == 304
    assert set(response.headers.keys()) == {
        "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers",
        "Cache-Control",
        "ETag",
        "Vary",
        "X-Request-ID",
    }


def test_a_check_from_an_allowed_origin_varies_on_origin_in_one_vary_header(client):
    response = client.post("/v1/check", json={"text": "Helo"}, headers={"Origin": "https://www.gov.wales"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://www.gov.wales"
    assert response.headers.getlist("Vary") == ["Accept-Language, Origin"]
    other = client.post("/v1/check", json={"text": "Helo"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_check_counts_once_against_the_limit_even_when_it_fails(monkeypatch):
    client = create_app({**UNLIMITED, "CHECK_RATE_LIMIT": "3/minute"}).test_client()

    def engine_fails(*args):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(check_views, "check_draft", engine_fails)
    failed = client.post("/v1/check", json={"text": "Helo"})
    assert_problem(failed, 500, "internal-error")
    assert failed.headers["X-RateLimit-Remaining"] == "2"
    monkeypatch.undo()
    ok = client.post("/v1/check", json={"text": "Helo"})
    assert ok.status_code == 200 and ok.headers["X-RateLimit-Remaining"] == "1"
    client.post("/v1/check", json={"text": "Helo"})
    refused = client.post("/v1/check", json={"text": "Helo"}, headers={"Accept-Language": "cy"})
    body = assert_problem(refused, 429, "too-many-requests")
    assert refused.headers["Content-Language"] == "cy" and body["title"] != "Too many requests"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
