"""Memento as a real client lives it: LANL's memento_client against the service running under gunicorn."""

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import requests
from memento_client import MementoClient

from app.guidance.negotiation import today
from tests.conftest import content_with
from tests.servers import gunicorn

pytestmark = pytest.mark.slow  # starts a real server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real first version, a second from 2023 and a third still to come; yields the base URL and its id."""
    scheduled = (today() + timedelta(days=30)).isoformat()
    content = content_with(tmp_path_factory.mktemp("content"), "2023-06-01", scheduled, " (to come)")
    with gunicorn("--workers", "1", env={"GUIDANCE_CONTENT_DIR": str(content)}) as base:
        yield base, scheduled


@pytest.mark.parametrize("language", ["en", "cy"])
def test_lanl_memento_client_finds_the_2021_memento_through_the_timegate(server, language):
    """The client reads the original's URI from the Link header (it must be absolute), asks its TimeGate with
    Accept-Datetime, follows the 302 and reads the memento's Memento-Datetime and the TimeGate's memento links.

    It addresses a TimeGate as aggregators do, ``timegate_uri`` followed by the original's URI, and looks for no
    other when the original varies on Accept-Datetime, as one that is its own TimeGate does (RFC 7089 4.1.1):
    so ``timegate_uri`` is empty, and the TimeGate it asks is the service's own /v1/guidance."""
    base, _ = server
    client = MementoClient(timegate_uri="")
    info = client.get_memento_info(f"{base}/v1/guidance?lang={language}", datetime(2021, 6, 1, 12))
    assert info["original_uri"] == info["timegate_uri"] == f"{base}/v1/guidance?lang={language}"
    mementos = info["mementos"]
    versions = f"{base}/v1/guidance/versions"
    assert mementos["closest"] == {
        "uri": [f"{versions}/2021-02-01?lang={language}"],
        "datetime": datetime(2021, 2, 1),
        "http_status_code": 200,
    }
    assert mementos["first"]["uri"] == mementos["closest"]["uri"]
    assert (
        mementos["next"]
        == mementos["last"]
        == {"uri": [f"{versions}/2023-06-01?lang={language}"], "datetime": datetime(2023, 5, 31, 23)}
    )
    assert "prev" not in mementos


def test_no_last_modified_is_after_the_date_it_is_sent_with(server):
    """RFC 9110 8.8.2.1, on the wire: gunicorn's Date beside the app's Last-Modified, a version still to come too."""
    base, scheduled = server
    dated = {}
    for address in (
        "/v1/guidance",
        "/v1/guidance/versions/2021-02-01",
        "/v1/guidance/versions/2023-06-01",
        f"/v1/guidance/versions/{scheduled}",
        f"/v1/guidance?date={scheduled}",
        f"/v1/reminders?date={scheduled}",
        f"/v1/guidance/versions/2023-06-01/changes/{scheduled}",
    ):
        response = requests.get(base + address, timeout=5)
        assert response.status_code == 200, address
        sent = parsedate_to_datetime(response.headers["Date"])
        if "Last-Modified" in response.headers:
            dated[address] = parsedate_to_datetime(response.headers["Last-Modified"])
            assert dated[address] <= sent, address
    assert set(dated) == {
        "/v1/guidance",
        "/v1/guidance/versions/2021-02-01",
        "/v1/guidance/versions/2023-06-01",
        f"/v1/guidance/versions/2023-06-01/changes/{scheduled}",
    }
