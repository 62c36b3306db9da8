"""What changed between two versions of the guidance: items added, removed and changed, word by word."""

import difflib
import re

from markupsafe import escape

PARTS = {"sections": "heading", "responsibilities": None, "reminders": "title"}


def _name(item, title_key):
    return item[title_key] if title_key else item["text"]


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """Operations that turn ``old`` into ``new``, word by word (white space kept with the words)."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    operations = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            operations.append({"op": "delete", "text": "".join(before[i1:i2])})
        if tag in ("insert", "replace"):
            operations.append({"op": "insert", "text": "".join(after[j1:j2])})
        if tag == "equal":
            operations.append({"op": "equal", "text": "".join(before[i1:i2])})
    return operations


def diff_html(operations: list[dict[str, str]]) -> str:
    tags = {"delete": "del", "insert": "ins"}
    return "".join(
        f"<{tags[o['op']]}>{escape(o['text'])}</{tags[o['op']]}>" if o["op"] in tags else str(escape(o["text"]))
        for o in operations
    )


def _full_text(item, title_key):
    return f"{item[title_key]}\n{item['text']}" if title_key else item["text"]


def compare(old_document: dict, new_document: dict) -> dict[str, dict[str, list[dict]]]:
    """For each part of the guidance: the ids added, removed, and changed (with a word-level diff)."""
    result = {}
    for part, title_key in PARTS.items():
        old = {item["id"]: item for item in old_document[part]}
        new = {item["id"]: item for item in new_document[part]}
        changed = []
        for item_id in (i for i in new if i in old):
            before, after = _full_text(old[item_id], title_key), _full_text(new[item_id], title_key)
            if before != after:
                operations = word_diff(before, after)
                changed.append(
                    {
                        "id": item_id,
                        "title": _name(new[item_id], title_key),
                        "diff": operations,
                        "html": diff_html(operations),
                    }
                )
        result[part] = {
            "added": [{"id": i, "title": _name(new[i], title_key)} for i in new if i not in old],
            "removed": [{"id": i, "title": _name(old[i], title_key)} for i in old if i not in new],
            "changed": changed,
        }
    return result
