"""HTTP done properly for embedding: HTML fragments, both languages at once, caching, Memento, CORS."""

import re
from datetime import UTC

import pytest

from app import create_app
from tests.conftest import UNLIMITED
from tests.problems import assert_problem

FRAGMENT_PATHS = ["/v1/guidance", "/v1/guidance/sections/propriety-and-ethics", "/v1/reminders", "/v1/reminders/doubts"]


@pytest.mark.parametrize("path", FRAGMENT_PATHS)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_html_fragments_for_embedding(client, path, language):
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": language})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<body" not in html and "<script" not in html
    root = re.match(r'<div class="[^"]+" lang="([a-z]+)">', html)
    assert root and root.group(1) == language
    assert html.rstrip().endswith("</div>")
    assert 'class="govuk-heading-l" id="' in html
    assert html.count("<h2") == 1


def test_the_guidance_fragment_uses_gov_uk_classes(client):
    html = client.get("/v1/guidance?format=html").get_data(as_text=True)
    for name in ("govuk-heading-l", "govuk-body", "govuk-list govuk-list--bullet", "govuk-list govuk-list--number"):
        assert name in html
    assert 'id="propriety-and-ethics"' in html


def test_format_parameter_wins_over_accept(client):
    response = client.get("/v1/reminders?format=html", headers={"Accept": "application/json"})
    assert response.mimetype == "text/html"
    response = client.get("/v1/reminders?format=json", headers={"Accept": "text/html"})
    assert response.mimetype == "application/json"


@pytest.mark.parametrize(
    "accept, mimetype",
    [
        ("text/html;q=0.5, application/json;q=0.9", "application/json"),
        ("application/json;q=0.2, text/html", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("*/*", "application/json"),
        ("text/*", "text/html"),
    ],
)
def test_accept_is_negotiated_by_q_value(client, accept, mimetype):
    assert client.get("/v1/guidance", headers={"Accept": accept}).mimetype == mimetype


def test_an_accept_we_cannot_meet_is_a_406(client):
    problem = assert_problem(
        client.get("/v1/guidance", headers={"Accept": "image/png", "Accept-Language": "cy"}), 406, "not-acceptable"
    )
    assert problem["title"] == "Annerbyniol"


def test_an_unknown_format_is_a_400(client):
    assert_problem(client.get("/v1/guidance?format=pdf"), 400, "unsupported-format")


def test_both_languages_at_once_in_json_welsh_first(client):
    response = client.get("/v1/guidance?lang=cy,en")
    assert response.headers["Content-Language"] == "cy, en"
    body = response.get_json()
    assert body["languages"] == ["cy", "en"]
    assert list(body)[1:] == ["cy", "en"]
    assert body["cy"]["title"].startswith("Defnydd Personol") and body["en"]["title"].startswith("Personal Use")


def test_both_languages_at_once_in_html_welsh_first(client):
    html = client.get("/v1/guidance/sections/introduction?lang=en,cy&format=html").get_data(as_text=True)
    assert html.startswith('<div class="app-bilingual" lang="cy">')
    assert html.index('lang="cy"', 10) < html.index('lang="en"')
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids must stay unique when both languages share a page"


@pytest.mark.parametrize(
    "path", FRAGMENT_PATHS + ["/v1/guidance/versions", "/v1/guidance/versions/2021-02-01", "/v1/guidance/timemap"]
)
def test_every_get_revalidates_with_a_strong_etag(client, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("path", ["/v1/guidance?date=2021-03-01", "/v1/guidance/versions/2021-02-01", "/v1/reminders"])
def test_a_304_repeats_only_what_caches_and_other_origins_need(client, path):
    origin = {"Origin": "https://example.org"}
    first = client.get(path, headers=origin)
    again = client.get(path, headers={**origin, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    for name in ("ETag", "Vary", "Cache-Control", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"):
        assert again.headers[name] == first.headers[name]
    if "Content-Location" in first.headers:
        assert again.headers["Content-Location"] == first.headers["Content-Location"]
    for name in (
        "Content-Type",
        "Content-Length",
        "Content-Language",
        "Link",
        "Last-Modified",
        "Memento-Datetime",
        "Content-Security-Policy",
    ):
        assert name not in again.headers, f"{name} describes content a 304 does not have (RFC 9110 15.4.5)"


def test_if_none_match_compares_weakly_and_accepts_a_list(client):
    etag = client.get("/v1/reminders").headers["ETag"]
    assert client.get("/v1/reminders", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/v1/reminders", headers={"If-None-Match": "*"}).status_code == 304


def test_etags_differ_by_language_format_and_version(multi_client):
    etags = {
        multi_client.get("/v1/guidance?lang=en").headers["ETag"],
        multi_client.get("/v1/guidance?lang=cy").headers["ETag"],
        multi_client.get("/v1/guidance?lang=cy&format=html").headers["ETag"],
        multi_client.get("/v1/guidance?lang=cy&date=2021-03-01").headers["ETag"],
    }
    assert len(etags) == 4


def test_last_modified_is_the_day_the_text_last_changed(client):
    """2021-02-01 took effect on 1 February 2021; its Welsh was corrected on 2 December 2026."""
    assert client.get("/v1/guidance").headers["Last-Modified"] == "Wed, 02 Dec 2026 00:00:00 GMT"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/guidance/versions/2021-02-01",
        "/v1/guidance?date=2022-01-01",
        "/v1/reminders?date=2022-01-01",
        "/v1/guidance/versions/2021-02-01/changes/2023-06-01",
        "/v1/guidance",
        "/v1/guidance/versions",
        "/v1/guidance/timemap",
    ],
)
def test_every_answer_dated_or_not_is_fresh_for_five_minutes_then_revalidated(multi_client, path):
    """Dated answers change too (a successor, a withdrawal): tests/guidance/test_caching.py shows how."""
    assert multi_client.get(path).headers["Cache-Control"] == "public, max-age=300"


def test_vary_names_every_header_the_answer_depends_on(client):
    vary = {v.strip() for v in client.get("/v1/guidance").headers["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Accept-Datetime"} <= vary
    vary = {v.strip() for v in client.get("/v1/reminders").headers["Vary"].split(",")}
    assert {"Accept", "Accept-Language"} <= vary


@pytest.mark.parametrize("path", FRAGMENT_PATHS + ["/v1/guidance/versions", "/v1/guidance/timemap", "/", "/cy/"])
def test_head_works_wherever_get_does(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]


def links(response):
    """The Link header as {rel: [(uri, params)]}."""
    found = {}
    for uri, params in re.findall(r"<([^>]*)>((?:;\s*[\w-]+=\"[^\"]*\")*)", response.headers.get("Link", "")):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', params))
        for rel in attributes.get("rel", "").split():
            found.setdefault(rel, []).append((uri, attributes))
    return found


def test_accept_datetime_redirects_to_the_version_then_in_force(multi_client):
    """302-style negotiation (RFC 7089 4.1.1): Found, at the memento's dated address, with absolute links."""
    response = multi_client.get("/v1/guidance", headers={"Accept-Datetime": "Tue, 01 Aug 2023 12:00:00 GMT"})
    assert response.status_code == 302 and response.data == b""
    assert response.headers["Location"] == "http://localhost/v1/guidance/versions/2023-06-01?lang=en"
    assert "Memento-Datetime" not in response.headers, "a TimeGate's redirect is not a memento"
    assert "Accept-Datetime" in response.headers["Vary"]
    found = links(response)
    assert found["original"][0][0] == found["timegate"][0][0] == "http://localhost/v1/guidance?lang=en"
    assert found["timemap"][0][0] == "http://localhost/v1/guidance/timemap?lang=en"
    assert found["first"][0][0] == found["prev"][0][0] == "http://localhost/v1/guidance/versions/2021-02-01?lang=en"
    assert found["next"][0][0] == found["last"][0][0] == "http://localhost/v1/guidance/versions/2025-01-15?lang=en"
    assert all("datetime" in params for _, params in found["memento"])
    memento = multi_client.get(response.headers["Location"])
    assert memento.get_json()["version"]["id"] == "2023-06-01"
    assert memento.headers["Memento-Datetime"] == "Wed, 31 May 2023 23:00:00 GMT"
    assert memento.headers["Content-Location"] == response.headers["Location"]


@pytest.mark.parametrize(
    "query, headers, location",
    [
        ("?lang=cy,en", {}, "/v1/guidance/versions/2021-02-01?lang=cy,en"),
        ("", {"Accept-Language": "cy", "Accept": "text/html"}, "/v1/guidance/versions/2021-02-01?lang=cy&format=html"),
        ("?format=json&lang=cy", {"Accept": "text/html"}, "/v1/guidance/versions/2021-02-01?lang=cy"),
    ],
)
def test_the_timegate_redirects_to_the_representation_negotiated(multi_client, query, headers, location):
    response = multi_client.get(
        f"/v1/guidance{query}", headers={"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT", **headers}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"http://localhost{location}"


def test_the_original_and_a_memento_of_today_are_not_confused(client):
    from datetime import datetime
    from email.utils import format_datetime

    now = format_datetime(datetime.now(UTC), usegmt=True)
    assert "Memento-Datetime" not in client.get("/v1/guidance?lang=en").headers
    assert client.get("/v1/guidance?lang=en", headers={"Accept-Datetime": now}).status_code == 302
    original = client.get("/v1/guidance?lang=en")
    assert original.status_code == 200 and "Memento-Datetime" not in original.headers


def test_accept_datetime_before_the_first_version_is_a_404(multi_client):
    assert_problem(
        multi_client.get("/v1/guidance", headers={"Accept-Datetime": "Fri, 01 Jan 2021 00:00:00 GMT"}),
        404,
        "no-version-in-force",
    )


def test_a_malformed_accept_datetime_is_a_400(client):
    assert_problem(client.get("/v1/guidance", headers={"Accept-Datetime": "last Tuesday"}), 400, "invalid-datetime")
    assert_problem(
        client.get("/v1/guidance?date=2021-03-01", headers={"Accept-Datetime": "-"}), 400, "invalid-datetime"
    )


def test_the_date_parameter_wins_over_accept_datetime(multi_client):
    response = multi_client.get(
        "/v1/guidance?date=2021-03-01", headers={"Accept-Datetime": "Tue, 01 Aug 2023 12:00:00 GMT"}
    )
    assert response.get_json()["version"]["id"] == "2021-02-01"


def test_the_timemap_lists_every_version_in_force(multi_client):
    response = multi_client.get("/v1/guidance/timemap")
    assert response.mimetype == "application/link-format"
    text = response.get_data(as_text=True)
    for version_id in ("2021-02-01", "2023-06-01", "2025-01-15"):
        assert f"<http://localhost/v1/guidance/versions/{version_id}?lang=en>" in text
    assert 'rel="first memento"; datetime="Mon, 01 Feb 2021 00:00:00 GMT"' in text
    assert 'rel="original"' in text and 'rel="timegate"' in text and 'rel="self"' in text


def test_version_responses_link_to_their_neighbours_and_other_language(multi_client):
    found = links(multi_client.get("/v1/guidance/versions/2023-06-01?lang=cy"))
    versions = "http://localhost/v1/guidance/versions"
    assert found["predecessor-version"][0][0] == f"{versions}/2021-02-01?lang=cy"
    assert found["successor-version"][0][0] == f"{versions}/2025-01-15?lang=cy"
    assert found["latest-version"][0][0] == f"{versions}/2025-01-15?lang=cy"
    assert found["alternate"] == [
        (f"{versions}/2023-06-01?lang=en", {"rel": "alternate", "hreflang": "en"}),
        ("http://localhost/v1/guidance/feed?lang=cy", {"rel": "alternate", "type": "application/atom+xml"}),
    ]
    assert "Memento-Datetime" in multi_client.get("/v1/guidance/versions/2023-06-01").headers


def test_get_endpoints_allow_any_origin(client):
    response = client.get("/v1/guidance", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    "origin", ["https://gov.wales", "https://www.gov.wales", "https://llyw.cymru", "https://intranet.llyw.cymru"]
)
def test_check_allows_welsh_government_origins_with_preflight(client, origin):
    preflight = client.options(
        "/v1/check",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    response = client.post("/v1/check", json={"text": "hello"}, headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize(
    "origin", ["https://example.org", "https://gov.wales.example.org", "http://gov.wales", "https://evilgov.wales"]
)
def test_check_refuses_other_origins(client, origin):
    response = client.post("/v1/check", json={"text": "hello"}, headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_check_origins_are_configurable(tmp_path):
    from app import create_app

    app = create_app({"CHECK_CORS_ORIGINS": "https://intranet.example.org"})
    response = app.test_client().post(
        "/v1/check", json={"text": "hi"}, headers={"Origin": "https://intranet.example.org"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "https://intranet.example.org"


@pytest.mark.parametrize("path, language, toggle", [("/", "en", "Cymraeg"), ("/cy/", "cy", "English")])
def test_the_page_for_people(client, path, language, toggle):
    html = client.get(path).get_data(as_text=True)
    assert f'<html lang="{language}" ' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert html.count("<h1") == 1
    assert f">{toggle}</a>" in html
    assert "?version=2021-02-01" in html
    assert '<form method="post"' in html


def test_the_page_checks_a_draft_without_javascript(client):
    html = client.post("/cy/", data={"text": "Pleidleisiwch dros Lafur!", "account": "personal"}).get_data(as_text=True)
    assert "Canlyniad" in html
    assert "<mark>Pleidleisiwch</mark>" in html and "<mark>Lafur</mark>" in html
    assert "/cy/#propriety-and-ethics" in html


def test_the_page_explains_a_bad_form(client):
    response = client.post("/", data={"text": ""})
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)


@pytest.mark.parametrize("path, language", [("/", "en"), ("/cy/", "cy")])
def test_a_page_is_in_the_language_of_its_address_whatever_lang_says(client, path, language):
    for query in ("?lang=xx", "?lang=en" if language == "cy" else "?lang=cy"):
        response = client.get(path + query)
        assert response.status_code == 200 and response.headers["Content-Language"] == language
        assert f'<html lang="{language}" ' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "method, path, status, title",
    [
        ("GET", "/cy/nowhere", 404, "Heb ei ganfod"),
        ("GET", "/cy/v1/guidance", 404, "Heb ei ganfod"),
        ("DELETE", "/cy/", 405, "Dull heb ei ganiatáu"),
        ("PUT", "/cy/", 405, "Dull heb ei ganiatáu"),
    ],
)
def test_every_address_under_cy_answers_its_errors_as_a_welsh_page(client, method, path, status, title):
    """Without Accept-Language: the address says Welsh, as the /cy/ pages' own errors do."""
    response = client.open(path, method=method)
    assert response.status_code == status and response.mimetype == "text/html"
    assert response.headers["Content-Language"] == "cy"
    html = response.get_data(as_text=True)
    assert '<html lang="cy"' in html and re.search(rf"<h1[^>]*>\s*{title}\s*</h1>", html)
    assert 'href="/cy/"' in html
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_an_unknown_address_elsewhere_is_still_a_problem_in_the_asked_language(client):
    assert_problem(client.get("/cynnwys"), 404, "not-found")
    assert client.get("/nowhere", headers={"Accept-Language": "cy"}).get_json()["title"] == "Heb ei ganfod"


def test_the_page_escapes_the_draft(client):
    html = client.post("/", data={"text": "<script>alert(1)</script> vote Labour"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "path, varies",
    [
        ("/v1/guidance?lang=xx", {"Accept", "Accept-Language", "Accept-Datetime"}),
        ("/v1/guidance?date=2021-02-30", {"Accept", "Accept-Language", "Accept-Datetime"}),
        ("/v1/guidance/sections/nowhere", {"Accept", "Accept-Language"}),
        ("/v1/reminders?date=1999-01-01", {"Accept", "Accept-Language"}),
        ("/v1/guidance/versions?lang=xx", {"Accept-Language"}),
    ],
)
def test_a_problem_varies_on_what_its_successes_vary_on(client, path, varies):
    problem = client.get(path)
    assert problem.status_code in (400, 404) and problem.mimetype == "application/problem+json"
    assert {v.strip() for v in problem.headers["Vary"].split(",")} == varies
    success = client.get(path.split("?")[0].replace("/nowhere", "/introduction"))
    assert {v.strip() for v in success.headers["Vary"].split(",")} == varies


@pytest.fixture(scope="module")
def own_client():
    """An app of this module's own, whose store the tests may empty."""
    return create_app(UNLIMITED).test_client()


def vary_of(response):
    return {v.strip() for value in response.headers.getlist("Vary") for v in value.split(",")}


@pytest.mark.parametrize(
    "headers, status",
    [
        ({}, 200),
        ({"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT"}, 302),
        ({"Accept-Datetime": "Fri, 01 Jan 2021 00:00:00 GMT"}, 404),
        ({"Accept-Datetime": "last Tuesday"}, 400),
        ({"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT", "Accept": "image/png"}, 406),
        ({"Accept-Datetime": "Mon, 01 Mar 2021 12:00:00 GMT", "Accept-Language": "cy"}, 302),
    ],
)
def test_every_answer_of_the_timegate_varies_on_accept_datetime_as_its_successes_do(multi_client, headers, status):
    """A cache that kept the TimeGate's 404 for one Accept-Datetime must not give it for another."""
    response = multi_client.get("/v1/guidance", headers=headers)
    assert response.status_code == status
    assert vary_of(response) == {"Accept", "Accept-Language", "Accept-Datetime"}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/guidance",
        "/v1/guidance?date=2021-03-01",
        "/v1/guidance/versions/2021-02-01?format=html",
        "/v1/guidance/versions",
        "/v1/guidance/timemap",
        "/v1/reminders/doubts",
        "/cy/",
    ],
)
@pytest.mark.parametrize("stored", [True, False], ids=["from the store", "rendered"])
def test_a_304_varies_as_its_200_does(own_client, path, stored):
    first = own_client.get(path)
    if not stored:  # as a worker that has not rendered it yet would answer
        own_client.application.extensions["store"].entries.clear()
    again = own_client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers.getlist("Vary") == first.headers.getlist("Vary") and vary_of(first)
