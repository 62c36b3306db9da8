"""The life of a guidance version, for editors: start one, seal what is published, check it all, list it.

Plain functions over a content directory; ``app/cli.py`` puts them on the command line.
"""

import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import yaml

from app.editor import proofing
from app.guidance import markup
from app.guidance.content import ContentError, load_library

SEALS = "published.json"
# What a new version's change note says until an editor writes it; validate refuses to pass it.
PLACEHOLDER_NOTES = {"en": "Change note still to be written.", "cy": "Mae'r nodyn newid heb ei ysgrifennu eto."}
# The published text; the check's rules (rules.yaml) may still be refined, so they are not sealed.
SEALED_FILES = ("en.yaml", "cy.yaml")
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


def fingerprint(folder: Path) -> str:
    """A hash of what a published version says: its date and its text in both languages."""
    meta = yaml.safe_load((folder / "version.yaml").read_text(encoding="utf-8"))
    digest = hashlib.sha256(str(meta["effective_from"]).encode())
    for name in SEALED_FILES:
        digest.update(b"\0" + name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


def read_seals(content_dir: str | Path) -> dict[str, str]:
    path = Path(content_dir) / SEALS
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def seal(content_dir: str | Path, today: date) -> list[str]:
    """Record the fingerprint of every version in force by ``today`` that has none yet; return their ids."""
    library = load_library(content_dir)
    seals = read_seals(content_dir)
    added = [v.id for v in library.published(today) if v.id not in seals]
    for version_id in added:
        seals[version_id] = fingerprint(Path(content_dir) / version_id)
    (Path(content_dir) / SEALS).write_text(json.dumps(dict(sorted(seals.items())), indent=2) + "\n", encoding="utf-8")
    return added


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


def withdraw(content_dir: str | Path, effective: date, reasons: dict[str, str], version_id: str | None = None) -> Path:
    """Mark one version, or the whole guidance, withdrawn from a date with a reason in both languages."""
    root = Path(content_dir)
    path = root / version_id / "version.yaml" if version_id else root / "guidance.yaml"
    if version_id:
        load_library(root).get(version_id)
    current = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    current["withdrawn"] = {"from": effective, "reason": {"en": reasons["en"], "cy": reasons["cy"]}}
    header = "# Withdrawn: the text stays readable by date, marked withdrawn.\n"
    path.write_text(header + yaml.safe_dump(current, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems(content_dir: str | Path, today: date) -> list[str]:
    """Everything wrong with a content directory, as precise messages; an empty list means valid."""
    root = Path(content_dir)
    try:
        library = load_library(root)
    except ContentError as error:
        return [str(error)]
    try:
        proofing.tools()
    except ImportError:
        return ["Welsh proofing needs cymraeg-mcp: pip install -e '.[editor]'"]
    found = []
    seals = read_seals(root)
    for version in library.versions:
        folder = root / version.id
        for language in ("en", "cy"):
            document = yaml.safe_load((folder / f"{language}.yaml").read_text(encoding="utf-8"))
            for where, text in proofing.strings_in(document):
                for target in markup.link_targets(text):
                    if not re.fullmatch(r"https://[^\s#]+(#[\w-]+)?", target or ""):
                        found.append(
                            f"{folder / (language + '.yaml')}: {where}: link '{target}' is not a full https address."
                        )
                if language == "cy":
                    for issue in proofing.proof(text, where):
                        found.append(
                            f"{folder / 'cy.yaml'}: {issue.where}: {issue.kind} '{issue.word}'"
                            + (f" (suggest: {', '.join(issue.suggestions[:3])})" if issue.suggestions else "")
                        )
        for language in ("en", "cy"):
            if version.document(language)["change_note"] == PLACEHOLDER_NOTES[language]:
                found.append(f"{folder / (language + '.yaml')}: change_note: still to be written.")
        if version.effective_from <= today:
            if version.id not in seals:
                found.append(f"{folder}: in force since {version.effective_from} but not sealed: run 'guidance seal'.")
            elif seals[version.id] != fingerprint(folder):
                found.append(
                    f"{folder}: published text has changed since it was sealed; published versions are "
                    "immutable: undo the change, or publish a new version."
                )
    return found


def describe_versions(content_dir: str | Path, today: date) -> list[str]:
    """One line a version: id, dates and state, for ``guidance list``."""
    library = load_library(content_dir)
    lines = []
    for version in library.versions:
        described = version.describe("en", today)
        until = described["effective_to"] or "-"
        withdrawn = f"  withdrawn from {described['withdrawn']['from']}" if described["withdrawn"] else ""
        lines.append(
            f"{version.id}  from {described['effective_from']}  to {until:10}  {described['status']}{withdrawn}"
        )
    return lines
