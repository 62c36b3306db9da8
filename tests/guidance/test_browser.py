"""The pages for people in a real browser: headless Chromium, driven by Playwright, against gunicorn.

Covers both languages (/ and /cy/): the page's language, its one h1 and skip link, the language
toggle, the no-JavaScript check form, its result and its errors, a withdrawn version's banner, GOV.UK
Frontend's stylesheet and image loading under the pages' own Content-Security-Policy, and an axe-core
accessibility scan of every page state. Each state is photographed at desktop (1280 px) and mobile
(375 px) width into test-artefacts/screenshots/, for CI to keep. Nothing here is skipped when a tool is
missing: .ci/run installs Chromium (Debian's package) and axe-core (npm, into
tests/guidance/browser/node_modules), and a missing one fails the test.
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT
from tests.guidance.conftest import WITHDRAWN_REASONS
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
SCREENSHOTS = ROOT / "test-artefacts" / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 375}

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
def history_server(history_dir):
    """gunicorn on content with a history (tests/guidance/conftest.py): 2023-06-01 is withdrawn."""
    with gunicorn("--workers", "1", env={"GUIDANCE_CONTENT_DIR": str(history_dir)}) as base:
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


@pytest.fixture()
def enforced(browser):
    """A page under the pages' own Content-Security-Policy (nothing injected), with every failed load recorded."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.failures = []
    page.on("requestfailed", lambda request: page.failures.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda r: r.status >= 400 and "/favicon.ico" not in r.url and page.failures.append(r.url))
    page.on("console", lambda message: message.type == "error" and page.failures.append(message.text))
    try:
        yield page
    finally:
        context.close()


def screenshot(page, name):
    """The page as it stands, whole, at desktop and at mobile width: test-artefacts/screenshots/NAME-WIDTH.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


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
    screenshot(page, f"guidance-{language}")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_result_page_has_no_accessibility_violations(server, page, language):
    submit_draft(page, server, language)
    expect(page.locator("#result-heading")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"result-{language}")


FORM_ERRORS = {
    "empty": ("", {"en": "Enter your draft post", "cy": "Rhowch eich neges ddrafft"}),
    "too-long": (
        "x" * 5001,
        {
            "en": "Your draft post must be 5,000 characters or fewer",
            "cy": "Rhaid i'ch neges ddrafft fod yn 5,000 o nodau neu lai",
        },
    ),
}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("error", FORM_ERRORS)
def test_a_form_error_says_what_to_do_where_the_page_opens(server, page, language, error):
    draft, messages = FORM_ERRORS[error]
    page.goto(server + PAGES[language])
    page.locator("textarea#draft").fill(draft)
    with page.expect_navigation():
        page.locator("form button.govuk-button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary.locator("a[href='#draft']")).to_have_text(messages[language])
    expect(page.locator("#draft-error")).to_contain_text(messages[language])
    assert page.title().startswith({"en": "Error:", "cy": "Gwall:"}[language])
    summary.locator("a[href='#draft']").click()
    expect(page.locator("textarea#draft")).to_be_in_viewport()
    assert_accessible(page)
    screenshot(page, f"form-error-{error}-{language}")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_error_page_links_back_to_the_guidance_and_has_no_accessibility_violations(server, page, language):
    response = page.goto(f"{server}{PAGES[language]}?version=1999-01-01")
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").count() == 1
    expect(page.locator("main a.govuk-link")).to_have_attribute("href", PAGES[language])
    assert_accessible(page)
    screenshot(page, f"not-found-{language}")


WITHDRAWN = {
    "en": "This version of the guidance was withdrawn on",
    "cy": "Tynnwyd y fersiwn hon o'r canllawiau yn ôl ar",
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_withdrawn_version_says_so_before_its_title(history_server, page, language):
    page.goto(f"{history_server}{PAGES[language]}?version=2023-06-01")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_be_visible()
    expect(banner.locator(".govuk-notification-banner__heading")).to_contain_text(WITHDRAWN[language])
    expect(banner).to_contain_text(WITHDRAWN_REASONS[language])
    assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    banner.locator("a.govuk-notification-banner__link").click()
    page.wait_for_url(history_server + PAGES[language])
    assert_accessible(page)
    page.goto(f"{history_server}{PAGES[language]}?version=2023-06-01")
    assert_accessible(page)
    screenshot(page, f"withdrawn-{language}")


def computed(page, selector, prop, pseudo=None):
    return page.evaluate(
        "([selector, prop, pseudo]) => getComputedStyle(document.querySelector(selector), pseudo)[prop]",
        [selector, prop, pseudo],
    )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_gov_uk_frontend_styles_the_page_under_its_own_content_security_policy(server, enforced, language):
    enforced.goto(server + PAGES[language])
    assert enforced.failures == [], "a file the page needs was refused or not found"
    assert enforced.evaluate("document.scripts.length") == 0
    assert enforced.evaluate("document.fonts.size") == 0, "no web font: GDS Transport is for GOV.UK only"
    assert computed(enforced, ".govuk-body", "fontFamily") == "arial, sans-serif"
    assert computed(enforced, ".govuk-width-container", "maxWidth") == "960px"
    # GOV.UK radios: the browser's own circle hidden, GOV.UK's drawn before the label
    assert computed(enforced, ".govuk-radios__input", "opacity") == "0"
    assert computed(enforced, ".govuk-radios__label", "width", "::before") == "40px"
    # Every list's bullets and numbers sit inside its own box, and every list inside its parent's
    lists = enforced.evaluate(
        """() => [...document.querySelectorAll('.govuk-list--bullet, .govuk-list--number')].map((list) => {
            const box = list.getBoundingClientRect(), parent = list.parentElement.getBoundingClientRect();
            return [parseFloat(getComputedStyle(list).paddingLeft), box.left >= parent.left, box.right <= parent.right];
        })"""
    )
    assert lists and all(padding >= 20 and inside_left and inside_right for padding, inside_left, inside_right in lists)
    # The skip link is hidden until the keyboard reaches it
    assert enforced.locator(".govuk-skip-link").bounding_box()["height"] <= 1
    enforced.keyboard.press("Tab")
    expect(enforced.locator(".govuk-skip-link")).to_be_focused()
    assert enforced.locator(".govuk-skip-link").bounding_box()["height"] > 10
