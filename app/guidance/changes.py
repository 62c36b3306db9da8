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


# A text's structure, as content.py writes a section's plain text: blocks apart by a blank line, a list's items
# on lines of their own ("- " for responsibilities, "1. " for reminders); an item's title on its first line.
_BREAK = re.compile(r"[^\S\n]*\n\s*")
_MARKERS = {"ul": re.compile(r"- "), "ol": re.compile(r"\d+\. ")}
_LISTS = {"ul": "govuk-list govuk-list--bullet", "ol": "govuk-list govuk-list--number"}
_TAGS = {"delete": "del", "insert": "ins"}


def _lines(operations):
    """The operations cut at line breaks: (starts a block, [(op, text)...]) a line, empty lines left out."""
    lines = [[True, []]]
    for operation in operations:
        op, text, position = operation["op"], operation["text"], 0
        for found in _BREAK.finditer(text):
            if found.start() > position:
                lines[-1][1].append((op, text[position : found.start()]))
            blank_line = found.group().count("\n") > 1
            if lines[-1][1]:
                lines.append([blank_line, []])
            else:
                lines[-1][0] = lines[-1][0] or blank_line
            position = found.end()
        if position < len(text):
            lines[-1][1].append((op, text[position:]))
    return [(block, segments) for block, segments in lines if segments]


def _side(segments, leave_out):
    return "".join(text for op, text in segments if op != leave_out)


def _kind(segments):
    """A line's kind, from its new text (its old one when all of it was removed): "ul", "ol" or "p"."""
    text = _side(segments, "delete") or _side(segments, "insert")
    return next((kind for kind, marker in _MARKERS.items() if marker.match(text)), "p")


def _without_marker(segments, kind):
    """A list item's line without its "- " or "1. ", on the side of the old text and of the new alike."""
    left = {}
    for side, leave_out in (("new", "delete"), ("old", "insert")):
        found = _MARKERS[kind].match(_side(segments, leave_out))
        left[side] = len(found.group()) if found else 0
    kept = []
    for op, text in segments:
        sides = {"equal": ("new", "old"), "insert": ("new",), "delete": ("old",)}[op]
        cut = min(left[side] for side in sides)
        for side in sides:
            left[side] -= cut
        if text[cut:]:
            kept.append((op, text[cut:]))
    return kept


def _inline(segments):
    return "".join(
        f"<{_TAGS[op]}>{escape(text)}</{_TAGS[op]}>" if op in _TAGS else str(escape(text)) for op, text in segments
    )


def _blocks_html(lines):
    """Lines as GOV.UK Frontend paragraphs and lists: each item of a list its own ``li``, each paragraph its ``p``."""
    html, open_list = [], None
    for starts_block, segments in lines:
        kind = _kind(segments)
        if open_list and (starts_block or kind != open_list):
            html.append(f"</{open_list}>")
            open_list = None
        if kind == "p":
            html.append(f'<p class="govuk-body">{_inline(segments)}</p>')
            continue
        if open_list is None:
            html.append(f'<{kind} class="{_LISTS[kind]}">')
            open_list = kind
        html.append(f"<li>{_inline(_without_marker(segments, kind))}</li>")
    if open_list:
        html.append(f"</{open_list}>")
    return "".join(html)


def diff_html(operations: list[dict[str, str]]) -> str:
    """The word-level diff as HTML that keeps the text's paragraphs and lists apart: removed words in ``del``,
    added words in ``ins``."""
    return _blocks_html(_lines(operations))


def heading_and_body_html(operations: list[dict[str, str]]) -> tuple[str, str]:
    """The diff of an item's first line (a section's heading, a reminder's title, a responsibility's one line), as
    inline HTML, and of the rest, as ``diff_html`` gives it."""
    lines = _lines(operations)
    return (_inline(lines[0][1]) if lines else ""), _blocks_html(lines[1:])


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
