"""The life of a version, as a content designer lives it: publish with the commands, schedule, compare.

Withdrawals and the ledger of published history are tests/editor/test_history.py's."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import yaml
from click.testing import CliRunner

from app import create_app
from app.editor.cli import guidance
from app.guidance.negotiation import today
from tests.conftest import CONTENT
from tests.editor.commands import edit, run
from tests.problems import assert_problem


@pytest.fixture()
def published(content):
    """A fictional revision taking effect in 30 days, published with the commands."""
    effective = today() + timedelta(days=30)
    result = run(
        content,
        "new-version",
        "--effective",
        effective.isoformat(),
        "--note-en",
        "Adds advice on generative AI.",
        "--note-cy",
        "Yn ychwanegu cyngor ar ddeallusrwydd artiffisial cynhyrchiol.",
    )
    assert result.exit_code == 0, result.output
    folder = content / effective.isoformat()

    def revise(data, heading, body, responsibility):
        data["sections"].append({"id": "generative-ai", "heading": heading, "blocks": [{"paragraph": body}]})
        data["responsibilities"][3]["text"] = responsibility

    edit(
        folder / "en.yaml",
        lambda d: revise(
            d,
            "Generative AI",
            "Check anything a tool writes for you before you post it.",
            "Avoid making any comments on controversial political issues;",
        ),
    )
    edit(
        folder / "cy.yaml",
        lambda d: revise(
            d,
            "Deallusrwydd artiffisial cynhyrchiol",
            "Gwiriwch unrhyw beth mae offeryn yn ei ysgrifennu i chi cyn ei bostio.",
            "Osgoi gwneud unrhyw sylwadau ar faterion gwleidyddol dadleuol;",
        ),
    )
    return effective


def test_new_version_copies_the_latest_with_its_notes_and_label(content, published):
    folder = content / published.isoformat()
    english = yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))
    welsh = yaml.safe_load((folder / "cy.yaml").read_text(encoding="utf-8"))
    assert english["change_note"] == "Adds advice on generative AI."
    assert welsh["change_note"].startswith("Yn ychwanegu")
    assert english["label"].endswith(str(published.year)) and welsh["label"].endswith(str(published.year))
    assert (content / "2021-02-01" / "en.yaml").read_text() == (CONTENT / "2021-02-01" / "en.yaml").read_text()


def test_a_new_version_shares_the_lexicons_rather_than_copying_them(content, published):
    rules = yaml.safe_load((content / published.isoformat() / "rules.yaml").read_text(encoding="utf-8"))
    assert "lexicons" not in rules
    assert len((content / published.isoformat() / "rules.yaml").read_text(encoding="utf-8").splitlines()) < 200


def test_validate_accepts_the_revision_and_list_shows_it_scheduled(content, published):
    result = run(content, "validate")
    assert result.exit_code == 0, result.output
    listing = run(content, "list").output
    assert f"{published.isoformat()}  from {published.isoformat()}" in listing
    assert "scheduled" in listing
    assert f"to {(published - timedelta(days=1)).isoformat()}" in listing


def test_dates_before_on_and_after_the_revision(content, published):
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content)}).test_client()
    day_before = published - timedelta(days=1)
    assert client.get("/v1/guidance").get_json()["version"]["id"] == "2021-02-01"
    assert client.get(f"/v1/guidance?date={day_before}").get_json()["version"]["id"] == "2021-02-01"
    for day in (published, published + timedelta(days=400)):
        body = client.get(f"/v1/guidance?date={day}").get_json()
        assert body["version"]["id"] == published.isoformat()
        assert body["version"]["status"] == "scheduled"
    versions = client.get("/v1/guidance/versions").get_json()["versions"]
    assert [v["status"] for v in versions] == ["current", "scheduled"]
    assert versions[0]["effective_to"] == day_before.isoformat()
    timemap = client.get("/v1/guidance/timemap").get_data(as_text=True)
    assert published.isoformat() not in timemap, "a scheduled version is no memento yet"


def test_the_changes_between_two_versions(content, published):
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content)}).test_client()
    body = client.get(f"/v1/guidance/versions/2021-02-01/changes/{published}").get_json()
    assert body["from"]["id"] == "2021-02-01" and body["to"]["id"] == published.isoformat()
    assert body["sections"]["added"] == [{"id": "generative-ai", "title": "Generative AI"}]
    assert body["sections"]["removed"] == [] and body["reminders"] == {"added": [], "removed": [], "changed": []}
    changed = body["responsibilities"]["changed"]
    assert [c["id"] for c in changed] == ["controversial-issue"]
    assert {"op": "delete", "text": "politically "} in changed[0]["diff"]
    assert "<del>" in changed[0]["html"] and "<ins>" in changed[0]["html"]
    html = client.get(f"/v1/guidance/versions/2021-02-01/changes/{published}?lang=cy&format=html").get_data(
        as_text=True
    )
    assert html.startswith('<div class="app-guidance-changes" lang="cy">')
    assert "Deallusrwydd artiffisial cynhyrchiol" in html and "<ins>" in html and "Adrannau" in html


def test_changes_need_two_real_versions(content):
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content)}).test_client()
    assert_problem(client.get("/v1/guidance/versions/2021-02-01/changes/2030-01-01"), 404, "unknown-version")


def test_a_second_version_on_the_same_date_is_refused(content, published):
    result = run(content, "new-version", "--effective", published.isoformat(), "--note-en", "x", "--note-cy", "y")
    assert result.exit_code != 0
    assert "already takes effect" in result.output


def test_a_new_version_must_be_in_the_future(content):
    result = run(content, "new-version", "--effective", "2021-03-01", "--note-en", "x", "--note-cy", "y")
    assert result.exit_code != 0 and "not in the future" in result.output


def test_changing_published_text_is_refused(content):
    edit(content / "2021-02-01" / "en.yaml", lambda d: d.update(title="Personal use of social media (edited)"))
    result = run(content, "validate")
    assert result.exit_code != 0
    assert "published text has changed" in result.output and "2021-02-01" in result.output


def test_validate_names_the_file_and_field_of_a_broken_version(content, published):
    edit(content / published.isoformat() / "cy.yaml", lambda d: d["sections"][0].pop("heading"))
    result = run(content, "validate")
    assert result.exit_code != 0
    assert "cy.yaml" in result.output and "sections.0.heading" in result.output


def test_validate_catches_misspelt_welsh_and_placeholder_links(content, published):
    def spoil(data):
        data["sections"][0]["blocks"][0]["paragraph"] = "Mae'r canllawiau yn bwysigg iawn. [Cod](#)"

    edit(content / published.isoformat() / "cy.yaml", spoil)
    output = run(content, "validate").output
    assert "bwysigg" in output
    assert "link '#'" in output


def test_the_repository_content_is_valid_and_sealed():
    result = CliRunner().invoke(guidance, ["validate"], env={"GUIDANCE_CONTENT_DIR": str(CONTENT)})
    assert result.exit_code == 0, result.output


def test_the_commands_run_through_flask_even_when_the_content_is_broken(content):
    (content / "2021-02-01" / "cy.yaml").write_text("language: cy\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "guidance", "validate"],
        env={**os.environ, "GUIDANCE_CONTENT_DIR": str(content)},
        cwd=CONTENT.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "cy.yaml" in result.stderr and "Traceback" not in result.stderr


def test_notes_may_come_later_but_validate_wants_them(content):
    effective = (today() + timedelta(days=10)).isoformat()
    assert run(content, "new-version", "--effective", effective).exit_code == 0
    result = run(content, "validate")
    assert result.exit_code != 0
    assert "change_note: still to be written" in result.output and "cy.yaml" in result.output
