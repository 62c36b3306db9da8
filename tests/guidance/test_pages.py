"""The pages and fragments as people and gov.wales pages meet them: GOV.UK Frontend's markup and stylesheet (pinned,
built and served with a year's cache), a banner on every version that is not simply the one in force, the changes
between versions kept in their paragraphs and lists, and the check form's errors in people's words.

The browser's view of the same (axe-core, screenshots) is tests/guidance/test_browser.py's."""

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.dates import format_date

from app import create_app
from app.guidance.negotiation import today
from tests.conftest import CONTENT, ROOT, UNLIMITED, add_version
from tests.editor.commands import edit
from tests.guidance.conftest import TO_BE_WITHDRAWN_REASONS, WITHDRAWAL_NOTICE_DAYS, WITHDRAWN_REASONS

FRONTEND = ROOT / "frontend"
ASSET = ROOT / "app" / "static" / "govuk-frontend"
YEAR = "public, max-age=31536000, immutable"


# A small HTML reader: the elements of a page or fragment, with their classes and their words.


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        words = "".join(child if isinstance(child, str) else " " + child.text() + " " for child in self.children)
        return " ".join(words.split())

    def find_all(self, tag=None, cls=None, **attrs):
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.classes)
                    and all(child.attrs.get(name) == value for name, value in attrs.items())
                ):
                    found.append(child)
                found += child.find_all(tag, cls, **attrs)
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag or '*'} class={cls}> found, not one"
        return found[0]


class _Reader(HTMLParser):
    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "path", "circle"})

    def __init__(self):
        super().__init__()
        self.root = self.current = Element("root", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def next_element(element):
    """The element after ``element`` among its parent's (the text between them aside)."""
    siblings = [child for child in element.parent.children if isinstance(child, Element)]
    return siblings[siblings.index(element) + 1]


def parse(html: str) -> Element:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.current is reader.root, "an element is left open"
    return reader.root


def day(value, language):
    return format_date(value, "d MMMM y", locale=language)


@pytest.fixture(scope="module")
def history(history_dir):
    return create_app({"GUIDANCE_CONTENT_DIR": str(history_dir), **UNLIMITED}).test_client()


def get_html(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


# The banner of a version that is not simply the one in force, on the page.

PAGE = {"en": "/", "cy": "/cy/"}
IMPORTANT = {"en": "Important", "cy": "Pwysig"}
STATUS = {
    "en": {"current": "Current", "superseded": "Superseded", "withdrawn": "Withdrawn"},
    "cy": {"current": "Cyfredol", "superseded": "Wedi'i disodli", "withdrawn": "Wedi'i thynnu'n ôl"},
}
READ_CURRENT = {"en": "Read the current version", "cy": "Darllenwch y fersiwn gyfredol"}


def withdrawn_words(language):
    """What the banner of 2023-06-01 (superseded on 15 January 2025, withdrawn today) says."""
    return {
        "en": [
            f"This version of the guidance was withdrawn on {day(today(), 'en')}",
            "This version was in force from 1 June 2023 to 14 January 2025.",
            WITHDRAWN_REASONS["en"],
        ],
        "cy": [
            f"Tynnwyd y fersiwn hon o'r canllawiau yn ôl ar {day(today(), 'cy')}",
            "Roedd y fersiwn hon mewn grym o 1 Mehefin 2023 hyd at 14 Ionawr 2025.",
            WITHDRAWN_REASONS["cy"],
        ],
    }[language]


SUPERSEDED_WORDS = {
    "en": [
        "This is not the current version of the guidance",
        "This version was in force from 1 February 2021 to 31 May 2023.",
    ],
    "cy": [
        "Nid hon yw fersiwn gyfredol y canllawiau",
        "Roedd y fersiwn hon mewn grym o 1 Chwefror 2021 hyd at 31 Mai 2023.",
    ],
}


def to_be_withdrawn_words(language):
    when = day(today() + timedelta(days=WITHDRAWAL_NOTICE_DAYS), language)
    return {
        "en": [f"This version of the guidance will be withdrawn on {when}", TO_BE_WITHDRAWN_REASONS["en"]],
        "cy": [f"Bydd y fersiwn hon o'r canllawiau yn cael ei thynnu'n ôl ar {when}", TO_BE_WITHDRAWN_REASONS["cy"]],
    }[language]


def banner_of(root, level, prefix=""):
    banner = root.find("div", "govuk-notification-banner")
    assert banner.attrs["role"] == "region"
    title = banner.find(f"h{level}", "govuk-notification-banner__title")
    assert banner.attrs["aria-labelledby"] == title.attrs["id"] == f"{prefix}version-banner-title"
    return banner, title


def summary_list(root):
    rows = root.find("dl", "govuk-summary-list").find_all("div", "govuk-summary-list__row")
    return {row.find("dt").text(): row.find("dd").text() for row in rows}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_withdrawn_version_has_a_banner_with_its_dates_and_reason_before_the_h1(history, language):
    root = parse(get_html(history, f"{PAGE[language]}?version=2023-06-01"))
    banner, title = banner_of(root, 2)
    assert title.text() == IMPORTANT[language]
    assert banner.find("p", "govuk-notification-banner__heading").text() == withdrawn_words(language)[0]
    paragraphs = [p.text() for p in banner.find_all("p", "govuk-body")]
    assert paragraphs[:2] == withdrawn_words(language)[1:]
    link = banner.find("a", "govuk-notification-banner__link")
    assert link.text() == READ_CURRENT[language] and link.attrs["href"] == PAGE[language]
    main = root.find("main")
    assert [child.tag for child in main.children if isinstance(child, Element)][:2] == ["div", "h1"]
    rows = summary_list(root)
    assert rows[{"en": "Status", "cy": "Statws"}[language]] == STATUS[language]["withdrawn"]
    assert rows[{"en": "Withdrawn from", "cy": "Wedi'i thynnu'n ôl o"}[language]] == day(today(), language)
    assert (
        rows[{"en": "Reason for withdrawal", "cy": "Y rheswm dros ei thynnu'n ôl"}[language]]
        == (WITHDRAWN_REASONS[language])
    )
    assert rows[{"en": "In force to", "cy": "Mewn grym hyd at"}[language]] == day(date(2025, 1, 14), language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_superseded_version_has_a_banner_with_its_dates_and_a_link_to_the_current_one(history, language):
    root = parse(get_html(history, f"{PAGE[language]}?version=2021-02-01"))
    banner, _ = banner_of(root, 2)
    assert banner.find("p", "govuk-notification-banner__heading").text() == SUPERSEDED_WORDS[language][0]
    assert banner.find_all("p", "govuk-body")[0].text() == SUPERSEDED_WORDS[language][1]
    assert banner.find("a", "govuk-notification-banner__link").attrs["href"] == PAGE[language]
    assert summary_list(root)[{"en": "Status", "cy": "Statws"}[language]] == STATUS[language]["superseded"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_version_in_force_says_when_it_will_be_withdrawn_and_why(history, language):
    root = parse(get_html(history, PAGE[language]))
    banner, _ = banner_of(root, 2)
    assert banner.find("p", "govuk-notification-banner__heading").text() == to_be_withdrawn_words(language)[0]
    assert to_be_withdrawn_words(language)[1] in [p.text() for p in banner.find_all("p", "govuk-body")]
    assert not banner.find_all("a"), "the page is the current version: nothing to link to"
    assert summary_list(root)[{"en": "Status", "cy": "Statws"}[language]] == STATUS[language]["current"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_version_in_force_with_no_withdrawal_has_no_banner(client, language):
    root = parse(get_html(client, PAGE[language]))
    assert root.find_all(cls="govuk-notification-banner") == []
    rows = summary_list(root)
    assert rows[{"en": "Status", "cy": "Statws"}[language]] == STATUS[language]["current"]
    assert (
        rows[{"en": "In force from", "cy": "Mewn grym o"}[language]]
        == {"en": "1 February 2021", "cy": "1 Chwefror 2021"}[language]
    )


# The same banner in the fragments gov.wales pages embed: after the fragment's h2, its title an h3.

FRAGMENTS = [
    ("/v1/guidance/versions/2023-06-01?format=html", "withdrawn"),
    ("/v1/guidance?date=2024-01-01&format=html", "withdrawn"),
    ("/v1/guidance/sections/introduction?date=2024-01-01&format=html", "withdrawn"),
    ("/v1/reminders?date=2021-03-01&format=html", "superseded"),
    ("/v1/reminders/doubts?date=2021-03-01&format=html", "superseded"),
    ("/v1/guidance/versions/2021-02-01?format=html", "superseded"),
]


def expected_words(state, language):
    return withdrawn_words(language) if state == "withdrawn" else SUPERSEDED_WORDS[language]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("address, state", FRAGMENTS)
def test_a_fragment_of_a_version_not_in_force_has_the_banner_too(history, address, state, language):
    root = parse(get_html(history, f"{address}&lang={language}"))
    fragment = root.children[0]
    assert fragment.attrs["lang"] == language
    headings = [child for child in fragment.children if isinstance(child, Element)]
    assert headings[0].tag == "h2" and "govuk-notification-banner" in headings[1].classes
    banner, title = banner_of(fragment, 3)
    assert title.text() == IMPORTANT[language]
    words = [banner.find("p", "govuk-notification-banner__heading").text()]
    words += [p.text() for p in banner.find_all("p", "govuk-body")]
    assert words == expected_words(state, language)
    assert not banner.find_all("a"), "a fragment leaves links to the page that embeds it"


def test_both_languages_at_once_have_a_banner_each_with_its_own_id(history):
    root = parse(get_html(history, "/v1/guidance/versions/2023-06-01?lang=cy,en&format=html"))
    welsh, english = (child for child in root.children[0].children if isinstance(child, Element))
    for fragment, language in ((welsh, "cy"), (english, "en")):
        banner, _ = banner_of(fragment, 3, prefix=f"{language}-")
        assert banner.find("p", "govuk-notification-banner__heading").text() == withdrawn_words(language)[0]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_fragment_of_the_version_in_force_has_no_banner_and_gov_uk_links(client, language):
    root = parse(get_html(client, f"/v1/guidance?lang={language}&format=html"))
    assert root.find_all(cls="govuk-notification-banner") == []
    links = root.find_all("a")
    assert links and all(link.classes == ["govuk-link"] for link in links)


# The changes between two versions, in their paragraphs and lists.


REVISIONS = {
    "en": {"reminder": "Screenshots last.", "responsibility": "Avoid commenting on controversial issues;"},
    "cy": {"reminder": "Mae sgrinluniau'n para.", "responsibility": "Osgoi sylwadau ar faterion dadleuol;"},
}


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    """The real version and a revision of it: words added to a reminder, a responsibility reworded."""
    folder = tmp_path_factory.mktemp("revised")
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    revision = add_version(folder, "2024-04-01", "", "Revised.", "Diwygiwyd.")

    def revise(data, language):
        next(r for r in data["reminders"] if r["id"] == "permanent")["text"] += " " + REVISIONS[language]["reminder"]
        responsibility = next(r for r in data["responsibilities"] if r["id"] == "controversial-issue")
        responsibility["text"] = REVISIONS[language]["responsibility"]

    for language in ("en", "cy"):
        edit(revision / f"{language}.yaml", lambda data, language=language: revise(data, language))
    return create_app({"GUIDANCE_CONTENT_DIR": str(folder), **UNLIMITED}).test_client()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_changes_keep_each_sections_paragraphs_and_lists_apart(revised, language):
    address = f"/v1/guidance/versions/2021-02-01/changes/2024-04-01?lang={language}&format=html"
    root = parse(get_html(revised, address))
    changed = {"en": "Changed:", "cy": "Newidiwyd:"}[language]
    document = revised.get(f"/v1/guidance/versions/2024-04-01?lang={language}").get_json()
    sections = {s["id"]: s for s in document["sections"]}
    permanent = next(r for r in document["reminders"] if r["id"] == "permanent")

    # A reminder: its title in the heading, its words a paragraph of their own (not "Permanent remember once...").
    heading = root.find("h4", id="reminders-permanent")
    assert heading.text() == f"{changed} {permanent['title']}"
    words = next_element(heading)
    assert words.tag == "p" and words.classes == ["govuk-body"]
    assert words.text() == permanent["text"]
    assert words.find("ins").text() == REVISIONS[language]["reminder"]

    # A section: each paragraph its own p, the responsibilities a bulleted list, an item each.
    ethics = root.find("h4", id="sections-propriety-and-ethics")
    assert ethics.text() == f"{changed} {sections['propriety-and-ethics']['heading']}"
    blocks = [next_element(ethics)]
    while next_element(blocks[-1]).tag in ("p", "ul", "ol"):
        blocks.append(next_element(blocks[-1]))
    assert [block.tag for block in blocks] == ["p", "p", "p", "ul", "p"]
    items = blocks[3].find_all("li")
    assert blocks[3].classes == ["govuk-list", "govuk-list--bullet"] and len(items) == 5
    assert items[3].find_all("ins") and items[3].find_all("del"), "the changed responsibility, word by word"
    assert items[3].text() != REVISIONS[language]["responsibility"], "its old words are kept, struck out"
    assert all(not item.text().startswith("- ") for item in items), "the list's markers are the list's own"

    # The section of the reminders: a numbered list, an item a reminder.
    reminders = next_element(root.find("h4", id="sections-things-to-remember"))
    assert reminders.tag == "ol" and reminders.classes == ["govuk-list", "govuk-list--number"]
    assert len(reminders.find_all("li")) == 6

    # A responsibility, one line: listed, its words changed.
    item = root.find("li", id="responsibilities-controversial-issue")
    assert item.text().startswith(changed) and item.find_all("ins") and item.find_all("del")


def test_the_changes_json_html_keeps_the_paragraphs_and_lists_too(revised):
    body = revised.get("/v1/guidance/versions/2021-02-01/changes/2024-04-01").get_json()
    ethics = next(item for item in body["sections"]["changed"] if item["id"] == "propriety-and-ethics")
    blocks = [child for child in parse(ethics["html"]).children if isinstance(child, Element)]
    assert [block.tag for block in blocks] == ["p", "p", "p", "p", "ul", "p"]
    assert blocks[0].text() == "Propriety and ethics"


# The check form's errors, in people's words and the page's language.

FORM_ERRORS = [
    ({"text": ""}, "draft", "Enter your draft post", "Rhowch eich neges ddrafft"),
    ({"text": " \n "}, "draft", "Enter your draft post", "Rhowch eich neges ddrafft"),
    (
        {"text": "x" * 5001},
        "draft",
        "Your draft post must be 5,000 characters or fewer",
        "Rhaid i'ch neges ddrafft fod yn 5,000 o nodau neu lai",
    ),
    (
        {"text": "before\x00after"},
        "draft",
        "Your draft post must not include control characters",
        "Rhaid i'ch neges ddrafft beidio â chynnwys nodau rheoli",
    ),
    (
        {"text": "Hello", "account": "work"},
        "account-personal",
        "Select which account you will post from",
        "Dewiswch o ba gyfrif y byddwch yn postio",
    ),
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("form, target, english, welsh", FORM_ERRORS, ids=["empty", "blank", "long", "nul", "account"])
def test_the_forms_errors_speak_to_people(client, form, target, english, welsh, language):
    message = english if language == "en" else welsh
    response = client.post(PAGE[language], data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "text field" not in html and "maes text" not in html and "account field" not in html
    root = parse(html)
    assert root.find("title").text().startswith({"en": "Error:", "cy": "Gwall:"}[language])
    summary = root.find("div", "govuk-error-summary")
    assert summary.find("div", role="alert")
    link = summary.find("ul", "govuk-error-summary__list").find("a")
    assert link.text() == message and link.attrs["href"] == f"#{target}"
    group = root.find(cls="govuk-form-group--error")
    error = group.find("p", "govuk-error-message")
    assert error.text() == f"{ {'en': 'Error:', 'cy': 'Gwall:'}[language] } {message}"
    described = group.find("textarea") if target == "draft" else group.find("fieldset")
    assert error.attrs["id"] in described.attrs["aria-describedby"].split()
    if target == "draft":
        assert "govuk-textarea--error" in described.classes


def test_the_apis_own_messages_still_name_the_field(client):
    problem = client.post("/v1/check", json={"text": ""}).get_json()
    assert problem["errors"][0]["detail"].startswith("The text field is empty")


# GOV.UK Frontend's stylesheet: linked by every page, served with a year's cache, built from the pinned package.


def stylesheets(html):
    return [link.attrs["href"] for link in parse(html).find_all("link", rel="stylesheet")]


@pytest.mark.parametrize("address", ["/", "/cy/", "/?version=nope"])
def test_every_page_links_gov_uk_frontends_stylesheet_and_no_script_or_inline_style(client, address):
    html = client.get(address).get_data(as_text=True)
    links = stylesheets(html)
    assert [urlsplit(link).path for link in links] == [
        "/static/govuk-frontend/govuk-frontend.min.css",
        "/static/site.css",
    ]
    assert "<script" not in html and "<style" not in html and " style=" not in html


def test_the_stylesheets_and_all_they_load_are_served_with_a_years_cache(client):
    loaded = []
    for link in stylesheets(client.get("/").get_data(as_text=True)):
        response = client.get(link)
        assert response.status_code == 200 and response.mimetype == "text/css"
        assert response.headers["Cache-Control"] == YEAR
        css = response.get_data(as_text=True)
        loaded += [urljoin(link, address) for address in re.findall(r"url\([\"']?([^\"')]+)", css)]
    assert {urlsplit(address).path.rsplit(".", 1)[-1] for address in loaded} == {"svg"}
    for address in loaded:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.mimetype == "image/svg+xml", address
        assert response.headers["Cache-Control"] == YEAR, address


@pytest.mark.parametrize("query", ["", "?v=0123456789abcdef"])
def test_a_file_asked_for_without_its_fingerprint_is_revalidated_not_kept(client, query):
    response = client.get(f"/static/govuk-frontend/govuk-frontend.min.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache" and response.headers["ETag"]


def test_the_content_security_policy_lets_the_pages_load_their_own_css_fonts_and_images_and_nothing_inline(client):
    policy = dict(
        directive.strip().split(" ", 1) for directive in client.get("/").headers["Content-Security-Policy"].split(";")
    )
    for kind in ("style-src", "font-src", "img-src"):
        allowed = policy.get(kind, policy["default-src"]).split()
        assert "'self'" in allowed and "'unsafe-inline'" not in allowed, kind
    assert policy["script-src"] == "'none'"


def test_the_committed_stylesheet_is_the_version_frontend_pins():
    package = json.loads((FRONTEND / "package.json").read_text())
    pinned = package["dependencies"]["govuk-frontend"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin govuk-frontend exactly"
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == pinned
    css = (ASSET / "govuk-frontend.min.css").read_text()
    assert re.search(r'--govuk-frontend-version:\s*"([^"]+)"', css).group(1) == pinned
    assert (ASSET / "LICENSE.txt").read_text().startswith("The MIT License (MIT)")


def test_no_gds_transport_is_shipped_or_named_as_it_is_for_gov_uk_services_only():
    """GOV.UK Frontend's typeface is licensed for GOV.UK alone; Welsh Government's pages use its fallback, Arial."""
    css = (ASSET / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    assert not [path for path in ASSET.rglob("*") if path.suffix in (".woff", ".woff2")]


def test_the_build_makes_exactly_the_committed_files(tmp_path):
    """frontend/build.mjs, run on the pinned package (.ci/run installs it with npm ci), makes app/static/govuk-frontend/
    byte for byte: what is committed is what the pin gives."""
    assert (FRONTEND / "node_modules" / "govuk-frontend").is_dir(), "run `npm ci --prefix frontend` (as .ci/run does)"
    subprocess.run(["node", str(FRONTEND / "build.mjs"), str(tmp_path / "built")], check=True, capture_output=True)

    def files(folder: Path):
        return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    assert files(tmp_path / "built") == files(ASSET)
