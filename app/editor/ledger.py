"""The ledger of published history, ``content/ledger.jsonl``: one event a line, each chained to the line before.

Only the commands write it: ``seal`` adds a ``published`` event (a version's date and the SHA-256 of its
text), ``withdraw`` a ``withdrawn`` event (its date and reason), ``correct`` a ``corrected`` event (a published
translation corrected: its day, its reason and the new SHA-256 of the file or files corrected). Each line
carries the hash of the line before (``previous``) and its own (``hash``, the SHA-256 of the line without it),
so a line edited by hand no longer matches its hash, and one removed, added or moved breaks the chain. A
legitimate change only ever adds lines at the end, which is what a reviewer looks for in a diff.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError, fields, validate, validates_schema

from app.guidance.content import format_errors
from app.guidance.schemas import CorrectionSchema, StrictSchema, WithdrawalSchema

LEDGER = "ledger.jsonl"
# The published text a ``published`` event fingerprints; the check's rules (rules.yaml) may still be refined.
SEALED_FILES = ("en.yaml", "cy.yaml")
KINDS = {"published": ("effective_from", "sha256"), "withdrawn": ("withdrawn",), "corrected": ("corrected", "sha256")}
sha256_hex = validate.Regexp(r"^[0-9a-f]{64}$", error="Must be a SHA-256 in lower-case hex.")


class EventSchema(StrictSchema):
    """One line of the ledger. ``version`` is null for a withdrawal of the whole guidance."""

    event = fields.Str(required=True, validate=validate.OneOf(KINDS))
    version = fields.Str(required=True, allow_none=True)
    effective_from = fields.Date()
    sha256 = fields.Dict(keys=fields.Str(validate=validate.OneOf(SEALED_FILES)), values=fields.Str(validate=sha256_hex))
    withdrawn = fields.Nested(WithdrawalSchema)
    corrected = fields.Nested(CorrectionSchema)
    recorded = fields.Date(required=True)
    previous = fields.Str(required=True, allow_none=True, validate=sha256_hex)
    hash = fields.Str(required=True, validate=sha256_hex)

    @validates_schema
    def fields_of_its_kind(self, data, **kwargs):
        kind = data.get("event")
        wanted = set(KINDS.get(kind, ()))
        present = {name for names in KINDS.values() for name in names if name in data}
        if present != wanted:
            raise ValidationError(f"A '{kind}' event has exactly: {', '.join(sorted(wanted))}.")
        if kind == "published" and (data["version"] is None or set(data["sha256"]) != set(SEALED_FILES)):
            raise ValidationError(f"A 'published' event names its version and hashes {', '.join(SEALED_FILES)}.")
        if kind == "corrected" and (data["version"] is None or not data["sha256"]):
            raise ValidationError("A 'corrected' event names its version and hashes the files it corrected.")


@dataclass(frozen=True)
class Entry:
    """An event as loaded (dates as dates), and the line of the ledger it is on."""

    line: int
    event: dict


def digest(raw: dict) -> str:
    """The SHA-256 of an event without its own hash, in one canonical JSON form."""
    unhashed = {key: value for key, value in raw.items() if key != "hash"}
    canonical = json.dumps(unhashed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in SEALED_FILES}


def published(version_id: str, effective_from, folder: Path, recorded) -> dict:
    return {
        "event": "published",
        "version": version_id,
        "effective_from": effective_from.isoformat(),
        "sha256": file_hashes(folder),
        "recorded": recorded.isoformat(),
    }


def withdrawn(version_id: str | None, withdrawal: dict, recorded) -> dict:
    return {
        "event": "withdrawn",
        "version": version_id,
        "withdrawn": WithdrawalSchema().dump(withdrawal),
        "recorded": recorded.isoformat(),
    }


def corrected(version_id: str, correction: dict, folder: Path, files: list[str], recorded) -> dict:
    return {
        "event": "corrected",
        "version": version_id,
        "corrected": CorrectionSchema().dump(correction),
        "sha256": {name: digest for name, digest in file_hashes(folder).items() if name in files},
        "recorded": recorded.isoformat(),
    }


def read(content_dir: str | Path) -> tuple[list[Entry], list[str]]:
    """The ledger's events, and what is wrong with it (a line malformed, edited or out of the chain)."""
    path = Path(content_dir) / LEDGER
    if not path.is_file():
        return [], []
    entries, problems, previous = [], [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path}: line {number}"
        try:
            raw = json.loads(line)
            event = EventSchema().load(raw)
        except ValueError:
            problems.append(f"{where}: not one JSON object.")
            continue
        except ValidationError as error:
            problems.append(f"{where}: {format_errors(error.messages)}")
            continue
        if raw["hash"] != digest(raw):
            problems.append(f"{where}: edited by hand: the line no longer matches its hash.")
        if raw["previous"] != previous:
            problems.append(
                f"{where}: does not follow the line before it: a line of the ledger was removed, added or moved."
            )
        previous = raw["hash"]
        entries.append(Entry(number, event))
    return entries, problems


def append(content_dir: str | Path, events: list[dict]) -> None:
    """Add events at the end of the ledger, each chained to the one before; the ledger must be sound."""
    if not events:
        return
    path = Path(content_dir) / LEDGER
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    previous = json.loads(lines[-1])["hash"] if lines else None
    for event in events:
        event = {**event, "previous": previous}
        event["hash"] = previous = digest(event)
        lines.append(json.dumps(event, ensure_ascii=False))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
