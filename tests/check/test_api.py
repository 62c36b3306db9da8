"""POST /v1/check over HTTP: the answer, its language, its errors, and the privacy of the draft."""

import logging

import pytest

from tests.problems import assert_problem

SECRET = "Zebedee-7731 says the minister is going to announce cuts, between us"


def test_a_clean_draft_is_ok(client):
    response = client.post("/v1/check", json={"text": "Sunday roast at my nan's, best gravy in Swansea."})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["verdict"] == "ok" and body["findings"] == []
    assert body["text_language"] == "en"
    assert body["guidance_version"] == "2021-02-01"
    assert body["reminders"] == ["common-sense", "permanent"]


def test_a_welsh_draft_explained_in_english_and_in_welsh(client):
    draft = {"text": "Pleidleisiwch dros Lafur ddydd Iau! Mae'r polisi 20mya yn hurt."}
    english = client.post("/v1/check", json=draft).get_json()
    welsh = client.post("/v1/check?lang=cy", json=draft).get_json()
    assert english["text_language"] == welsh["text_language"] == "cy"
    assert english["verdict"] == welsh["verdict"] == "do-not-post"
    assert [f["rule"] for f in english["findings"]] == [f["rule"] for f in welsh["findings"]]
    assert [f["rule"] for f in english["findings"]] == ["political-activity", "policy-comment"]
    assert english["findings"][0]["message"].startswith("This looks like party political activity")
    assert welsh["findings"][0]["message"].startswith("Mae hyn yn edrych fel gweithgarwch gwleidyddol")
    assert welsh["language"] == "cy"


def test_findings_say_where_and_why(client):
    text = "Between us, the minister is going to announce the hospital closure on Tuesday."
    finding = client.post("/v1/check", json={"text": text}).get_json()["findings"][0]
    assert finding["rule"] == "official-information" and finding["severity"] == "high"
    assert [text[s["start"] : s["end"]] for s in finding["spans"]][:2] == ["Between us", "minister"]
    assert finding["guidance"] == {
        "responsibility": "official-information",
        "section": "propriety-and-ethics",
        "href": "/v1/guidance/sections/propriety-and-ethics?lang=en&date=2021-02-01",
    }
    assert finding["suggestion"]


def test_a_reminder_rule_links_to_its_reminder(client):
    body = client.post(
        "/v1/check?lang=cy", json={"text": "Unconfirmed, but the exam results are delayed. Pass it on!"}
    ).get_json()
    accuracy = next(f for f in body["findings"] if f["rule"] == "accuracy")
    assert accuracy["guidance"]["href"] == "/v1/reminders/accuracy?lang=cy&date=2021-02-01"


def test_the_guidance_link_leads_to_the_guidance(client):
    body = client.post("/v1/check", json={"text": "Vote Labour on Thursday!"}).get_json()
    href = body["findings"][0]["guidance"]["href"]
    assert client.get(href).status_code == 200


def test_an_official_account_may_comment_on_policy(client):
    draft = {"text": "The 20mph policy is ridiculous.", "account": "official"}
    assert client.post("/v1/check", json=draft).get_json()["verdict"] == "ok"


def test_the_language_hint_is_honoured(client):
    body = client.post("/v1/check", json={"text": "Mae'r polisi 20mya yn hurt.", "language": "cy"}).get_json()
    assert [f["rule"] for f in body["findings"]] == ["policy-comment"]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Vote Plaid Cymru", "political-activity"),
        ("Polisi twp", "policy-comment"),
        ("Idiot minister", "personal-attack"),
    ],
)
def test_a_short_draft_is_read_in_both_languages_when_no_word_settles_which(client, text, rule):
    """Too short for marker words, and easily misread by a statistical guess: both lexicons are matched."""
    body = client.post("/v1/check", json={"text": text}).get_json()
    assert rule in [finding["rule"] for finding in body["findings"]]


def test_a_date_checks_against_the_version_then_in_force(multi_client):
    body = multi_client.post("/v1/check", json={"text": "Hello", "date": "2024-01-01"}).get_json()
    assert body["guidance_version"] == "2023-06-01"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 42}, "text"),
        ({"text": None}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "hi", "language": "fr"}, "language"),
        ({"text": "hi", "account": "shared"}, "account"),
        ({"text": "hi", "date": "2021-02-30"}, "date"),
        ({"text": "hi", "date": "20210201"}, "date"),
        ({"text": "hi", "date": "2021-W05-1"}, "date"),
        ({"text": "hi", "colour": "blue"}, "colour"),
    ],
)
def test_bad_fields_are_422_problems_naming_the_field(client, body, field):
    problem = assert_problem(client.post("/v1/check", json=body), 422, "invalid-fields")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert field in problem["detail"]


def test_field_errors_are_in_welsh_for_welsh_callers(client):
    problem = assert_problem(client.post("/v1/check?lang=cy", json={"text": ""}), 422, "invalid-fields")
    assert problem["title"] == "Cais annilys"
    assert problem["errors"][0]["detail"].startswith("Mae'r maes text yn wag")


def test_text_of_exactly_5000_characters_is_accepted(client):
    assert client.post("/v1/check", json={"text": "a" * 5000}).status_code == 200


def test_a_body_that_is_not_an_object_is_a_422(client):
    problem = assert_problem(client.post("/v1/check", json=["text"]), 422, "invalid-fields")
    assert problem["errors"][0]["field"] == "body"


def test_broken_json_is_a_400(client):
    assert_problem(client.post("/v1/check", data='{"text": "hi"', content_type="application/json"), 400, "invalid-json")


def test_a_body_that_is_not_json_is_a_415(client):
    problem = assert_problem(
        client.post("/v1/check", data="text=hi", content_type="text/plain", headers={"Accept-Language": "cy"}),
        415,
        "unsupported-media-type",
    )
    assert problem["title"] == "Math o gyfrwng nas cefnogir"


def test_get_is_not_allowed_on_check(client):
    assert_problem(client.get("/v1/check"), 405, "method-not-allowed")


@pytest.mark.parametrize(
    "body", [{"text": SECRET}, {"text": SECRET, "language": "fr"}, {"text": SECRET * 100}, {"text": [SECRET]}]
)
def test_the_draft_is_never_echoed_or_logged(app, client, caplog, body):
    caplog.set_level(logging.DEBUG)
    response = client.post("/v1/check", json=body)
    assert "Zebedee" not in response.get_data(as_text=True)
    assert "Zebedee" not in caplog.text
