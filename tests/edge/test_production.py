"""Ready for production, in process: configuration, body limits, rate limits, security headers, logs, health."""

import io
import json

import pytest

from app import create_app
from app.edge.settings import SettingsError, load
from tests.conftest import UNLIMITED
from tests.problems import assert_problem


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("CHECK_RATE_LIMIT", "60 per fortnight", "not a rate limit such as 60/minute"),
        ("READ_RATE_LIMIT", "lots", "not a rate limit such as 60/minute"),
        ("RATELIMIT_STORAGE_URI", "mysql://db", "redis://"),
        ("TRUSTED_PROXIES", "the load balancer", "not IP addresses"),
        ("CHECK_CORS_ORIGINS", "gov.wales", "not origins"),
        ("EMBED_ORIGINS", "ftp://gov.wales", "not origins"),
        ("LOG_LEVEL", "LOUD", "must be one of"),
        ("GUIDANCE_CONTENT_DIR", "/no/such/place", "no such directory"),
        ("REQUEST_SECONDS", "0", "from 1 to 300"),
        ("STORE_MEGABYTES", "lots", "whole number of megabytes"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(name, value, says):
    with pytest.raises(SettingsError) as raised:
        load(environ={name: value})
    assert name in str(raised.value) and says in str(raised.value)


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(SettingsError) as raised:
        load(environ={"CHECK_RATE_LIMIT": "x", "LOG_LEVEL": "y"})
    assert "CHECK_RATE_LIMIT" in str(raised.value) and "LOG_LEVEL" in str(raised.value)


def test_defaults_are_sensible():
    settings = load(environ={})
    assert settings["CHECK_RATE_LIMIT"] == "60/minute"
    assert settings["RATELIMIT_STORAGE_URI"] == "sqlite://"


def test_a_body_over_64_kib_is_refused_before_it_is_read(client):
    body = json.dumps({"text": "x" * 70_000})
    problem = assert_problem(
        client.post("/v1/check?lang=cy", data=body, content_type="application/json"), 413, "payload-too-large"
    )
    assert problem["title"] == "Cais rhy fawr"


def test_a_streamed_body_over_64_kib_is_refused_too(client):
    response = client.post(
        "/v1/check",
        input_stream=io.BytesIO(b"x" * 100_000),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


@pytest.fixture()
def limited():
    return create_app({"CHECK_RATE_LIMIT": "3/minute", "READ_RATE_LIMIT": "5/minute"}).test_client()


def test_checks_are_rate_limited_with_a_welsh_problem_and_retry_after(limited):
    for _ in range(3):
        assert limited.post("/v1/check", json={"text": "hello"}).status_code == 200
    response = limited.post("/v1/check?lang=cy", json={"text": "hello"})
    problem = assert_problem(response, 429, "too-many-requests")
    assert problem["title"] == "Gormod o geisiadau"
    assert "3 mewn 60 eiliad" in problem["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "0"


def test_the_check_form_on_the_page_shares_the_check_limit(limited):
    for _ in range(3):
        limited.post("/v1/check", json={"text": "hello"})
    assert limited.post("/", data={"text": "hello"}).status_code == 429


def test_reads_have_their_own_looser_limit(limited):
    for _ in range(3):
        limited.post("/v1/check", json={"text": "hello"})
    for _ in range(5):
        assert limited.get("/v1/reminders").status_code == 200
    assert_problem(limited.get("/v1/reminders"), 429, "too-many-requests")
    assert limited.get("/healthz").status_code == 200, "health checks are never limited"


def test_retry_after_appears_only_on_refusals(limited):
    assert "Retry-After" not in limited.get("/v1/guidance").headers


def test_rate_limit_headers_go_with_checks_and_refusals_not_with_shared_reads(limited):
    """A read is cached and shared: one client's remaining count would mislead the next."""
    for _ in range(2):
        read = limited.get("/v1/reminders")
        assert not {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} & set(read.headers.keys())
    assert limited.post("/v1/check", json={"text": "hello"}).headers["X-RateLimit-Remaining"] == "2"


def test_limits_count_per_client_address_from_trusted_proxies_only():
    client = create_app({"CHECK_RATE_LIMIT": "1/minute", "TRUSTED_PROXIES": "10.0.0.1"}).test_client()
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = client.post(
        "/v1/check", json={"text": "a"}, environ_base=via_proxy, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    second = client.post(
        "/v1/check", json={"text": "a"}, environ_base=via_proxy, headers={"X-Forwarded-For": "203.0.113.8"}
    )
    assert (first.status_code, second.status_code) == (200, 200), "two clients behind the proxy, one request each"
    spoofed = {"REMOTE_ADDR": "198.51.100.1"}
    client.post("/v1/check", json={"text": "a"}, environ_base=spoofed, headers={"X-Forwarded-For": "203.0.113.9"})
    again = client.post(
        "/v1/check", json={"text": "a"}, environ_base=spoofed, headers={"X-Forwarded-For": "203.0.113.10"}
    )
    assert again.status_code == 429, "X-Forwarded-For from an untrusted address is ignored"


def test_security_headers_on_every_response(client):
    for response in (
        client.get("/v1/guidance"),
        client.get("/"),
        client.get("/nowhere"),
        client.post("/v1/check", json={}),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers, "HSTS only over HTTPS"


def test_pages_may_be_framed_only_by_the_embedding_origins():
    client = create_app({"EMBED_ORIGINS": "https://gov.wales https://*.llyw.cymru", **UNLIMITED}).test_client()
    policy = client.get("/cy/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://gov.wales https://*.llyw.cymru" in policy
    assert "script-src 'none'" in policy
    assert "X-Frame-Options" not in client.get("/cy/").headers


def test_hsts_when_served_over_https_behind_a_trusted_proxy(client):
    response = client.get("/v1/guidance", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    untrusted = client.get(
        "/v1/guidance", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": "198.51.100.1"}
    )
    assert "Strict-Transport-Security" not in untrusted.headers, "only a trusted proxy says the request came over HTTPS"


def test_one_json_log_line_per_request_without_query_values(client, access_records):
    from app.edge.observability import JsonFormatter

    response = client.get("/v1/guidance?lang=cy&date=2021-03-01", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert len(access_records) == 1
    line = json.loads(JsonFormatter().format(access_records[0]))
    assert line["method"] == "GET" and line["path"] == "/v1/guidance" and line["status"] == 200
    assert line["query"] == ["date", "lang"] and line["request_id"] == "abc-123"
    assert line["duration_ms"] >= 0
    assert "2021-03-01" not in json.dumps(line)


def test_a_request_id_is_made_when_none_or_a_bad_one_is_given(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "bad id; drop table"}).headers["X-Request-ID"]
        != "bad id; drop table"
    )


def test_a_check_leaves_no_text_in_the_access_log(client, access_records):
    client.post("/v1/check", json={"text": "Xylophone-991 vote Labour"})
    assert "Xylophone" not in json.dumps([r.__dict__.get("fields") for r in access_records])


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready == {"status": "ready", "checks": {"content": "ok", "rate_limit_storage": "ok"}}


def test_readiness_says_when_redis_is_unreachable_and_this_machine_counts_alone():
    client = create_app({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", **UNLIMITED}).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["rate_limit_storage"] == "fallback"
    assert client.get("/v1/guidance").status_code == 200, "reads are still served without Redis"
    assert client.post("/v1/check", json={"text": "hi"}).status_code == 200, "checks are still served without Redis"


def test_not_ready_when_the_rate_limit_file_cannot_be_opened(tmp_path):
    client = create_app({"RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path}/missing/counts.sqlite3"}).test_client()
    problem = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert "rate_limit_storage: failed" in problem["detail"]


def test_metrics_count_requests_by_route_and_status_and_verdicts(client):
    client.get("/v1/reminders/doubts")
    client.post("/v1/check", json={"text": "Vote Labour on Thursday!"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'guidance_http_requests_total{method="GET",route="/v1/reminders/<reminder_id>",status="200"}' in text
    assert "guidance_http_request_duration_seconds_bucket{" in text
    assert 'guidance_check_verdicts_total{verdict="do-not-post"}' in text


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", None),
        ("https://guidance.gov.wales", "https://guidance.gov.wales"),
        ("https://Gov.Wales:443/guidance-api/", "https://gov.wales/guidance-api"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8080/a/b", "http://[::1]:8080/a/b"),
    ],
)
def test_the_public_base_url_is_an_origin_with_an_optional_path_prefix(value, expected):
    assert load(environ={"PUBLIC_BASE_URL": value})["PUBLIC_BASE_URL"] == expected


@pytest.mark.parametrize(
    "value",
    [
        "gov.wales",
        "ftp://gov.wales",
        "https://",
        "https://gov.wales?lang=cy",
        "https://gov.wales/#top",
        "https://someone@gov.wales",
        "https://gov.wales:99999",
        "https://gov wales",
        "https://gov.wales/a>b",
    ],
)
def test_a_public_base_url_that_is_not_one_stops_start_up(value):
    with pytest.raises(SettingsError) as raised:
        load(environ={"PUBLIC_BASE_URL": value})
    assert "PUBLIC_BASE_URL" in str(raised.value) and "http or https origin" in str(raised.value)
