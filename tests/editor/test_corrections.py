"""Correcting a published translation: ``guidance correct`` publishes the edit of a sealed version's Welsh (or
English) with its reason, the version is sealed again, and readers see the correction in both languages."""

import hashlib
import json
from datetime import timedelta

import pytest
import yaml

from app import create_app
from app.guidance import links
from app.guidance.negotiation import today
from tests.conftest import UNLIMITED
from tests.editor.commands import edit, run

VERSION = "2021-02-01"
REASONS = {
    "en": "The Welsh of the reminder to doubt now ends as the English does.",
    "cy": "Mae Cymraeg y nodyn atgoffa am amheuaeth bellach yn gorffen fel y Saesneg.",
}


def doubts_ends_with_a_full_stop(data):
    """A change to the Welsh that the proofing passes: the reminder ends with a full stop."""
    reminder = next(r for r in data["reminders"] if r["id"] == "doubts")
    reminder["text"] = reminder["text"].rstrip("!") + "."


def welsh_edited(content):
    edit(content / VERSION / "cy.yaml", doubts_ends_with_a_full_stop)


def correct(content, *extra, reasons=REASONS):
    return run(
        content, "correct", "--version", VERSION, "--reason-en", reasons["en"], "--reason-cy", reasons["cy"], *extra
    )


def ledger_lines(content):
    return (content / "ledger.jsonl").read_text(encoding="utf-8").splitlines()


def every_file(content):
    return {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}


def refused(result, *words):
    assert result.exit_code != 0 and "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def validate_fails_naming(content, *words):
    result = run(content, "validate")
    assert result.exit_code != 0 and "problem(s) found." in result.output
    for word in words:
        assert word in result.output, result.output


def test_a_welsh_correction_is_recorded_and_the_version_sealed_again(content):
    folder = content / VERSION
    before = ledger_lines(content)
    edit(folder / "cy.yaml", doubts_ends_with_a_full_stop)
    validate_fails_naming(content, "cy.yaml: published text has changed since it was sealed")

    result = correct(content)
    assert result.exit_code == 0, result.output
    lines = ledger_lines(content)
    assert lines[: len(before)] == before, "a correction only adds to the ledger"
    event = json.loads(lines[-1])
    assert event["event"] == "corrected" and event["version"] == VERSION
    assert event["corrected"] == {"date": today().isoformat(), "reason": REASONS}
    assert event["sha256"] == {"cy.yaml": hashlib.sha256((folder / "cy.yaml").read_bytes()).hexdigest()}
    assert event["recorded"] == today().isoformat()
    meta = yaml.safe_load((folder / "version.yaml").read_text(encoding="utf-8"))
    assert meta["corrections"][-1] == {"date": today(), "reason": REASONS}
    assert run(content, "validate").exit_code == 0
    assert f"corrected {today().isoformat()}" in run(content, "list").output

    edit(folder / "cy.yaml", lambda data: data.update(title=data["title"] + " (wedi'i newid)"))
    validate_fails_naming(content, "cy.yaml: published text has changed since it was sealed")


def test_a_second_correction_follows_the_first(content):
    welsh_edited(content)
    assert correct(content).exit_code == 0
    edit(content / VERSION / "cy.yaml", lambda data: data.update(change_note="Y fersiwn gyntaf a gyhoeddwyd."))
    second = {"en": "The first change note reads better.", "cy": "Mae'r nodyn newid cyntaf yn darllen yn well."}
    assert correct(content, reasons=second).exit_code == 0, "a correction is no once-only event"
    corrections = yaml.safe_load((content / VERSION / "version.yaml").read_text(encoding="utf-8"))["corrections"]
    assert [c["reason"] for c in corrections][-2:] == [REASONS, second]
    assert run(content, "validate").exit_code == 0


def test_the_english_may_be_corrected_when_it_is_named(content):
    edit(content / VERSION / "en.yaml", lambda data: data.update(change_note="The first version published."))
    refused(correct(content), "en.yaml: changed since it was sealed", "--language en")
    assert correct(content, "--language", "en").exit_code == 0
    assert run(content, "validate").exit_code == 0


def refusal_cases():
    def english_too(content):
        welsh_edited(content)
        edit(content / VERSION / "en.yaml", lambda data: data.update(title="Personal use of social media (edited)"))

    def date_moved(content):
        welsh_edited(content)
        edit(content / VERSION / "version.yaml", lambda data: data.update(effective_from="2021-02-02"))

    def nothing(content):
        pass

    def misspelt(content):
        edit(
            content / VERSION / "cy.yaml",
            lambda data: data.update(title="Defnydd Personol o'r Cyfryngau Cymdeithasoll"),
        )

    return [
        pytest.param(english_too, REASONS, ["en.yaml: changed since it was sealed", "corrects cy.yaml only"], id="en"),
        pytest.param(date_moved, REASONS, ["effective_from changed from 2021-02-01 to 2021-02-02"], id="date"),
        pytest.param(nothing, REASONS, ["cy.yaml: unchanged since it was sealed"], id="unchanged"),
        pytest.param(misspelt, REASONS, ["Cymdeithasoll"], id="misspelt"),
        pytest.param(welsh_edited, {"en": "Fixed.", "cy": " "}, ["Say why"], id="no-welsh-reason"),
        pytest.param(
            welsh_edited, {"en": "Fixed.", "cy": "Wedi'i gywiroo."}, ["--reason-cy", "gywiroo"], id="misspelt-reason"
        ),
    ]


@pytest.mark.parametrize("change, reasons, words", refusal_cases())
def test_correct_refuses_anything_but_a_translation_put_right(content, change, reasons, words):
    change(content)
    before = every_file(content)
    refused(correct(content, reasons=reasons), *words)
    assert every_file(content) == before, "nothing is recorded"


def test_correct_needs_both_reasons(content):
    welsh_edited(content)
    result = run(content, "correct", "--version", VERSION, "--reason-en", "Fixed.")
    assert result.exit_code == 2 and "--reason-cy" in result.output


def test_a_version_not_yet_published_is_edited_not_corrected(content):
    effective = (today() + timedelta(days=20)).isoformat()
    assert run(content, "new-version", "--effective", effective, "--note-en", "x", "--note-cy", "y").exit_code == 0
    edit(content / effective / "cy.yaml", doubts_ends_with_a_full_stop)
    result = run(content, "correct", "--version", effective, "--reason-en", "x", "--reason-cy", "y")
    refused(result, "not published yet", "guidance seal")


@pytest.mark.parametrize(
    "spoil, words",
    [
        (lambda meta: meta["corrections"][-1]["reason"].update(cy="Rheswm arall."), ["reason.cy changed", "ledger"]),
        (lambda meta: meta["corrections"][-1].update(date="2099-03-01"), ["date changed", "2099-03-01"]),
        (lambda meta: meta["corrections"].pop(), ["was removed; it stays in the history"]),
        (
            lambda meta: meta["corrections"].append({"date": "2099-01-01", "reason": {"en": "x", "cy": "y"}}),
            ["a correction of 2099-01-01 is not in the ledger", "guidance correct"],
        ),
    ],
    ids=["reason", "date", "removed", "by-hand"],
)
def test_validate_names_a_correction_changed_by_hand(content, spoil, words):
    welsh_edited(content)
    assert correct(content).exit_code == 0
    edit(content / VERSION / "version.yaml", spoil)
    validate_fails_naming(content, "version.yaml", *words)


def test_readers_see_the_correction_in_both_languages(content):
    welsh_edited(content)
    assert correct(content).exit_code == 0
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client()
    day = today().isoformat()
    for language in ("en", "cy"):
        response = client.get(f"/v1/guidance/versions/{VERSION}?lang={language}")
        assert response.get_json()["version"]["corrections"][-1] == {"date": day, "reason": REASONS[language]}
        assert response.headers["Last-Modified"] == links.http_date(today()), "the text changed today"
    listed = client.get("/v1/guidance/versions?lang=cy").get_json()["versions"][0]
    assert listed["corrections"][-1] == {"date": day, "reason": REASONS["cy"]}
    both = client.get("/v1/guidance?lang=cy,en").get_json()
    assert [both[lang]["version"]["corrections"][-1]["reason"] for lang in ("cy", "en")] == [
        REASONS["cy"],
        REASONS["en"],
    ]
    doubts = client.get("/v1/reminders/doubts?lang=cy").get_json()
    assert doubts["text"].endswith("peidiwch â'i bostio."), "the corrected Welsh is served"
    page = client.get("/cy/").get_data(as_text=True)
    assert "Cywirwyd ar " in page and REASONS["cy"] in page
    assert REASONS["en"] in client.get("/").get_data(as_text=True)
