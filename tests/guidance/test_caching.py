"""Caching and links that never lie: what a cache keeps stays true, and every link is absolute and the asker's own.

Answers are compared before and after the content changes as an editor changes it (a successor published, a
withdrawal recorded) and after the day moves on (today's date faked, as tests/guidance/test_store.py does).
"""

import re
import shutil
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from app import create_app
from app.guidance import negotiation
from app.guidance.web import every_address
from tests.conftest import CONTENT, UNLIMITED, add_version
from tests.problems import assert_problem

TIMEGATE_2021 = {"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT"}
# Where a URI can stand in an answer's headers.
URI_HEADERS = ("Link", "Location", "Content-Location")


@pytest.fixture()
def content(tmp_path):
    """A copy of the real first version, to publish and withdraw in."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    return folder


def app_on(content, **settings):
    return create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED, **settings})


def on_day(monkeypatch, day):
    """Make ``day`` today in Wales, for the app and its store."""

    class Then(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.combine(day, datetime.min.time(), tz).replace(hour=12)

    monkeypatch.setattr(negotiation, "datetime", Then)
    assert negotiation.today() == day


def publish_successor(content, day):
    add_version(content, day.isoformat(), " (revised)", "Revised.", "Diwygiwyd.")


def withdraw_first(content, day):
    (content / "2021-02-01" / "version.yaml").write_text(
        f"effective_from: 2021-02-01\nwithdrawn:\n  from: {day.isoformat()}\n"
        "  reason:\n    en: Replaced by new guidance.\n    cy: Mae canllawiau newydd wedi cymryd ei le.\n",
        encoding="utf-8",
    )


def answers(client, addresses):
    """Each address's status, headers (all but the request's own id) and body."""
    found = {}
    for address in addresses:
        headers = TIMEGATE_2021 if address == "TimeGate" else {}
        response = client.get("/v1/guidance" if address == "TimeGate" else address, headers=headers)
        kept = sorted((name, value) for name, value in response.headers.items() if name != "X-Request-ID")
        found[address] = (response.status_code, kept, response.get_data())
    return found


def max_age(answer):
    match = re.search(r"max-age=(\d+)", dict(answer[1]).get("Cache-Control", ""))
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize(
    "change, days_later",
    [(publish_successor, 0), (publish_successor, 10), (withdraw_first, 0), (withdraw_first, 10)],
    ids=[
        "a successor is published",
        "the successor takes effect",
        "a withdrawal is recorded",
        "the withdrawal takes effect",
    ],
)
def test_no_answer_marked_immutable_can_change(content, monkeypatch, change, days_later):
    """Every answer the store is filled with, and the TimeGate's: any that changes was never promised to last."""
    before_app = app_on(content)
    addresses = [*every_address(before_app.extensions["guidance_library"]), "TimeGate"]
    before = answers(before_app.test_client(), addresses)
    change(content, negotiation.today() + timedelta(days=5))
    on_day(monkeypatch, negotiation.today() + timedelta(days=days_later))
    after = answers(app_on(content).test_client(), addresses)

    changed = [address for address in addresses if after[address] != before[address]]
    assert "/v1/guidance/versions/2021-02-01?lang=en&format=json" in changed, "else this test proves nothing"
    immutable = [address for address in addresses if "immutable" in dict(before[address][1]).get("Cache-Control", "")]
    assert not set(changed) & set(immutable), "an answer marked immutable changed"
    assert all(max_age(before[address]) <= 300 for address in changed), "a cache could keep it stale for longer"


def test_an_old_version_whose_links_change_gets_a_new_etag_though_its_body_does_not(content, monkeypatch):
    """A 304 does not repeat Link: were the ETag the body's alone, a cache would keep the old links for ever."""
    add_version(content, "2023-06-01", " (2023)", "Second version.", "Ail fersiwn.")
    later = negotiation.today() + timedelta(days=5)
    publish_successor(content, later)
    address = "/v1/guidance/versions/2021-02-01"
    before = app_on(content).test_client().get(address)
    on_day(monkeypatch, later)
    after = app_on(content).test_client().get(address)
    assert after.get_data() == before.get_data()
    assert after.headers["Link"] != before.headers["Link"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_last_modified_is_never_after_now_for_a_scheduled_version(content):
    """RFC 9110 8.8.2.1. A version still to come has no day of its own by today, so its answers have no
    Last-Modified; an answer that also describes a published version has that version's."""
    scheduled = (negotiation.today() + timedelta(days=30)).isoformat()
    publish_successor(content, date.fromisoformat(scheduled))
    client = app_on(content).test_client()
    now = datetime.now(UTC)
    for address in (
        f"/v1/guidance/versions/{scheduled}",
        f"/v1/guidance?date={scheduled}",
        f"/v1/reminders?date={scheduled}",
        f"/v1/guidance/sections/introduction?date={scheduled}&format=html",
    ):
        response = client.get(address)
        assert response.status_code == 200
        assert "Last-Modified" not in response.headers, address
    compared = client.get(f"/v1/guidance/versions/2021-02-01/changes/{scheduled}")
    assert parsedate_to_datetime(compared.headers["Last-Modified"]) <= now
    assert compared.headers["Last-Modified"] == "Wed, 02 Dec 2026 00:00:00 GMT", "the day its Welsh was corrected"


def test_last_modified_is_the_day_the_version_last_changed_state(content, monkeypatch):
    later = negotiation.today() + timedelta(days=5)
    publish_successor(content, later)
    on_day(monkeypatch, later)
    response = app_on(content).test_client().get("/v1/guidance/versions/2021-02-01")
    assert response.get_json()["version"]["status"] == "superseded"
    midnight_in_wales = datetime.combine(later, time(), ZoneInfo("Europe/London"))
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == midnight_in_wales


def uris(response):
    """Every URI in the headers that carry them."""
    found = []
    for name in URI_HEADERS:
        value = response.headers.get(name, "")
        found += re.findall(r"<([^>]*)>", value) if name == "Link" else [value] if value else []
    return found


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/v1/guidance", {}),
        ("/v1/guidance", TIMEGATE_2021),
        ("/v1/guidance?date=2021-03-01&lang=cy", {}),
        ("/v1/guidance/versions/2021-02-01?lang=cy,en", {}),
    ],
)
def test_links_are_absolute_from_the_request_scheme_and_host(client, path, headers):
    response = client.get(path, headers=headers, base_url="https://Guidance.Example:8443/")
    found = uris(response)
    assert found and all(uri.startswith("https://guidance.example:8443/v1/guidance") for uri in found), found


def test_the_scheme_is_a_trusted_proxy_s_and_no_one_else_s(client):
    forwarded = {"X-Forwarded-Proto": "https"}
    trusted = client.get("/v1/guidance", headers=forwarded, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert all(uri.startswith("https://localhost/") for uri in uris(trusted))
    stranger = client.get("/v1/guidance", headers=forwarded, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert all(uri.startswith("http://localhost/") for uri in uris(stranger))


def test_no_host_is_ever_answered_with_another_host_s_links(client):
    for host in ("one.example", "two.example", "one.example", "two.example:8080"):
        for headers in ({}, TIMEGATE_2021):
            response = client.get("/v1/guidance/versions/2021-02-01?lang=cy", headers={"Host": host, **headers})
            found = uris(response)
            assert found and all(uri.startswith(f"http://{host}/") for uri in found), (host, found)


def test_arbitrary_hosts_cannot_grow_the_store_past_its_bound():
    app = create_app({**UNLIMITED, "STORE_MEGABYTES": "1"})
    client, store = app.test_client(), app.extensions["store"]
    for n in range(120):  # about 25 kB each, both languages: 3 MB asked for
        response = client.get("/v1/guidance?lang=cy,en", headers={"Host": f"host-{n}.example"})
        assert all(uri.startswith(f"http://host-{n}.example/") for uri in uris(response))
        assert store.size <= 1024 * 1024
    assert len(store.entries) < 60, "the least recently used made way"


def test_with_a_public_base_url_the_host_plays_no_part(content):
    app = app_on(content, PUBLIC_BASE_URL="https://gov.wales/guidance-api/")
    client, store = app.test_client(), app.extensions["store"]
    entries = len(store.entries)
    for host in ("gov.wales", "attacker.example", "not a host>"):
        for headers in ({}, TIMEGATE_2021):
            response = client.get("/v1/guidance?lang=cy", headers={"Host": host, **headers})
            found = uris(response)
            assert found and all(uri.startswith("https://gov.wales/guidance-api/v1/guidance") for uri in found)
    assert len(store.entries) == entries + 1, "only the TimeGate's answer was new: the rest were rendered at start-up"


def test_a_host_that_is_not_a_host_name_is_a_400(client):
    response = client.get("/v1/guidance", headers={"Host": 'evil.example>; rel="successor-version"'})
    assert_problem(response, 400, "bad-request")
    assert "Link" not in response.headers


@pytest.mark.parametrize(
    "settings, host, location",
    [
        ({}, "pages.example", "http://pages.example/cy/"),
        ({"PUBLIC_BASE_URL": "https://gov.wales/guidance-api"}, "upstream:8000", "https://gov.wales/guidance-api/cy/"),
    ],
)
def test_a_routing_redirect_goes_where_the_links_do(content, settings, host, location):
    response = app_on(content, **settings).test_client().get("/cy", headers={"Host": host})
    assert response.status_code == 308 and response.headers["Location"] == location
