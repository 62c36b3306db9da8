"""The one store of representations: what it answers, and that nothing a client sends can make it grow past its bound."""

import shutil
from datetime import date, datetime

import pytest

from app import create_app
from app.guidance import negotiation
from tests.conftest import CONTENT, UNLIMITED, add_version


def store_of(client):
    return client.application.extensions["store"]


def test_unknown_parameters_get_the_answer_without_them_and_never_grow_the_store(client):
    plain = client.get("/v1/guidance/sections/introduction?lang=cy")
    store = store_of(client)
    entries, size = len(store.entries), store.size
    for n in range(300):
        response = client.get(f"/v1/guidance/sections/introduction?lang=cy&x={n}&utm_source=n{n}")
        assert response.status_code == 200 and response.headers["ETag"] == plain.headers["ETag"]
    assert (len(store.entries), store.size) == (entries, size)


def test_a_repeated_parameter_counts_by_its_first_value(client):
    first = client.get("/v1/reminders?lang=cy&lang=en")
    assert first.headers["Content-Language"] == "cy"
    assert first.headers["ETag"] == client.get("/v1/reminders?lang=cy").headers["ETag"]


def test_a_wrong_parameter_is_its_problem_every_time_and_is_not_stored(client):
    store = store_of(client)
    entries = len(store.entries)
    for _ in range(3):
        response = client.get("/v1/guidance?date=2021-02-30")
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert len(store.entries) == entries


def test_the_store_keeps_to_its_budget_in_bytes_and_still_answers():
    client = create_app({**UNLIMITED, "STORE_MEGABYTES": "1"}).test_client()
    store = store_of(client)
    days = [date(2021, 3, 1).toordinal() + n for n in range(200)]
    for ordinal in days:
        day = date.fromordinal(ordinal).isoformat()
        response = client.get(f"/v1/guidance?date={day}&lang=cy,en")
        assert response.status_code == 200 and response.headers["Content-Language"] == "cy, en"
        assert store.size <= 1024 * 1024
    again = client.get(f"/v1/guidance?date={date.fromordinal(days[0]).isoformat()}&lang=cy,en")
    assert again.status_code == 200, "an entry that made way is rendered again"


def test_when_the_day_in_wales_changes_the_answers_follow(tmp_path, monkeypatch):
    """A version scheduled for tomorrow is in force from midnight, without a restart."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copytree(CONTENT / "2021-02-01", content / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", content / "lexicons")
    tomorrow = date.fromordinal(negotiation.today().toordinal() + 1)
    add_version(content, tomorrow.isoformat(), " (tomorrow)", "Tomorrow's.", "Yfory.")
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client()
    assert client.get("/v1/guidance").get_json()["version"]["id"] == "2021-02-01"
    client.get("/v1/guidance")

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.combine(tomorrow, datetime.min.time(), tz).replace(hour=0, minute=1)

    monkeypatch.setattr(negotiation, "datetime", Tomorrow)
    assert negotiation.today() == tomorrow
    answer = client.get("/v1/guidance")
    assert answer.get_json()["version"]["id"] == tomorrow.isoformat()
    assert client.get("/v1/guidance/versions/2021-02-01").get_json()["version"]["status"] != "current"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/guidance?lang=cy",
        "/v1/guidance?date=2021-03-01",
        "/v1/guidance/timemap",
        "/v1/guidance/versions",
        "/cy/",
        "/v1/reminders/security?format=html",
    ],
)
def test_the_first_answer_and_the_stored_repeat_are_the_same(path):
    client = create_app(UNLIMITED).test_client()
    store_of(client).entries.clear()
    first, again = client.get(path), client.get(path)
    assert first.get_data() == again.get_data()
    assert first.status_code == again.status_code == 200
    assert sorted(kv for kv in first.headers.items() if kv[0] != "X-Request-ID") == sorted(
        kv for kv in again.headers.items() if kv[0] != "X-Request-ID"
    )
    assert len(store_of(client).entries) == 1
