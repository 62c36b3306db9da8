"""The v1 endpoints: what gov.wales pages and apps read, in both languages and for any date."""

import pytest

from tests.conftest import REMINDERS_IN_ORDER
from tests.problems import assert_problem


def test_guidance_in_force_today_in_english_by_default(client):
    response = client.get("/v1/guidance")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert "Accept-Language" in response.headers["Vary"]
    body = response.get_json()
    assert body["language"] == "en"
    assert body["title"] == "Personal Use of Social Media"
    assert body["version"] == {
        "id": "2021-02-01",
        "effective_from": "2021-02-01",
        "effective_to": None,
        "label": "February 2021",
        "status": "current",
        "withdrawn": None,
        "withdrawal_scheduled": None,
        "corrections": [
            {
                "date": "2026-12-02",
                "reason": 'Two points of the Welsh corrected to match the English: "unigolion neu rwpiau" (individuals '
                'or groups) for "unigolion a grwpiau", and "hygrededd" (integrity), the word of the core values, for '
                '"uniondeb".',
            }
        ],
    }
    assert [s["id"] for s in body["sections"]] == ["introduction", "propriety-and-ethics", "things-to-remember"]
    assert all(set(s) == {"id", "heading", "text", "html"} for s in body["sections"])
    assert len(body["responsibilities"]) == 5 and len(body["reminders"]) == 6
    assert body["links"]["versions"] == "/v1/guidance/versions"
    assert body["links"]["alternate"] == [{"lang": "cy", "href": "/v1/guidance?lang=cy"}]


def test_guidance_in_welsh(client):
    body = client.get("/v1/guidance?lang=cy").get_json()
    assert body["language"] == "cy"
    assert body["title"] == "Defnydd Personol o'r Cyfryngau Cymdeithasol"
    assert body["version"]["label"] == "Chwefror 2021"
    assert body["version"]["corrections"] == [
        {
            "date": "2026-12-02",
            "reason": 'Cywirwyd dau bwynt yn y Gymraeg i gyd-fynd â\'r Saesneg: "unigolion neu rwpiau" yn lle "unigolion a '
            'grwpiau", a "hygrededd", gair y gwerthoedd craidd, yn lle "uniondeb".',
        }
    ]
    responsibility = next(r for r in body["responsibilities"] if r["id"] == "personal-attack")
    assert responsibility["text"].endswith("tuag at unigolion neu rwpiau."), "the corrected Welsh"
    assert "Llywodraeth Cymru" in body["summary"]["text"]
    assert body["links"]["alternate"] == [{"lang": "en", "href": "/v1/guidance?lang=en"}]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("cy", "cy"),
        ("cy-GB", "cy"),
        ("en-GB,en;q=0.9,cy;q=0.8", "en"),
        ("en;q=0.1,cy;q=0.5", "cy"),
        ("fr-FR,fr;q=0.9", "en"),
        ("", "en"),
        ("cy-GB, en;q=0.5", "cy"),
        ("en;q=0.5, cy-GB;q=0.9", "cy"),
        ("fr, cy-GB;q=0.7, en;q=0.6", "cy"),
        ("cy;q=0, en;q=0.1", "en"),
        ("*", "en"),
    ],
)
def test_accept_language_is_negotiated_by_q_value(client, header, expected):
    response = client.get("/v1/guidance", headers={"Accept-Language": header})
    assert response.headers["Content-Language"] == expected
    assert response.get_json()["language"] == expected


def test_lang_parameter_wins_over_accept_language(client):
    response = client.get("/v1/reminders?lang=en", headers={"Accept-Language": "cy"})
    assert response.headers["Content-Language"] == "en"
    assert response.get_json()["reminders"][0]["title"] == "Propriety"


@pytest.mark.parametrize("value, expected", [("CY", "cy"), ("cy-GB", "cy"), ("en-GB", "en"), ("en_GB", "en")])
def test_lang_parameter_ignores_case_and_region(client, value, expected):
    assert client.get(f"/v1/guidance?lang={value}").headers["Content-Language"] == expected


@pytest.mark.parametrize("value", ["fr", "", "cymraeg", "cy,cy", "cy,en,fr"])
def test_other_lang_values_are_400s(client, value):
    assert_problem(client.get(f"/v1/guidance?lang={value}"), 400, "unsupported-language")


def test_unsupported_lang_is_a_400_in_the_accepted_language(client):
    body = assert_problem(
        client.get("/v1/guidance?lang=fr", headers={"Accept-Language": "cy"}), 400, "unsupported-language"
    )
    assert body["title"] == "Iaith nas cefnogir"
    assert "en, cy" in body["detail"]


def test_versions_list_oldest_first_with_change_notes(multi_client):
    body = multi_client.get("/v1/guidance/versions?lang=cy").get_json()
    versions = body["versions"]
    assert [v["id"] for v in versions] == ["2021-02-01", "2023-06-01", "2025-01-15"]
    assert [v["effective_to"] for v in versions] == ["2023-05-31", "2025-01-14", None]
    assert versions[1]["change_note"] == "Ail fersiwn."
    assert [v["status"] for v in versions] == ["superseded", "superseded", "current"]
    assert versions[0]["links"]["self"] == "/v1/guidance/versions/2021-02-01?lang=cy"


@pytest.mark.parametrize(
    "day, version_id",
    [
        ("2021-02-01", "2021-02-01"),  # on the first
        ("2022-12-31", "2021-02-01"),  # between the first and second
        ("2023-05-31", "2021-02-01"),  # the day before the second
        ("2023-06-01", "2023-06-01"),  # on the second
        ("2024-06-01", "2023-06-01"),
        ("2025-01-15", "2025-01-15"),
        ("2099-01-01", "2025-01-15"),  # after the last
    ],
)
def test_date_selects_the_version_in_force_that_day(multi_client, day, version_id):
    for path in ("/v1/guidance", "/v1/reminders", "/v1/guidance/sections/introduction", "/v1/reminders/doubts"):
        body = multi_client.get(f"{path}?date={day}").get_json()
        assert body["version"]["id"] == version_id, path


def test_a_date_before_the_first_version_is_a_404_naming_the_earliest(multi_client):
    body = assert_problem(multi_client.get("/v1/guidance?date=2021-01-31"), 404, "no-version-in-force")
    assert "2021-02-01" in body["detail"] and "2021-01-31" in body["detail"]


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "01/02/2021", "yesterday", "2021-2-1", "2021-W05-1", ""])
def test_a_malformed_or_impossible_date_is_a_400(client, value):
    body = assert_problem(client.get(f"/v1/guidance?date={value}"), 400, "invalid-date")
    assert "YYYY-MM-DD" in body["detail"]


def test_invalid_date_is_explained_in_welsh(client):
    body = assert_problem(client.get("/v1/reminders?date=2021-02-30&lang=cy"), 400, "invalid-date")
    assert body["title"] == "Dyddiad annilys"
    assert "blwyddyn-mis-diwrnod" in body["detail"]


def test_a_version_in_full_by_id(multi_client):
    body = multi_client.get("/v1/guidance/versions/2023-06-01?lang=cy").get_json()
    assert body["version"]["id"] == "2023-06-01"
    assert body["title"].endswith("(2023)")


def test_an_unknown_version_is_a_404(client):
    body = assert_problem(client.get("/v1/guidance/versions/1999-01-01"), 404, "unknown-version")
    assert "1999-01-01" in body["detail"]


def test_one_section_with_the_same_id_in_both_languages(client):
    english = client.get("/v1/guidance/sections/propriety-and-ethics").get_json()
    welsh = client.get("/v1/guidance/sections/propriety-and-ethics?lang=cy").get_json()
    assert english["heading"] == "Propriety and ethics"
    assert welsh["heading"] == "Priodoldeb a moeseg"
    assert "govuk-list--bullet" in english["html"] and "govuk-list--bullet" in welsh["html"]
    assert "Not disclosing official information without authority;" in english["text"]


def test_an_unknown_section_is_a_404_listing_the_sections(client):
    body = assert_problem(client.get("/v1/guidance/sections/nothing-here?lang=cy"), 404, "unknown-section")
    assert "propriety-and-ethics" in body["detail"]
    assert body["title"] == "Adran heb ei chanfod"


def test_the_six_reminders_in_order(client):
    body = client.get("/v1/reminders?lang=cy").get_json()
    assert [r["id"] for r in body["reminders"]] == REMINDERS_IN_ORDER
    assert body["reminders"][4]["title"] == "Amheuon"


def test_one_reminder(client):
    body = client.get("/v1/reminders/doubts").get_json()
    assert (body["title"], body["text"]) == ("Doubts", "if in doubt, don't post it!")


def test_an_unknown_reminder_is_a_404(client):
    assert_problem(client.get("/v1/reminders/be-nice"), 404, "unknown-reminder")


@pytest.mark.parametrize("language, title", [("en", "Not found"), ("cy", "Heb ei ganfod")])
def test_unknown_routes_are_localised_problems(client, language, title):
    body = assert_problem(client.get("/v2/anything", headers={"Accept-Language": language}), 404, "not-found")
    assert body["title"] == title


def test_a_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/v1/reminders", headers={"Accept-Language": "cy"})
    body = assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response.headers["Allow"]
    assert body["title"] == "Dull heb ei ganiatáu"


def test_welsh_responses_are_real_utf8_not_escapes(client):
    response = client.get("/v1/guidance?lang=cy")
    assert "â" in response.get_data(as_text=True)
