"""The change feed as a subscriber reads it: Atom that feedparser (as feed readers do) takes without complaint, in
each language, with an entry for each version in force, scheduled, withdrawn or to be withdrawn, links that work,
and the same caching as every other answer; and every guidance answer links the feed in its own language.

The content is a copy of the real first version with two more, withdrawn as an editor withdraws (the commands, on
days set as tests/editor does it).
"""

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote, urlsplit

import feedparser
import pytest

from app import create_app
from app.guidance import negotiation
from app.guidance.negotiation import WALES
from tests.conftest import CONTENT, UNLIMITED, add_version
from tests.editor import commands
from tests.editor.commands import run
from tests.problems import assert_problem
from tests.test_openapi import LANG_VALUES, SPEC

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:gov.wales,2021:social-media-guidance/"
TODAY = negotiation.today()
SCHEDULED = TODAY + timedelta(days=40)  # a version still to come
FIRST_WITHDRAWN = TODAY - timedelta(days=8)  # recorded ten days ago, in force since
SECOND_WITHDRAWN = TODAY + timedelta(days=20)  # recorded three days ago, still to come
NOTES = {"en": "Rules on sharing & quoting <posts> revised.", "cy": "Rheolau newydd ar bostio o'r tŷ ac yn ystod gŵyl."}
REASONS = {
    "2021-02-01": {"en": "Replaced by the 2023 version.", "cy": "Fersiwn 2023 sydd wedi cymryd ei lle."},
    "2023-06-01": {"en": "Replaced by the new version.", "cy": "Y fersiwn newydd fydd yn cymryd ei lle."},
}
FEED_LINK = re.compile(r'<([^>]+)>; rel="alternate"; type="application/atom\+xml"')


def set_clock(monkeypatch, day):
    """Make ``day`` (noon in Wales) now, for the commands and the app."""

    class Then(datetime):
        @classmethod
        def now(cls, tz=None):
            moment = datetime.combine(day, time(12), WALES)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(negotiation, "datetime", Then)
    assert negotiation.today() == day


def withdraw(content, version_id, effective):
    result = commands.withdraw(content, effective, version_id, reasons=REASONS[version_id])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """Three versions: the real 2021-02-01's text (withdrawn 8 days ago), 2023-06-01 (to be withdrawn in 20 days),
    and one scheduled 40 days ahead; none corrected (test_a_corrected_translation... has its own)."""
    folder = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    (folder / "2021-02-01" / "version.yaml").write_text("effective_from: 2021-02-01\n", encoding="utf-8")  # uncorrected
    add_version(folder, "2023-06-01", " (2023)", "Second version.", "Ail fersiwn.")
    add_version(folder, SCHEDULED.isoformat(), " (new)", NOTES["en"], NOTES["cy"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        set_clock(monkeypatch, TODAY - timedelta(days=10))
        withdraw(folder, "2021-02-01", FIRST_WITHDRAWN)
        set_clock(monkeypatch, TODAY - timedelta(days=3))
        withdraw(folder, "2023-06-01", SECOND_WITHDRAWN)
    return folder


def app_on(content, **settings):
    return create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED, **settings})


@pytest.fixture(scope="module")
def client(content):
    return app_on(content).test_client()


def feed(client, lang, **headers):
    response = client.get(f"/v1/guidance/feed?lang={lang}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def parse(response):
    parsed = feedparser.parse(response.get_data(), response_headers={"content-type": response.content_type})
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def events(parsed):
    """Each entry by (version id, event), the event read from its category."""
    found = {}
    for entry in parsed.entries:
        (category,) = entry.tags
        assert category.scheme == TAG + "events"
        version_id = re.fullmatch(rf"{TAG}versions/([^/]+)/.+/(en|cy)", entry.id).group(1)
        found[version_id, category.term] = entry
    return found


def start_of(day):
    return datetime.combine(day, time(), WALES)


# The feed itself


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_feed_is_well_formed_atom_that_feedparser_reads_without_complaint(client, lang):
    response = feed(client, lang)
    assert response.mimetype == "application/atom+xml"
    assert response.mimetype_params == {"charset": "utf-8"}
    root = ET.fromstring(response.get_data())  # well-formed XML, or this raises
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert response.headers["Content-Language"] == lang
    parsed = parse(response)
    assert parsed.feed.id == f"{TAG}feed/{lang}"
    assert parsed.feed.language == lang
    assert (
        parsed.feed.title
        == {
            "en": "Personal Use of Social Media (2023): changes to the guidance",
            "cy": "Defnydd Personol o'r Cyfryngau Cymdeithasol (2023): newidiadau i'r canllawiau",
        }[lang]
    )
    assert parsed.feed.author_detail.name == {"en": "Welsh Government", "cy": "Llywodraeth Cymru"}[lang]
    links = {(link.rel, link.type): link.href for link in parsed.feed.links}
    assert links["self", "application/atom+xml"] == f"http://localhost/v1/guidance/feed?lang={lang}"
    assert links["alternate", "application/json"] == f"http://localhost/v1/guidance?lang={lang}"
    assert links["alternate", "text/html"] == {"en": "http://localhost/", "cy": "http://localhost/cy/"}[lang]
    other = {"en": "cy", "cy": "en"}[lang]
    assert links["alternate", "application/atom+xml"] == f"http://localhost/v1/guidance/feed?lang={other}"


EXPECTED = {
    "en": {
        ("2021-02-01", "in-force"): ("Version February 2021 came into force on 1 February 2021", None),
        ("2023-06-01", "in-force"): ("Version 2023-06-01 came into force on 1 June 2023", "Second version."),
        ("2021-02-01", "withdrawn"): (
            f"Version February 2021 was withdrawn on {FIRST_WITHDRAWN.day} {FIRST_WITHDRAWN:%B %Y}",
            REASONS["2021-02-01"]["en"],
        ),
        ("2023-06-01", "withdrawal-scheduled"): (
            f"Version 2023-06-01 will be withdrawn on {SECOND_WITHDRAWN.day} {SECOND_WITHDRAWN:%B %Y}",
            REASONS["2023-06-01"]["en"],
        ),
        (SCHEDULED.isoformat(), "scheduled"): (
            f"Version {SCHEDULED.isoformat()} will come into force on {SCHEDULED.day} {SCHEDULED:%B %Y}",
            NOTES["en"],
        ),
    },
    "cy": {
        ("2021-02-01", "in-force"): ("Daeth fersiwn Chwefror 2021 i rym ar 1 Chwefror 2021", None),
        ("2023-06-01", "in-force"): ("Daeth fersiwn 2023-06-01 i rym ar 1 Mehefin 2023", "Ail fersiwn."),
        ("2021-02-01", "withdrawn"): ("Tynnwyd fersiwn Chwefror 2021 yn ôl ar ", REASONS["2021-02-01"]["cy"]),
        ("2023-06-01", "withdrawal-scheduled"): (
            "Bydd fersiwn 2023-06-01 yn cael ei thynnu'n ôl ar ",
            REASONS["2023-06-01"]["cy"],
        ),
        (SCHEDULED.isoformat(), "scheduled"): (f"Bydd fersiwn {SCHEDULED.isoformat()} yn dod i rym ar ", NOTES["cy"]),
    },
}
FIRST_NOTES = {"en": "First published version of the guidance.", "cy": "Y fersiwn gyntaf o'r canllawiau i'w chyhoeddi."}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_entry_for_each_version_in_force_scheduled_withdrawn_or_to_be_withdrawn_in_the_feeds_language(client, lang):
    found = events(parse(feed(client, lang)))
    assert set(found) == set(EXPECTED[lang])
    for key, (title, summary) in EXPECTED[lang].items():
        entry = found[key]
        assert entry.title.startswith(title), (key, entry.title)
        assert entry.summary == (summary or FIRST_NOTES[lang]), key
        assert entry.title_detail.language == entry.summary_detail.language == lang


def test_welsh_dates_are_in_welsh(client):
    found = events(parse(feed(client, "cy")))
    month = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref"]
    month += ["Tachwedd", "Rhagfyr"]
    entry = found[SCHEDULED.isoformat(), "scheduled"]
    assert entry.title.endswith(f"ar {SCHEDULED.day} {month[SCHEDULED.month - 1]} {SCHEDULED.year}")


def test_welsh_letters_are_utf_8_characters_not_references(client):
    response = feed(client, "cy")
    body = response.get_data()
    assert "tŷ".encode() in body and "gŵyl".encode() in body
    assert b"&#" not in body
    entry = events(parse(response))[SCHEDULED.isoformat(), "scheduled"]
    assert "ŵ" in entry.summary and "ŷ" in entry.summary


def test_markup_in_a_change_note_is_text_escaped_not_markup(client):
    response = feed(client, "en")
    assert b"sharing &amp; quoting &lt;posts&gt; revised." in response.get_data()
    assert events(parse(response))[SCHEDULED.isoformat(), "scheduled"].summary == NOTES["en"]


def test_updated_is_the_days_things_happened_or_were_announced_and_never_after_the_answers_date(client):
    asked = datetime.now(UTC)  # the answer's Date is no earlier (a test client's answer has none)
    parsed = parse(feed(client, "en"))
    found = events(parsed)
    updated = {key: datetime.fromisoformat(entry.updated) for key, entry in found.items()}
    assert updated["2023-06-01", "in-force"] == start_of(parsed_date("2023-06-01"))
    assert updated["2021-02-01", "withdrawn"] == start_of(FIRST_WITHDRAWN)
    # announced ahead: the day the withdrawal was recorded in the ledger, and the day the version's files were written
    assert updated["2023-06-01", "withdrawal-scheduled"] == start_of(TODAY - timedelta(days=3))
    assert updated[SCHEDULED.isoformat(), "scheduled"] == start_of(TODAY)
    assert all(moment <= asked for moment in updated.values())
    assert datetime.fromisoformat(parsed.feed.updated) == max(updated.values())
    assert [datetime.fromisoformat(entry.updated) for entry in parsed.entries] == sorted(updated.values(), reverse=True)


def parsed_date(value):
    return datetime.strptime(value, "%Y-%m-%d").date()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_link_is_absolute_and_following_it_gives_200(client, lang):
    parsed = parse(feed(client, lang))
    hrefs = [link.href for link in parsed.feed.links] + [link.href for e in parsed.entries for link in e.links]
    assert len(hrefs) == 4 + 2 * 5 + 2  # the feed's; two for each entry; the changes from each version's predecessor
    for href in hrefs:
        address = urlsplit(href)
        assert (address.scheme, address.netloc) == ("http", "localhost"), href
        response = client.get(f"{address.path}?{address.query}")
        assert response.status_code == 200, href
    for (version_id, event), entry in events(parsed).items():
        link = {link.rel: link for link in entry.links}.get("related")
        if version_id == "2021-02-01" or event not in ("in-force", "scheduled"):
            assert link is None
        else:
            assert "/changes/" + version_id in link.href and link.title


def test_links_start_with_the_public_base_url_when_it_is_set(content):
    client = app_on(content, PUBLIC_BASE_URL="https://gov.wales/guidance-api").test_client()
    parsed = parse(client.get("/v1/guidance/feed?lang=cy", headers={"Host": "internal.example"}))
    hrefs = [link.href for link in parsed.feed.links] + [link.href for e in parsed.entries for link in e.links]
    assert all(href.startswith("https://gov.wales/guidance-api/") for href in hrefs), hrefs


def test_entry_ids_are_stable_tag_uris_unique_in_each_language(content, client):
    again = app_on(content).test_client()
    for lang in ("en", "cy"):
        ids = [entry.id for entry in parse(feed(client, lang)).entries]
        assert ids == [entry.id for entry in parse(feed(again, lang)).entries]
        assert len(set(ids)) == len(ids) and all(i.startswith(TAG) for i in ids)
    english, welsh = ({e.id for e in parse(feed(client, lang)).entries} for lang in ("en", "cy"))
    assert not english & welsh, "an entry in another language is another entry"


# Caching


def test_the_feed_is_cached_like_every_answer_and_revalidates_with_a_304(content, client):
    response = feed(client, "cy")
    assert response.headers["Cache-Control"] == app_on(content).config["CACHE_CONTROL"]
    assert "Accept-Language" in response.headers["Vary"]
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)
    again = client.get("/v1/guidance/feed?lang=cy", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == response.headers["Cache-Control"]
    assert client.get("/v1/guidance/feed?lang=en", headers={"If-None-Match": etag}).status_code == 200
    head = client.head("/v1/guidance/feed?lang=cy")
    assert head.status_code == 200 and head.get_data() == b"" and head.headers["ETag"] == etag


def test_accept_language_chooses_the_feed_when_lang_is_not_given(client):
    response = client.get("/v1/guidance/feed", headers={"Accept-Language": "cy, en;q=0.5"})
    assert response.status_code == 200 and response.headers["Content-Language"] == "cy"
    assert parse(response).feed.id == f"{TAG}feed/cy"


def test_a_subscriber_polling_hears_of_the_new_version_on_the_day_it_takes_effect(content, monkeypatch):
    client = app_on(content).test_client()
    etag = feed(client, "en").headers["ETag"]
    assert client.get("/v1/guidance/feed?lang=en", headers={"If-None-Match": etag}).status_code == 304
    set_clock(monkeypatch, SCHEDULED)
    response = client.get("/v1/guidance/feed?lang=en", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag
    found = events(parse(response))
    assert (SCHEDULED.isoformat(), "in-force") in found and (SCHEDULED.isoformat(), "scheduled") not in found
    assert ("2023-06-01", "withdrawn") in found and ("2023-06-01", "withdrawal-scheduled") not in found
    newest = parse(response).entries[0]
    assert newest.id == f"{TAG}versions/{SCHEDULED.isoformat()}/in-force/en"
    assert datetime.fromisoformat(newest.updated) == start_of(SCHEDULED)


CORRECTED = TODAY - timedelta(days=5)
CORRECTION = {
    "en": "The Welsh of the reminder on security now matches the English.",
    "cy": "Mae Cymraeg y nodyn atgoffa am ddiogelwch bellach yn cyfateb i'r Saesneg.",
}


@pytest.fixture()
def corrected(tmp_path):
    """The real first version, its translation corrected five days ago, as ``version.yaml`` records a correction."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    (folder / "2021-02-01" / "version.yaml").write_text(
        f"effective_from: 2021-02-01\ncorrections:\n  - date: {CORRECTED.isoformat()}\n    reason:\n"
        f'      en: {CORRECTION["en"]}\n      cy: "{CORRECTION["cy"]}"\n',
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_corrected_translation_has_its_entry_dated_the_day_it_was_corrected(corrected, lang):
    client = app_on(corrected).test_client()
    parsed = parse(feed(client, lang))
    entry = events(parsed)["2021-02-01", "corrected"]
    assert entry.id == f"{TAG}versions/2021-02-01/corrected/{CORRECTED.isoformat()}/{lang}"
    assert entry.title.startswith({"en": "Version February 2021 was corrected on ", "cy": "Cywirwyd fersiwn "}[lang])
    assert entry.summary == CORRECTION[lang]
    assert datetime.fromisoformat(entry.updated) == start_of(CORRECTED)
    assert parsed.entries[0] is entry, "the newest event"
    for link in entry.links:
        assert client.get(urlsplit(link.href).path + "?" + urlsplit(link.href).query).status_code == 200


def test_a_withdrawal_of_the_whole_guidance_is_announced_for_each_version(tmp_path, monkeypatch):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    add_version(folder, "2023-06-01", " (2023)", "Second version.", "Ail fersiwn.")
    set_clock(monkeypatch, TODAY - timedelta(days=2))
    reasons = REASONS["2023-06-01"]
    result = run(folder, "withdraw", "--effective", (TODAY + timedelta(days=10)).isoformat(), "--reason-en",
                 reasons["en"], "--reason-cy", reasons["cy"])  # fmt: skip
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    found = events(parse(feed(app_on(folder).test_client(), "cy")))
    for version_id in ("2021-02-01", "2023-06-01"):
        entry = found[version_id, "withdrawal-scheduled"]
        assert entry.summary == reasons["cy"]
        assert datetime.fromisoformat(entry.updated) == start_of(TODAY - timedelta(days=2)), "the day it was recorded"


# Errors


@pytest.mark.parametrize("lang", ["fr", "cy,en", "en,cy", ""])
def test_a_language_the_feed_is_not_written_in_is_a_400(client, lang):
    response = client.get(f"/v1/guidance/feed?lang={lang}")
    assert_problem(response, 400, "unsupported-language")
    assert "Accept-Language" in response.headers["Vary"]


def test_the_problem_is_in_the_callers_language(client):
    response = client.get("/v1/guidance/feed?lang=fr", headers={"Accept-Language": "cy"})
    body = assert_problem(response, 400, "unsupported-language")
    assert body["title"] == "Iaith nas cefnogir"


def test_only_reads_are_allowed(client):
    assert_problem(client.post("/v1/guidance/feed?lang=en"), 405, "method-not-allowed")


@pytest.mark.parametrize("value", LANG_VALUES)
def test_the_feeds_lang_pattern_admits_exactly_what_the_server_accepts(client, value):
    parameters = SPEC["paths"]["/v1/guidance/feed"]["get"]["parameters"]
    (lang,) = [resolve(p) for p in parameters if resolve(p)["name"] == "lang"]
    admitted = bool(re.compile(lang["schema"]["pattern"]).search(value))
    response = client.get(f"/v1/guidance/feed?lang={quote(value)}")
    assert (response.status_code == 200) == admitted, value
    if not admitted:
        assert_problem(response, 400, "unsupported-language")


def resolve(parameter):
    if "$ref" not in parameter:
        return parameter
    return SPEC["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]


# The feed, from every answer of the guidance


ANSWERS = [
    "/v1/guidance",
    "/v1/guidance?format=html",
    "/v1/guidance?date=2023-07-01",
    "/v1/guidance/versions",
    "/v1/guidance/versions/2021-02-01",
    "/v1/guidance/versions/2021-02-01/changes/2023-06-01",
    "/v1/guidance/sections/propriety-and-ethics",
    "/v1/guidance/timemap",
    "/v1/reminders",
    "/v1/reminders/doubts",
]


@pytest.mark.parametrize("address", ANSWERS)
@pytest.mark.parametrize(
    "ask, expected",
    [({"lang": "en"}, "en"), ({"lang": "cy"}, "cy"), ({"lang": "cy,en"}, "cy"), ({"Accept-Language": "cy"}, "cy")],
    ids=["en", "cy", "both", "accept-language"],
)
def test_every_guidance_answer_links_the_feed_in_its_own_language(client, address, ask, expected):
    if "lang" in ask:
        address += ("&" if "?" in address else "?") + f"lang={ask['lang']}"
    response = client.get(address, headers={k: v for k, v in ask.items() if k != "lang"})
    assert response.status_code == 200, address
    assert FEED_LINK.findall(response.headers["Link"]) == [f"http://localhost/v1/guidance/feed?lang={expected}"]
    target = urlsplit(FEED_LINK.findall(response.headers["Link"])[0])
    assert parse(client.get(f"{target.path}?{target.query}")).feed.language == expected


def test_the_timegates_redirect_links_the_feed_too(client):
    response = client.get("/v1/guidance?lang=cy", headers={"Accept-Datetime": "Sat, 01 Jul 2023 12:00:00 GMT"})
    assert response.status_code == 302
    assert FEED_LINK.findall(response.headers["Link"]) == ["http://localhost/v1/guidance/feed?lang=cy"]
