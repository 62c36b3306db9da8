"""The check's labelled corpus: its sets, as ``corpus/sets.yaml`` lists them, and their splits.

A set marked ``split`` is divided by a hash of each draft's id: 70% train, 15% dev, 15% test, the
same on every machine and whatever else is added. A set marked ``train`` goes to training whole
(the sets the rules were tuned on, and blind sets once they were read while the model was
designed: they cannot measure anything honestly). A set marked ``blind`` only ever measures.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from app.check.schemas import DraftSchema, SetsSchema

ROOT = Path(__file__).resolve().parents[2] / "corpus"
SPLITS = ((70, "train"), (85, "dev"), (100, "test"))


def split_of(draft_id: str) -> str:
    """train, dev or test, from the first 32 bits of the id's SHA-256."""
    bucket = int.from_bytes(hashlib.sha256(draft_id.encode("utf-8")).digest()[:4], "big") % 100
    return next(name for limit, name in SPLITS if bucket < limit)


def folds_by_author(root: str | Path = ROOT, folds: int = 5) -> dict[str, int]:
    """Which of ``folds`` parts each draft id falls in for cross-validation: whole sets, each written by
    one author, dealt in turn in the order of a hash of their names. A draft is then always scored by
    a model that learnt nothing from its author, as the check meets drafts by people it has never
    read; folds by draft would let the model know an author's way of writing from their other drafts."""
    learnt = [name for name, entry in manifest(root).items() if entry["use"] != "blind"]
    names = sorted(learnt, key=lambda name: hashlib.sha256(f"fold {name}".encode()).digest())
    fold = {name: number % folds for number, name in enumerate(names)}
    return {draft["id"]: fold[name] for name in names for draft in sets(root)[name]}


def uses(root: str | Path = ROOT) -> dict[str, str]:
    """Each draft id's set's use: split, train or blind."""
    entries = manifest(root)
    return {draft["id"]: entries[name]["use"] for name, drafts in sets(root).items() for draft in drafts}


def manifest(root: str | Path = ROOT) -> dict[str, dict]:
    return SetsSchema().load(yaml.safe_load((Path(root) / "sets.yaml").read_text(encoding="utf-8")))["sets"]


def read_set(path: str | Path) -> list[dict]:
    """A JSON Lines file of labelled drafts, each validated."""
    schema = DraftSchema()
    with open(path, encoding="utf-8") as handle:
        return [schema.load(json.loads(line)) for line in handle if line.strip()]


@lru_cache(maxsize=4)
def sets(root: str | Path = ROOT) -> dict[str, list[dict]]:
    """Every set's drafts, by set name."""
    return {name: read_set(Path(root) / entry["file"]) for name, entry in manifest(root).items()}


def splits(root: str | Path = ROOT) -> dict:
    """Drafts by use: lists for train, dev and test; ``blind`` as a dict of sets."""
    found = {"train": [], "dev": [], "test": [], "blind": {}}
    for name, entry in manifest(root).items():
        drafts = sets(root)[name]
        if entry["use"] == "blind":
            found["blind"][name] = drafts
        elif entry["use"] == "train":
            found["train"] += drafts
        else:
            for draft in drafts:
                found[split_of(draft["id"])].append(draft)
    return found


def counts(split_drafts: dict, rules: tuple[str, ...]) -> dict[str, dict[str, dict[str, int]]]:
    """Drafts, harmless drafts and each rule's positives, per split and language."""
    table = {}
    for split in ("train", "dev", "test"):
        for draft in split_drafts[split]:
            row = table.setdefault(split, {}).setdefault(
                draft["lang"], {"drafts": 0, "harmless": 0, **dict.fromkeys(rules, 0)}
            )
            row["drafts"] += 1
            row["harmless"] += not draft["flagged"]
            for rule in draft["expect"]:
                row[rule] += 1
    return table


def fingerprint(root: str | Path = ROOT) -> str:
    """SHA-256 of the manifest and of every set it names, in order: what a model was trained on."""
    digest = hashlib.sha256((Path(root) / "sets.yaml").read_bytes())
    for entry in manifest(root).values():
        digest.update((Path(root) / entry["file"]).read_bytes())
    return digest.hexdigest()
