"""The pages for people in a real browser: headless Chromium, driven by Playwright, against gunicorn.

Covers both languages (/ and /cy/): the page's language, its one h1 and skip link, the language
toggle, the no-JavaScript check form and its result, and an axe-core accessibility scan of every
page state. Nothing here is skipped when a tool is missing: .ci/run installs Chromium (Debian's
package) and axe-core (npm, into tests/guidance/browser/node_modules), and a missing one fails the test.
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.servers import gunicorn

pytestmark = pytest.mark.slow  # starts real servers

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"

PAGES = {"en": "/", "cy": "/cy/"}
TOGGLE_TEXT = {"en": "Cymraeg", "cy": "English"}  # the link on each page, named in the other language
OTHER = {"en": "cy", "cy": "en"}
DRAFTS = {
    "en": "Between us, the minister is going to announce the hospital closure on Tuesday.",
    "cy": "Pleidleisiwch dros Lafur ddydd Iau!",
}
RESULT_HEADING = {"en": "Result", "cy": "Canlyniad"}
ENGLISH_VERDICTS = {
    "Nothing in this post seems to breach the guidance. Use your judgement before you post.",
    "Review this post before you publish it.",
    "Do not post this. If in doubt, don't post it.",
}


@pytest.fixture(scope="module")
def server():
    with gunicorn("--workers", "2") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run .ci/run, or apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(bypass_csp=True)  # the pages forbid all script; axe is injected by the test
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def format_violations(url, violations):
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            lines.append(f"    html:   {node['html']}")
            for summary in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe-core on the page as it stands; fail with every violation, node by node."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix tests/guidance/browser` (as .ci/run does)"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run()")
    assert results["testEngine"]["name"] == "axe-core"
    assert not results["violations"], format_violations(page.url, results["violations"])


def assert_page_basics(page, language):
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").count() == 1
    skip_link = page.locator("a.govuk-skip-link")
    expect(skip_link).to_have_count(1)
    target = skip_link.get_attribute("href")
    assert target == "#main-content"
    assert page.evaluate("(id) => document.getElementById(id) !== null", target.removeprefix("#"))
    assert page.locator("#versions").count() == 1


@pytest.mark.parametrize("language", ["en", "cy"])
def test_page_has_its_language_one_h1_and_a_working_skip_link(server, page, language):
    response = page.goto(server + PAGES[language])
    assert response.status == 200
    assert_page_basics(page, language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_language_toggle_goes_to_the_other_language(server, page, language):
    page.goto(server + PAGES[language])
    toggle = page.locator("header nav a", has_text=TOGGLE_TEXT[language])
    expect(toggle).to_have_count(1)
    other = OTHER[language]
    assert toggle.get_attribute("href") == PAGES[other]
    toggle.click()
    page.wait_for_url(server + PAGES[other])
    expect(page.locator("html")).to_have_attribute("lang", other)
    assert_page_basics(page, other)
    # and back again
    page.locator("header nav a", has_text=TOGGLE_TEXT[other]).click()
    page.wait_for_url(server + PAGES[language])
    expect(page.locator("html")).to_have_attribute("lang", language)


def submit_draft(page, server, language):
    page.goto(server + PAGES[language])
    page.locator("textarea#draft[name=text]").fill(DRAFTS[language])
    page.locator("input[name=account][value=personal]").check()
    with page.expect_navigation():
        page.locator("form button.govuk-button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_checking_a_draft_shows_the_result(server, page, language):
    submit_draft(page, server, language)
    draft = DRAFTS[language]
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").count() == 1
    # the draft survives the round trip, so a person can edit and check again
    expect(page.locator("textarea#draft")).to_have_value(draft)

    heading = page.locator("#result-heading")
    expect(heading).to_have_text(RESULT_HEADING[language])
    verdict = page.locator("#verdict").inner_text().strip()
    assert verdict
    if language == "cy":
        assert verdict not in ENGLISH_VERDICTS, f"the Welsh page gave an English verdict: {verdict!r}"
    else:
        assert verdict in ENGLISH_VERDICTS

    marks = page.locator(".app-draft mark").all_inner_texts()
    assert marks, "no words were highlighted in the draft"
    for mark in marks:
        assert mark in draft, f"highlight {mark!r} is not in the draft"
    assert page.locator(".app-draft").inner_text().strip() == draft

    findings = page.locator(".app-findings > li")
    assert findings.count() >= 1
    assert findings.first.inner_text().strip()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_page_has_no_accessibility_violations(server, page, language):
    page.goto(server + PAGES[language])
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_result_page_has_no_accessibility_violations(server, page, language):
    submit_draft(page, server, language)
    expect(page.locator("#result-heading")).to_be_visible()
    assert_accessible(page)
