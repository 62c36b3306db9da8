"""History that cannot be rewritten: withdrawals only from today on and once, announced until they are in
force, and ``validate`` failing on published history edited by hand rather than by the commands."""

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app import create_app
from app.editor import publishing
from app.guidance import negotiation
from app.guidance.negotiation import WALES, today
from tests.conftest import UNLIMITED
from tests.editor import commands
from tests.editor.commands import edit, run
from tests.servers import ROOT, gunicorn

REASONS = {
    "en": "Replaced by the Civil Service social media policy.",
    "cy": "Polisi cyfryngau cymdeithasol y Gwasanaeth Sifil sydd wedi cymryd ei le.",
}


@pytest.fixture()
def clock(monkeypatch):
    """Set the moment it is, as the app, the commands and the store see it (``today`` is its day in Wales)."""

    def set_to(moment: datetime):
        class Fixed(datetime):
            @classmethod
            def now(cls, tz=None):
                return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

        monkeypatch.setattr(negotiation, "datetime", Fixed)

    return set_to


def in_wales(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), WALES)


def withdraw(content, effective, *version, reasons=REASONS):
    return commands.withdraw(content, effective, *version, reasons=reasons)


def ledger_lines(content):
    return (content / "ledger.jsonl").read_text(encoding="utf-8").splitlines()


def refused(result, *words):
    """The command failed as the others do: one line naming the problem, a non-zero exit, no traceback."""
    assert result.exit_code != 0
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def validate_fails_naming(content, *words):
    result = run(content, "validate")
    assert result.exit_code != 0 and "problem(s) found." in result.output and "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


# Refusals


@pytest.mark.parametrize(
    "version, effective, words",
    [
        (("2021-02-01",), date(2021, 1, 1), ["2021-01-01 is before version 2021-02-01 is in force (from 2021-02-01)"]),
        ((), date(2021, 1, 1), ["2021-01-01 is before the guidance is in force (from 2021-02-01)"]),
        (("2021-02-01",), date(2024, 1, 1), ["2024-01-01 is in the past", "today or a later date"]),
        ((), today() - timedelta(days=1), ["is in the past"]),
    ],
    ids=["before-the-version", "before-the-guidance", "in-the-past", "yesterday"],
)
def test_withdraw_refuses_a_day_that_would_change_the_past(content, version, effective, words):
    before = {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}
    refused(withdraw(content, effective, *version), *words)
    assert {path: path.read_bytes() for path in content.rglob("*") if path.is_file()} == before
    assert not (content / "guidance.yaml").exists()


def test_withdraw_refuses_a_day_before_a_scheduled_version_takes_effect(content):
    effective = today() + timedelta(days=30)
    created = run(content, "new-version", "--effective", effective.isoformat(), "--note-en", "x", "--note-cy", "y")
    assert created.exit_code == 0
    early = today() + timedelta(days=10)
    refused(withdraw(content, early, effective.isoformat()), f"is before version {effective} is in force")


def test_the_day_is_today_in_wales_not_in_utc(content, clock):
    clock(datetime(2027, 7, 1, 23, 30, tzinfo=UTC))  # already 2 July in Wales (BST)
    refused(withdraw(content, date(2027, 7, 1), "2021-02-01"), "today in Wales is 2027-07-02")
    assert withdraw(content, date(2027, 7, 2), "2021-02-01").exit_code == 0


@pytest.mark.parametrize("version", [("2021-02-01",), ()], ids=["a-version", "the-whole-guidance"])
def test_withdraw_refuses_to_replace_a_recorded_withdrawal(content, version):
    first = today() + timedelta(days=40)
    assert withdraw(content, first, *version).exit_code == 0
    recorded = ledger_lines(content)
    other = {"en": "Another reason.", "cy": "Rheswm arall."}
    again = withdraw(content, first + timedelta(days=5), *version, reasons=other)
    refused(again, f"already withdrawn from {first}", REASONS["en"], REASONS["cy"], "cannot be replaced")
    assert ledger_lines(content) == recorded
    assert run(content, "validate").exit_code == 0


def test_withdraw_refuses_a_withdrawal_written_by_hand(content):
    edit(
        content / "2021-02-01" / "version.yaml",
        lambda d: d.update(withdrawn={"from": "2030-01-01", "reason": {"en": "By hand.", "cy": "Â llaw."}}),
    )
    refused(
        withdraw(content, today() + timedelta(days=3), "2021-02-01"), "already withdrawn from 2030-01-01", "By hand."
    )


# A withdrawal to come, and in force


def test_a_scheduled_withdrawal_is_announced_and_takes_effect_at_midnight_in_wales(content, clock):
    """Like tests/guidance/test_store.py's version scheduled for tomorrow: the same app, no restart."""
    effective = today() + timedelta(days=20)
    result = withdraw(content, effective, "2021-02-01")
    assert result.exit_code == 0, result.output
    version_yaml = (content / "2021-02-01" / "version.yaml").read_text(encoding="utf-8")
    assert version_yaml.startswith("# The first dated version"), "the file keeps what it said"
    assert run(content, "validate").exit_code == 0
    assert "withdrawal scheduled from " + effective.isoformat() in run(content, "list").output
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client()
    deprecation = f"@{int(in_wales(effective, 0).timestamp())}"

    clock(in_wales(effective - timedelta(days=1), 23, 59))
    response = client.get("/v1/guidance")
    version = response.get_json()["version"]
    assert version["id"] == "2021-02-01" and version["status"] == "current" and version["withdrawn"] is None
    assert version["withdrawal_scheduled"] == {"from": effective.isoformat(), "reason": REASONS["en"]}
    assert response.headers["Deprecation"] == deprecation
    welsh = client.get("/v1/guidance/versions?lang=cy").get_json()["versions"][0]
    assert welsh["withdrawal_scheduled"] == {"from": effective.isoformat(), "reason": REASONS["cy"]}
    both = client.get("/v1/reminders?lang=cy,en").get_json()
    assert [both[lang]["version"]["withdrawal_scheduled"]["reason"] for lang in ("cy", "en")] == [
        REASONS["cy"],
        REASONS["en"],
    ]
    dated = client.get("/v1/guidance/versions/2021-02-01?format=html")
    assert dated.headers["Deprecation"] == deprecation
    assert client.get("/v1/guidance/sections/introduction").status_code == 200

    clock(in_wales(effective, 0, 1))
    response = client.get("/v1/guidance?lang=cy")
    version = response.get_json()["version"]
    assert version["status"] == "withdrawn" and version["withdrawal_scheduled"] is None
    assert version["withdrawn"] == {"from": effective.isoformat(), "reason": REASONS["cy"]}
    assert response.headers["Deprecation"] == deprecation
    assert client.get("/v1/guidance?date=2022-01-01").get_json()["version"]["status"] == "withdrawn"
    assert "withdrawn from " + effective.isoformat() in run(content, "list").output


def test_a_scheduled_withdrawal_of_the_whole_guidance(content, clock):
    effective = today() + timedelta(days=3)
    reasons = {"en": "No longer needed.", "cy": "Nid oes ei angen mwyach."}
    assert withdraw(content, effective, reasons=reasons).exit_code == 0
    assert (content / "guidance.yaml").is_file()
    assert run(content, "validate").exit_code == 0
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client()
    body = client.get("/v1/reminders").get_json()
    assert body["version"]["status"] == "current"
    assert body["version"]["withdrawal_scheduled"] == {"from": effective.isoformat(), "reason": "No longer needed."}
    clock(in_wales(effective, 9))
    body = client.get("/v1/guidance").get_json()
    assert body["version"]["status"] == "withdrawn"
    assert body["version"]["withdrawn"]["reason"] == "No longer needed."


def test_a_withdrawal_from_today_is_in_force_at_once(content):
    assert withdraw(content, today(), "2021-02-01").exit_code == 0
    client = create_app({"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}).test_client()
    version = client.get("/v1/guidance/versions/2021-02-01").get_json()["version"]
    assert version["status"] == "withdrawn" and version["withdrawal_scheduled"] is None


@pytest.mark.slow
def test_the_guidance_command_lists_a_scheduled_withdrawal_in_both_languages(content):
    effective = today() + timedelta(days=20)
    assert withdraw(content, effective, "2021-02-01").exit_code == 0
    with gunicorn("--workers", "1", env={"GUIDANCE_CONTENT_DIR": str(content), **UNLIMITED}) as base:

        def versions(*args):
            return subprocess.run(
                [str(Path(sys.executable).parent / "guidance"), "versions", *args],
                env={"PATH": os.environ["PATH"], "GUIDANCE_API_URL": base},
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout

        assert f"current  to be withdrawn from {effective}: {REASONS['en']}" in versions()
        assert f"cyfredol  i'w thynnu'n ôl o {effective}: {REASONS['cy']}" in versions("--lang", "cy")
        listed = json.loads(versions("--format", "json").splitlines()[0])
        assert listed["withdrawal_scheduled"] == {"from": effective.isoformat(), "reason": REASONS["en"]}


# History edited by hand


def test_the_real_history_is_recorded_in_the_ledger():
    """It validates too: tests/editor/test_publishing.py runs validate on it. Its Welsh was corrected once."""
    events = [json.loads(line) for line in ledger_lines(ROOT / "content")]
    assert [(e["event"], e["version"]) for e in events] == [("published", "2021-02-01"), ("corrected", "2021-02-01")]


@pytest.fixture()
def two_published(content, clock):
    """The real version and a revision, both published with the commands: new-version, then seal on its day."""
    effective = today() + timedelta(days=30)
    created = run(
        content, "new-version", "--effective", effective.isoformat(), "--note-en", "Revised.", "--note-cy", "Diwygiwyd."
    )
    assert created.exit_code == 0
    clock(in_wales(effective, 8))
    sealed = run(content, "seal")
    assert sealed.exit_code == 0 and f"Sealed: {effective}." in sealed.output
    assert run(content, "validate").exit_code == 0
    return effective


def test_a_history_made_by_the_commands_is_valid_and_chained(content, two_published, clock):
    assert withdraw(content, two_published + timedelta(days=1), "2021-02-01").exit_code == 0
    assert run(content, "seal").output.strip() == "Nothing new to seal."
    events = [json.loads(line) for line in ledger_lines(content)]
    assert [(e["event"], e["version"]) for e in events] == [
        ("published", "2021-02-01"),
        ("corrected", "2021-02-01"),
        ("published", two_published.isoformat()),
        ("withdrawn", "2021-02-01"),
    ]
    assert [e["previous"] for e in events] == [None] + [e["hash"] for e in events[:-1]]
    result = run(content, "validate")
    assert result.exit_code == 0, result.output


def test_editing_published_welsh_text(content):
    edit(content / "2021-02-01" / "cy.yaml", lambda d: d.update(title=d["title"] + " (golygwyd)"))
    # Line 2 is the correction that sealed the Welsh again.
    validate_fails_naming(content, f"{content / '2021-02-01' / 'cy.yaml'}: published text has changed", "ledger line 2")


def test_moving_a_published_date(content):
    edit(content / "2021-02-01" / "version.yaml", lambda d: d.update(effective_from=date(2021, 1, 15)))
    validate_fails_naming(
        content, "version.yaml: effective_from changed from 2021-02-01 to 2021-01-15 after publication"
    )


def test_removing_a_published_version(content, two_published):
    shutil.rmtree(content / "2021-02-01")
    validate_fails_naming(content, f"{content / '2021-02-01'}: published (ledger line 1) but gone")


def test_renaming_a_published_version(content, two_published):
    (content / two_published.isoformat()).rename(content / "revision")
    validate_fails_naming(
        content,
        f"{content / two_published.isoformat()}: published (ledger line 3) but gone",
        f"{content / 'revision'}: takes effect on {two_published}",
    )


def test_adding_a_version_to_the_past_by_hand(content):
    folder = content / "2024-01-01"
    shutil.copytree(content / "2021-02-01", folder)
    (folder / "version.yaml").write_text("effective_from: 2024-01-01\n", encoding="utf-8")
    words = ["2024-01-01: takes effect on 2024-01-01, before the last seal (2026-12-02)"]
    validate_fails_naming(content, *words)
    refused(run(content, "seal"), *words)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda w: w.update({"from": date.fromordinal(w["from"].toordinal() + 7)}), ["withdrawn.from changed from"]),
        (lambda w: w["reason"].update(cy="Rheswm newydd."), ["withdrawn.reason.cy changed", REASONS["cy"]]),
        (lambda w: w.clear(), ["was removed; it cannot be undone"]),
    ],
    ids=["moved", "reason-replaced", "removed"],
)
def test_changing_a_recorded_withdrawal(content, change, words):
    effective = today() + timedelta(days=10)
    assert withdraw(content, effective, "2021-02-01").exit_code == 0

    def rewrite(data):
        change(data["withdrawn"])
        if not data["withdrawn"]:
            del data["withdrawn"]

    edit(content / "2021-02-01" / "version.yaml", rewrite)
    validate_fails_naming(content, str(content / "2021-02-01" / "version.yaml"), "ledger line 3", *words)


def test_a_withdrawal_written_by_hand(content):
    (content / "guidance.yaml").write_text(
        "withdrawn:\n  from: 2030-01-01\n  reason: {en: By hand., cy: Â llaw.}\n", encoding="utf-8"
    )
    validate_fails_naming(content, f"{content / 'guidance.yaml'}: withdrawn from 2030-01-01, but not in the ledger")


def test_editing_a_line_of_the_ledger(content):
    path = content / "ledger.jsonl"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"recorded": "2026-12-02"', '"recorded": "2026-11-01"'),
        encoding="utf-8",
    )
    validate_fails_naming(content, f"{path}: line 1: edited by hand")


def test_removing_a_line_of_the_ledger(content, two_published):
    path = content / "ledger.jsonl"
    path.write_text(ledger_lines(content)[-1] + "\n", encoding="utf-8")  # only the revision's seal
    output = validate_fails_naming(content, f"{path}: line 1: does not follow the line before it")
    assert "2021-02-01: takes effect on 2021-02-01, before the last seal" in output


def test_a_malformed_line_of_the_ledger(content):
    path = content / "ledger.jsonl"
    event = json.loads(ledger_lines(content)[0])
    del event["sha256"]
    path.write_text(json.dumps(event) + "\n", encoding="utf-8")
    validate_fails_naming(content, f"{path}: line 1:", "exactly: effective_from, sha256")
    refused(withdraw(content, today() + timedelta(days=2), "2021-02-01"), "Put the ledger back")


# The ledger's start, from the seals kept before it


def sealed_before_the_ledger(content):
    """The content as it was before the ledger: sealed in published.json, with no correction (they need the ledger)."""
    (content / "ledger.jsonl").unlink()
    edit(content / "2021-02-01" / "version.yaml", lambda meta: meta.pop("corrections"))
    seal = publishing.legacy_fingerprint(content / "2021-02-01")
    (content / "published.json").write_text(json.dumps({"2021-02-01": seal}, indent=2) + "\n", encoding="utf-8")


def test_start_ledger_records_a_history_sealed_before_the_ledger(content):
    sealed_before_the_ledger(content)
    validate_fails_naming(content, "published.json: seals from before the ledger: run 'guidance start-ledger'")
    refused(run(content, "seal"), "run 'guidance start-ledger' first")
    result = run(content, "start-ledger")
    assert result.exit_code == 0 and "published 2021-02-01" in result.output
    assert not (content / "published.json").exists()
    assert run(content, "validate").exit_code == 0
    refused(run(content, "start-ledger"), "already started")


def test_start_ledger_refuses_text_changed_since_its_old_seal(content):
    sealed_before_the_ledger(content)
    edit(content / "2021-02-01" / "en.yaml", lambda d: d.update(title="Edited"))
    refused(run(content, "start-ledger"), "published text has changed since it was sealed in published.json")
    assert not (content / "ledger.jsonl").exists()
