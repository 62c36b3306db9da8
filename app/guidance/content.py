"""Guidance content: load every dated version from disk, validate it, render it.

A content directory holds one folder per version, named by its id, with a
``version.yaml`` (dates) and one ``<lang>.yaml`` per language. Everything is
validated and rendered once, when the library is loaded; requests only look up.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from marshmallow import ValidationError

from app.check.engine import Ruleset
from app.check.schemas import LexiconSchema, RulesSchema
from app.edge.problems import NoVersionInForce, UnknownReminder, UnknownSection, UnknownVersion
from app.guidance import fragments, markup
from app.guidance.schemas import LANGUAGES, GuidanceMetaSchema, LanguageContentSchema, VersionMetaSchema

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_CONTENT = PROJECT_ROOT / "content"
# The folder of lexicons the versions share, beside the versions' own folders.
LEXICONS = "lexicons"


class ContentError(Exception):
    """Content that must not be served: the message names the file and the field."""


@dataclass(frozen=True, eq=False)
class Version:
    """One dated version of the guidance, rendered in every language."""

    id: str
    effective_from: date
    effective_to: date | None
    documents: dict = field(repr=False)
    rules: Ruleset = field(repr=False)
    withdrawal: dict | None = None  # the version's own, or the whole guidance's, whichever is earlier
    # Corrections of its published translation, oldest first: {"date": date, "reason": {"en": str, "cy": str}}.
    corrections: tuple = ()

    def withdrawn(self, today: date) -> dict | None:
        """The withdrawal in force on ``today``, if any: its date and reason."""
        if self.withdrawal and self.withdrawal["effective_from"] <= today:
            return self.withdrawal
        return None

    def withdrawal_scheduled(self, today: date) -> dict | None:
        """The withdrawal recorded for a later day, if any: until then the version is in force as before."""
        if self.withdrawal and self.withdrawal["effective_from"] > today:
            return self.withdrawal
        return None

    def document(self, language: str) -> dict:
        return self.documents[language]

    def status(self, today: date) -> str:
        if self.withdrawn(today):
            return "withdrawn"
        if self.effective_from > today:
            return "scheduled"
        if self.effective_to is not None and self.effective_to < today:
            return "superseded"
        return "current"

    def describe(self, language: str, today: date) -> dict:
        """The version block of a response: dates, label, state and the corrections of its text."""
        return {
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "label": self.documents[language]["label"],
            "status": self.status(today),
            "withdrawn": _withdrawal_block(self.withdrawn(today), language),
            "withdrawal_scheduled": _withdrawal_block(self.withdrawal_scheduled(today), language),
            "corrections": [
                {"date": correction["date"].isoformat(), "reason": correction["reason"][language]}
                for correction in self.corrections
            ],
        }

    def section(self, language: str, section_id: str) -> dict:
        for section in self.documents[language]["sections"]:
            if section["id"] == section_id:
                return section
        known = ", ".join(s["id"] for s in self.documents[language]["sections"])
        raise UnknownSection(section=section_id, known=known)

    def reminder(self, language: str, reminder_id: str) -> dict:
        for reminder in self.documents[language]["reminders"]:
            if reminder["id"] == reminder_id:
                return reminder
        known = ", ".join(r["id"] for r in self.documents[language]["reminders"])
        raise UnknownReminder(reminder=reminder_id, known=known)


def _withdrawal_block(withdrawal, language):
    if not withdrawal:
        return None
    return {"from": withdrawal["effective_from"].isoformat(), "reason": withdrawal["reason"][language]}


class Library:
    """Every version of the guidance, oldest first, and the rules for choosing one."""

    def __init__(self, versions):
        self.versions = tuple(sorted(versions, key=lambda v: v.effective_from))
        self._by_id = {v.id: v for v in self.versions}

    def get(self, version_id: str) -> Version:
        try:
            return self._by_id[version_id]
        except KeyError:
            raise UnknownVersion(version=version_id) from None

    def in_force_on(self, day: date) -> Version:
        """The version in force on ``day``: the latest to have taken effect by then."""
        chosen = None
        for version in self.versions:
            if version.effective_from <= day:
                chosen = version
        if chosen is None:
            raise NoVersionInForce(date=day.isoformat(), earliest=self.versions[0].effective_from.isoformat())
        return chosen

    def published(self, today: date) -> tuple[Version, ...]:
        """The versions that have taken effect by ``today``, oldest first (scheduled ones are not yet)."""
        return tuple(v for v in self.versions if v.effective_from <= today)

    def neighbours(self, version: Version) -> tuple[Version | None, Version | None]:
        """The versions just before and after ``version`` (None at either end)."""
        index = self.versions.index(version)
        before = self.versions[index - 1] if index > 0 else None
        after = self.versions[index + 1] if index + 1 < len(self.versions) else None
        return before, after


def load_library(content_dir: str | Path) -> Library:
    """Load, validate and render every version under ``content_dir``."""
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError(f"{root}: the guidance content directory does not exist.")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != LEXICONS)
    if not folders:
        raise ContentError(f"{root}: no guidance versions found.")
    shared = load_lexicons(root / LEXICONS)
    loaded = [_load_version(folder, shared) for folder in folders]
    guidance_path = root / "guidance.yaml"
    guidance = _validated(guidance_path, GuidanceMetaSchema()) if guidance_path.is_file() else {"withdrawn": None}
    dates = [meta["effective_from"] for _, meta, _, _ in loaded]
    for day in set(dates):
        if dates.count(day) > 1:
            clashing = ", ".join(folder.name for folder, meta, _, _ in loaded if meta["effective_from"] == day)
            raise ContentError(f"{root}: versions {clashing} take effect on the same date, {day.isoformat()}.")
    ordered = sorted(loaded, key=lambda item: item[1]["effective_from"])
    versions = []
    for index, (folder, meta, texts, rules) in enumerate(ordered):
        following = ordered[index + 1][1]["effective_from"] if index + 1 < len(ordered) else None
        versions.append(
            Version(
                id=folder.name,
                effective_from=meta["effective_from"],
                effective_to=following - timedelta(days=1) if following else None,
                documents={lang: render_document(texts[lang]) for lang in LANGUAGES},
                rules=Ruleset(rules),
                withdrawal=_earliest(meta["withdrawn"], guidance["withdrawn"]),
                corrections=tuple(meta["corrections"]),
            )
        )
    return Library(versions)


def _earliest(*withdrawals):
    present = [w for w in withdrawals if w]
    return min(present, key=lambda w: w["effective_from"]) if present else None


def load_lexicons(folder: Path) -> dict[str, dict]:
    """The lexicons every version's rules share, one file each (``content/lexicons/NAME.yaml``)."""
    if not folder.is_dir():
        return {}
    return {path.stem: _validated(path, LexiconSchema()) for path in sorted(folder.glob("*.yaml"))}


def _load_version(folder, shared_lexicons):
    meta = _validated(folder / "version.yaml", VersionMetaSchema())
    texts = {}
    for language in LANGUAGES:
        path = folder / f"{language}.yaml"
        texts[language] = _validated(path, LanguageContentSchema())
        if texts[language]["language"] != language:
            raise ContentError(f"{path}: language: must be '{language}' to match the file name.")
    _check_twins(folder, texts)
    # A version's rules.yaml may override a shared lexicon, or add one of its own.
    rules = _validated(folder / "rules.yaml", RulesSchema(), defaults={"lexicons": shared_lexicons})
    sections = {s["id"] for s in texts["en"]["sections"]}
    for index, rule in enumerate(rules["rules"]):
        if rule["guidance"]["section"] not in sections:
            raise ContentError(f"{folder / 'rules.yaml'}: rules.{index}.guidance.section: no such section.")
    return folder, meta, texts, rules


def _validated(path, schema, defaults=None):
    """A YAML file loaded by a schema; ``defaults`` fill in, key by key, what the file leaves out."""
    if not path.is_file():
        raise ContentError(f"{path}: file is missing.")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: must be a mapping of fields.")
    for key, values in (defaults or {}).items():
        raw[key] = {**values, **raw.get(key, {})}
    try:
        return schema.load(raw)
    except ValidationError as error:
        raise ContentError(f"{path}: {format_errors(error.messages)}") from None


def format_errors(messages: dict | list, prefix: str = "") -> str:
    """Flatten marshmallow's nested messages into 'field.path: message' lines."""
    if isinstance(messages, list):
        return "; ".join(
            f"{prefix or 'value'}: {m}" if isinstance(m, str) else format_errors(m, prefix) for m in messages
        )
    return "; ".join(format_errors(value, f"{prefix}.{key}" if prefix else str(key)) for key, value in messages.items())


def _shape(text):
    """What must be the same in every language: ids and the order of blocks."""
    return {
        "core_values": [v["id"] for v in text["core_values"]],
        "references": [(r["id"], r["url"] is None) for r in text["references"]],
        "sections": [(s["id"], [next(iter(b)) for b in s["blocks"]]) for s in text["sections"]],
        "reminders": [(r["id"], r["reference"]) for r in text["reminders"]],
    }


def _check_twins(folder, texts):
    english = _shape(texts["en"])
    for language in LANGUAGES:
        theirs = _shape(texts[language])
        for part, expected in english.items():
            if theirs[part] != expected:
                raise ContentError(
                    f"{folder / (language + '.yaml')}: {part}: does not match en.yaml item for item "
                    "(every item needs its twin, with the same id, in every language)."
                )


def render_document(text: dict) -> dict:
    """The JSON-ready body of one version in one language, HTML and plain text side by side."""
    responsibilities = [
        {"id": r["id"], "text": markup.inline_text(r["text"]), "html": markup.inline_html(r["text"])}
        for r in text["responsibilities"]
    ]
    reminders = [
        {
            "id": r["id"],
            "title": r["title"],
            "text": markup.inline_text(r["text"]),
            "html": markup.inline_html(r["text"]),
        }
        for r in text["reminders"]
    ]
    lists = {"responsibilities": responsibilities, "reminders": reminders}
    return {
        "language": text["language"],
        "title": text["title"],
        "label": text["label"],
        "change_note": text["change_note"],
        "summary": {"text": markup.inline_text(text["summary"]), "html": markup.inline_html(text["summary"])},
        "core_values": text["core_values"],
        "sections": [_render_section(section, lists) for section in text["sections"]],
        "reminders_heading": next(s["heading"] for s in text["sections"] if {"list": "reminders"} in s["blocks"]),
        "responsibilities": responsibilities,
        "reminders": reminders,
        "references": [{key: value for key, value in ref.items() if value is not None} for ref in text["references"]],
    }


def _render_section(section, lists):
    blocks = [
        {"paragraph_html": markup.inline_html(b["paragraph"])} if "paragraph" in b else {"list": b["list"]}
        for b in section["blocks"]
    ]
    texts = []
    for block in section["blocks"]:
        if "paragraph" in block:
            texts.append(markup.inline_text(block["paragraph"]))
        elif block["list"] == "responsibilities":
            texts.append("\n".join(f"- {item['text']}" for item in lists["responsibilities"]))
        else:
            texts.append(
                "\n".join(f"{n}. {item['title']} – {item['text']}" for n, item in enumerate(lists["reminders"], 1))
            )
    html = fragments.render("section_body.html", section={"blocks": blocks}, lists=lists)
    return {"id": section["id"], "heading": section["heading"], "text": "\n\n".join(texts), "html": html}
