"""The life of a guidance version, for editors: start one, seal what is published, correct a published
translation, check it all, list it.

Plain functions over a content directory; ``app/cli.py`` puts them on the command line.
"""

import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import yaml

from app.editor import ledger, proofing
from app.guidance import markup
from app.guidance.content import ContentError, load_library
from app.guidance.schemas import GuidanceMetaSchema, VersionMetaSchema

# Where seals were kept before the ledger; ``guidance start-ledger`` replaces it.
LEGACY_SEALS = "published.json"
# What ``withdraw`` starts guidance.yaml with, when the whole guidance is first withdrawn.
GUIDANCE_HEADER = "# What is true of the guidance as a whole, across its versions.\n"
# What installs the editors' tools, Welsh proofing included, from the locked versions (the README's first command).
EDITOR_INSTALL = (
    ".venv/bin/pip install --require-hashes -r requirements/editor.txt && .venv/bin/pip install --no-deps -e ."
)
# What a new version's change note says until an editor writes it; validate refuses to pass it.
PLACEHOLDER_NOTES = {"en": "Change note still to be written.", "cy": "Mae'r nodyn newid heb ei ysgrifennu eto."}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "cy": [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
}


class PublishingError(Exception):
    """Something an editor must put right; the message says what and where."""


def legacy_fingerprint(folder: Path) -> str:
    """The hash ``published.json`` kept of a version: its date and its text in both languages."""
    meta = yaml.safe_load((folder / "version.yaml").read_text(encoding="utf-8"))
    digest = hashlib.sha256(str(meta["effective_from"]).encode())
    for name in ledger.SEALED_FILES:
        digest.update(b"\0" + name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


def sound_ledger(root: Path) -> list[ledger.Entry]:
    """The ledger's events; a command refuses to add to a ledger that was edited by hand, or to old seals."""
    if (root / LEGACY_SEALS).is_file():
        raise PublishingError(
            f"{root / LEGACY_SEALS}: seals from before the ledger: run 'guidance start-ledger' first."
        )
    entries, found = ledger.read(root)
    if found:
        raise PublishingError(f"{found[0]} Put the ledger back as the commands wrote it (see 'guidance validate').")
    return entries


def seal(content_dir: str | Path, today: date) -> list[str]:
    """Record every version in force by ``today`` that is not yet in the ledger as published; return their ids."""
    root = Path(content_dir)
    library = load_library(root)
    entries = sound_ledger(root)
    events = []
    for version, problem in unsealed(root, library, entries, today):
        if problem:
            raise PublishingError(problem)
        events.append(ledger.published(version.id, version.effective_from, root / version.id, today))
    ledger.append(root, events)
    return [event["version"] for event in events]


def unsealed(root, library, entries, today):
    """The versions in force but not yet sealed, each with why it cannot be (None if it can).

    A version is only ever made for a future date, so one that took effect before the last seal was
    recorded was added to the past by hand, rewriting what was in force then."""
    sealed = {e.event["version"] for e in entries if e.event["event"] == "published"}
    last_seal = max((e.event["recorded"] for e in entries if e.event["event"] == "published"), default=None)
    found = []
    for version in library.published(today):
        if version.id in sealed:
            continue
        problem = None
        if last_seal and version.effective_from <= last_seal:
            problem = (
                f"{root / version.id}: takes effect on {version.effective_from}, before the last seal ({last_seal}): "
                "a version cannot be added to published history; start one with 'guidance new-version'."
            )
        found.append((version, problem))
    return found


def start_ledger(content_dir: str | Path, today: date) -> list[str]:
    """Write the first ledger of a history published before there was one, and retire ``published.json``.

    Every version in force, and every withdrawal the files record, goes in; a version whose text no
    longer matches its seal in ``published.json`` is refused, so a changed history is not blessed."""
    root = Path(content_dir)
    if (root / ledger.LEDGER).exists():
        raise PublishingError(f"{root / ledger.LEDGER}: already started; the commands add to it.")
    library = load_library(root)
    legacy = root / LEGACY_SEALS
    seals = json.loads(legacy.read_text(encoding="utf-8")) if legacy.is_file() else {}
    events = []
    for version in library.published(today):
        if version.id in seals and seals[version.id] != legacy_fingerprint(root / version.id):
            raise PublishingError(
                f"{root / version.id}: published text has changed since it was sealed in {LEGACY_SEALS}: "
                "undo the change before starting the ledger."
            )
        events.append(ledger.published(version.id, version.effective_from, root / version.id, today))
    for target, (_, withdrawal) in recorded_withdrawals(root, library).items():
        if withdrawal:
            events.append(ledger.withdrawn(target, withdrawal, today))
    ledger.append(root, events)
    legacy.unlink(missing_ok=True)
    return [f"{e['event']} {e['version'] or 'the whole guidance'}" for e in events]


def recorded_withdrawals(root: Path, library) -> dict[str | None, tuple[Path, dict | None]]:
    """The withdrawal each file records, by version id (None: ``guidance.yaml``, the whole guidance)."""
    found = {}
    guidance_file = root / "guidance.yaml"
    meta = yaml.safe_load(guidance_file.read_text(encoding="utf-8")) if guidance_file.is_file() else {}
    found[None] = (guidance_file, GuidanceMetaSchema().load(meta)["withdrawn"])
    for version in library.versions:
        path = root / version.id / "version.yaml"
        found[version.id] = (
            path,
            VersionMetaSchema().load(yaml.safe_load(path.read_text(encoding="utf-8")))["withdrawn"],
        )
    return found


def _set_scalar(path, key, value):
    """Replace one top-level ``key: value`` line of a YAML file, keeping its comments and layout."""
    text = path.read_text(encoding="utf-8")
    line = yaml.safe_dump({key: value}, allow_unicode=True, width=10_000).strip()
    pattern = re.compile(rf"^{key}:.*(?:\n[ \t]+.*)*", re.MULTILINE)
    if not pattern.search(text):
        raise PublishingError(f"{path}: no '{key}' to replace.")
    path.write_text(pattern.sub(lambda _: line, text, count=1), encoding="utf-8")


def new_version(
    content_dir: str | Path,
    effective: date,
    source: str | None = None,
    notes: dict[str, str] | None = None,
    today: date | None = None,
) -> Path:
    """Start a version taking effect on ``effective`` as a copy of ``source`` (default: the latest)."""
    root = Path(content_dir)
    library = load_library(root)
    if any(v.effective_from == effective for v in library.versions):
        raise PublishingError(f"A version already takes effect on {effective.isoformat()}.")
    if today and effective <= today:
        raise PublishingError(f"{effective.isoformat()} is not in the future: a new version must be scheduled.")
    origin = library.get(source) if source else library.versions[-1]
    target = root / effective.isoformat()
    shutil.copytree(root / origin.id, target)
    (target / "version.yaml").write_text(
        f"# Takes effect on {effective.isoformat()}; started from version {origin.id}.\n"
        f"effective_from: {effective.isoformat()}\n",
        encoding="utf-8",
    )
    for language in ("en", "cy"):
        path = target / f"{language}.yaml"
        _set_scalar(path, "label", f"{MONTHS[language][effective.month - 1]} {effective.year}")
        _set_scalar(path, "change_note", (notes or {}).get(language) or PLACEHOLDER_NOTES[language])
    return target


def withdraw(
    content_dir: str | Path, effective: date, reasons: dict[str, str], version_id: str | None, today: date
) -> Path:
    """Record one version, or the whole guidance, withdrawn from a date, with a reason in both languages.

    History only grows: the date is today or later and not before what it withdraws is in force, and a
    withdrawal once recorded is never replaced. It goes in the file the app reads and in the ledger."""
    root = Path(content_dir)
    library = load_library(root)
    entries = sound_ledger(root)
    what = f"version {version_id}" if version_id else "the guidance"
    start = library.get(version_id).effective_from if version_id else library.versions[0].effective_from
    if effective < start:
        raise PublishingError(f"{effective} is before {what} is in force (from {start}): it cannot be withdrawn then.")
    if effective < today:
        raise PublishingError(
            f"{effective} is in the past (today in Wales is {today}): a withdrawal cannot change what was "
            "in force; choose today or a later date."
        )
    path, in_file = recorded_withdrawals(root, library)[version_id]
    in_ledger = [
        e.event["withdrawn"] for e in entries if e.event["event"] == "withdrawn" and e.event["version"] == version_id
    ]
    earlier = (in_ledger or [in_file])[0]
    if earlier:
        raise PublishingError(
            f"{what[0].upper() + what[1:]} is already withdrawn from {earlier['effective_from']} ({path}), because: "
            f'"{earlier["reason"]["en"]}" / "{earlier["reason"]["cy"]}". A recorded withdrawal cannot be replaced.'
        )
    withdrawal = {"effective_from": effective, "reason": {"en": reasons["en"], "cy": reasons["cy"]}}
    written = {"from": effective, "reason": withdrawal["reason"]}
    text = path.read_text(encoding="utf-8") if path.is_file() else GUIDANCE_HEADER
    if re.search(r"^withdrawn:", text, re.MULTILINE):
        _set_scalar(path, "withdrawn", written)
    else:
        block = yaml.safe_dump({"withdrawn": written}, allow_unicode=True, sort_keys=False, width=10_000)
        note = f"# Withdrawn with 'guidance withdraw' on {today}; recorded in {ledger.LEDGER}. It stays readable by date.\n"
        path.write_text(text.rstrip("\n") + "\n" + note + block, encoding="utf-8")
    ledger.append(root, [ledger.withdrawn(version_id, withdrawal, today)])
    return path


def history_problems(root: Path, library, today: date) -> list[str]:
    """Published history rewritten by hand: the ledger edited, or the content no longer what the ledger records."""
    if (root / LEGACY_SEALS).is_file():
        return [f"{root / LEGACY_SEALS}: seals from before the ledger: run 'guidance start-ledger'."]
    entries, found = ledger.read(root)
    versions = {v.id: v for v in library.versions}
    sealed = sealed_text(entries)
    first_line, withdrawals, corrections = {}, {}, {}
    for entry in entries:
        event, at = entry.event, f"ledger line {entry.line}"
        kind, target = event["event"], event["version"]
        if kind == "corrected":
            if ("published", target) not in first_line:
                found.append(
                    f"{root / ledger.LEDGER}: line {entry.line}: corrects version {target}, which was not published "
                    "before it: only published text is corrected."
                )
            corrections.setdefault(target, []).append(entry)
            continue
        if (kind, target) in first_line:
            found.append(
                f"{root / ledger.LEDGER}: line {entry.line}: {_named(target)} was already {kind} at line "
                f"{first_line[kind, target]}; it happens once."
            )
            continue
        first_line[kind, target] = entry.line
        if kind == "withdrawn":
            withdrawals[target] = entry
            continue
        folder = root / target
        if target not in versions:
            found.append(f"{folder}: published ({at}) but gone: a published version cannot be removed; put it back.")
            continue
        if versions[target].effective_from != event["effective_from"]:
            found.append(
                f"{folder / 'version.yaml'}: effective_from changed from {event['effective_from']} to "
                f"{versions[target].effective_from} after publication ({at}): published dates cannot change."
            )
        for name, digest in ledger.file_hashes(folder).items():
            recorded, line = sealed[target][name]
            if digest != recorded:
                found.append(
                    f"{folder / name}: published text has changed since it was sealed (ledger line {line}); published "
                    "versions are immutable: undo the change, or publish a new version (a translation's mistake is "
                    "put right with 'guidance correct')."
                )
    for version, problem in unsealed(root, library, entries, today):
        found.append(
            problem
            or f"{root / version.id}: in force since {version.effective_from} but not sealed: run 'guidance seal'."
        )
    for target, (path, withdrawal) in recorded_withdrawals(root, library).items():
        entry = withdrawals.pop(target, None)
        found += _withdrawal_changes(path, withdrawal, entry)
    for target, entry in withdrawals.items():
        found.append(
            f"{root / ledger.LEDGER}: line {entry.line} withdraws {_named(target)}, which is gone from the content."
        )
    for version in library.versions:
        found += _correction_changes(
            root / version.id / "version.yaml", version.corrections, corrections.get(version.id, [])
        )
    return found


def sealed_text(entries: list[ledger.Entry]) -> dict[str, dict[str, tuple[str, int]]]:
    """Each published version's text as the ledger last recorded it: for each sealed file, its SHA-256 and the line
    that recorded it, from the version's ``published`` event or a later ``corrected`` one."""
    sealed = {}
    for entry in entries:
        kind, target = entry.event["event"], entry.event["version"]
        recorded = {name: (digest, entry.line) for name, digest in entry.event.get("sha256", {}).items()}
        if kind == "published" and target not in sealed:
            sealed[target] = recorded
        elif kind == "corrected" and target in sealed:
            sealed[target].update(recorded)
    return sealed


def _correction_changes(path, in_file, entries):
    """How a version.yaml's corrections differ from those the ledger records for the version, in order."""
    found = []
    for index, entry in enumerate(entries):
        recorded, at = entry.event["corrected"], f"ledger line {entry.line}"
        if index >= len(in_file):
            found.append(f"{path}: the correction of {recorded['date']} ({at}) was removed; it stays in the history.")
            continue
        written = in_file[index]
        if written["date"] != recorded["date"]:
            found.append(
                f"{path}: corrections.{index}.date changed from {recorded['date']} to {written['date']} after it was "
                f"recorded ({at})."
            )
        found += _reason_changes(f"{path}: corrections.{index}.reason", written["reason"], recorded["reason"], at)
    for written in in_file[len(entries) :]:
        found.append(f"{path}: a correction of {written['date']} is not in the ledger: use 'guidance correct'.")
    return found


def correct(
    content_dir: str | Path, version_id: str, languages: tuple[str, ...], reasons: dict[str, str], today: date
) -> Path:
    """Publish a correction of a published version's translation (``languages``: its Welsh, its English or both),
    already edited in its ``<language>.yaml``: dated today, with the reason in both languages, in version.yaml (which
    the app reads) and in the ledger with the files' new SHA-256, so that the version is sealed again.

    Only the files named may have changed since the version was sealed, and its date not at all: a correction puts
    a translation right, it does not revise the guidance (that is a new version)."""
    root = Path(content_dir)
    library = load_library(root)
    version = library.get(version_id)
    entries = sound_ledger(root)
    folder = root / version.id
    if any(not (reasons.get(language) or "").strip() for language in ("en", "cy")):
        raise PublishingError("Say why, in both languages: --reason-en and --reason-cy.")
    published = next(
        (e.event for e in entries if e.event["event"] == "published" and e.event["version"] == version.id), None
    )
    if published is None:
        raise PublishingError(
            f"{folder}: not published yet: edit it as you need; 'guidance seal' publishes it once it is in force."
        )
    if version.effective_from != published["effective_from"]:
        raise PublishingError(
            f"{folder / 'version.yaml'}: effective_from changed from {published['effective_from']} to "
            f"{version.effective_from}: a correction is of the text only; put the date back."
        )
    files = [f"{language}.yaml" for language in ("en", "cy") if language in languages]
    recorded = sealed_text(entries)[version.id]
    changed = [name for name, digest in ledger.file_hashes(folder).items() if digest != recorded[name][0]]
    for name in changed:
        if name not in files:
            raise PublishingError(
                f"{folder / name}: changed since it was sealed, but this corrects {' and '.join(files)} only: "
                f"undo the change to {name}, or correct it too (--language {name.removesuffix('.yaml')})."
            )
    for name in files:
        if name not in changed:
            raise PublishingError(f"{folder / name}: unchanged since it was sealed: correct it first, then run this.")
    try:
        proofing.tools()
    except ImportError:
        raise PublishingError(
            f"The Welsh cannot be proofed: it needs the editors' install ({EDITOR_INSTALL})."
        ) from None
    correction = {"date": today, "reason": {"en": reasons["en"].strip(), "cy": reasons["cy"].strip()}}
    found = text_problems(folder, version, proofs_welsh=True)
    found += [_issue_line("--reason-cy", issue) for issue in proofing.proof(correction["reason"]["cy"])]
    if found:
        raise PublishingError(f"{found[0]} ({len(found)} problem(s): see 'guidance validate').")
    _write_corrections(folder / "version.yaml", [*version.corrections, correction])
    ledger.append(root, [ledger.corrected(version.id, correction, folder, files, today)])
    return folder / "version.yaml"


def _write_corrections(path, corrections):
    """version.yaml's ``corrections:`` list, oldest first, keeping the rest of the file as it was."""
    items = "".join(
        "".join(
            f"  {line}\n"
            for line in yaml.safe_dump(
                [{"date": c["date"], "reason": dict(c["reason"])}], allow_unicode=True, sort_keys=False, width=10_000
            ).splitlines()
        )
        for c in corrections
    )
    block = "corrections:\n" + items
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"^corrections:.*\n(?:[ \t]+.*\n?)*", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        note = f"# Corrections of the published text, made with 'guidance correct'; recorded in {ledger.LEDGER}.\n"
        text = text.rstrip("\n") + "\n" + note + block
    path.write_text(text, encoding="utf-8")


def _named(target):
    return f"version {target}" if target else "the whole guidance"


def _withdrawal_changes(path, withdrawal, entry):
    """How a file's withdrawal differs from the one the ledger records for it."""
    recorded, at = (entry.event["withdrawn"], f"ledger line {entry.line}") if entry else (None, None)
    if recorded is None and withdrawal is None:
        return []
    if recorded is None:
        return [
            f"{path}: withdrawn from {withdrawal['effective_from']}, but not in the ledger: use 'guidance withdraw'."
        ]
    if withdrawal is None:
        return [f"{path}: the withdrawal from {recorded['effective_from']} ({at}) was removed; it cannot be undone."]
    found = []
    if withdrawal["effective_from"] != recorded["effective_from"]:
        found.append(
            f"{path}: withdrawn.from changed from {recorded['effective_from']} to {withdrawal['effective_from']} "
            f"after it was recorded ({at}): a recorded withdrawal cannot be moved."
        )
    return found + _reason_changes(f"{path}: withdrawn.reason", withdrawal["reason"], recorded["reason"], at)


def _reason_changes(field, written, recorded, at):
    """How a recorded reason (``{"en": ..., "cy": ...}``) was changed by hand, a line per language."""
    return [
        f'{field}.{language} changed after it was recorded ({at}); it was "{recorded[language]}".'
        for language in ("en", "cy")
        if written[language] != recorded[language]
    ]


def problems(content_dir: str | Path, today: date) -> list[str]:
    """Everything wrong with a content directory, as precise messages; an empty list means valid."""
    root = Path(content_dir)
    try:
        library = load_library(root)
    except ContentError as error:
        return [str(error)]
    found = []
    try:
        proofing.tools()
        proofs_welsh = True
    except ImportError:
        proofs_welsh = False
        found.append(
            f"The Welsh was not proofed: it needs the editors' install ({EDITOR_INSTALL}); all else was checked."
        )
    for version in library.versions:
        found += text_problems(root / version.id, version, proofs_welsh)
    return found + history_problems(root, library, today)


def text_problems(folder: Path, version, proofs_welsh: bool) -> list[str]:
    """What is wrong with one version's text: a link that is no full https address, Welsh misspelt or wrongly
    mutated (its text and its corrections' reasons, when it can be proofed here), a change note still to be written."""
    found = []
    for language in ("en", "cy"):
        document = yaml.safe_load((folder / f"{language}.yaml").read_text(encoding="utf-8"))
        for where, text in proofing.strings_in(document):
            for target in markup.link_targets(text):
                if not re.fullmatch(r"https://[^\s#]+(#[\w-]+)?", target or ""):
                    found.append(
                        f"{folder / (language + '.yaml')}: {where}: link '{target}' is not a full https address."
                    )
            if language == "cy" and proofs_welsh:
                found += [_issue_line(folder / "cy.yaml", issue) for issue in proofing.proof(text, where)]
    for index, correction in enumerate(version.corrections if proofs_welsh else ()):
        where = f"corrections.{index}.reason.cy"
        found += [
            _issue_line(folder / "version.yaml", issue) for issue in proofing.proof(correction["reason"]["cy"], where)
        ]
    for language in ("en", "cy"):
        if version.document(language)["change_note"] == PLACEHOLDER_NOTES[language]:
            found.append(f"{folder / (language + '.yaml')}: change_note: still to be written.")
    return found


def _issue_line(where, issue) -> str:
    suggestions = f" (suggest: {', '.join(issue.suggestions[:3])})" if issue.suggestions else ""
    return f"{where}: {issue.where + ': ' if issue.where else ''}{issue.kind} '{issue.word}'{suggestions}"


def describe_versions(content_dir: str | Path, today: date) -> list[str]:
    """One line a version: id, dates and state, for ``guidance list``."""
    library = load_library(content_dir)
    lines = []
    for version in library.versions:
        described = version.describe("en", today)
        until = described["effective_to"] or "-"
        withdrawal = ""
        if described["withdrawn"]:
            withdrawal = f"  withdrawn from {described['withdrawn']['from']}"
        elif described["withdrawal_scheduled"]:
            withdrawal = f"  withdrawal scheduled from {described['withdrawal_scheduled']['from']}"
        corrected = "".join(f"  corrected {c['date']}" for c in described["corrections"])
        lines.append(
            f"{version.id}  from {described['effective_from']}  to {until:10}  {described['status']}{withdrawal}"
            f"{corrected}"
        )
    return lines
