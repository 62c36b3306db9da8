"""Proofing Welsh text: spelling against hunspell cy_GB and mutation (treiglad) checks.

Uses cymraeg-mcp, which bundles Bangor University's cy_GB dictionary and a
rule-based mutation checker. It is an editor's and a test's tool, not needed
to serve the API, so it is imported only when proofing runs.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cymraeg_mcp.mutations import MutationEngine

ALLOWLIST = Path(__file__).resolve().parents[2] / "translations" / "cy-allowlist.txt"
# Identifiers of the API that Welsh messages name as they are: they are code, not words.
CODE_WORDS = frozenset(
    [
        "text",
        "language",
        "account",
        "date",
        "lang",
        "format",
        "en",
        "cy",
        "auto",
        "personal",
        "official",
        "JSON",
        "API",
        "HTTP",
        "Content-Type",
        "Accept",
        "Accept-Datetime",
        "Retry-After",
        "KiB",
        "application",
        "Mon",
        "Mar",
        "GMT",
        "Expect",
        "Content-Length",
        "Transfer-Encoding",
        "chunked",
        "NUL",
    ]
)

# Parts of a message that are not Welsh words: placeholders, addresses, paths, ids.
_NOT_WORDS = re.compile(
    r"%\([a-z_]+\)[sdr]|%s"  # gettext placeholders
    r"|--[\w-]+"  # command-line options
    r"|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"  # environment variables
    r"|\]\([^)]*\)"  # the address half of a Markdown link
    r"|https?://\S+"
    r"|\S*/\S*"  # API paths and media types: /v1/guidance, application/json
    r"|\S*\d\S*"  # dates, numbers and codes
)


@dataclass(frozen=True)
class Issue:
    where: str
    word: str
    kind: str  # "spelling" or "mutation"
    suggestions: tuple


def allowed_words() -> frozenset[str]:
    """Names the dictionary does not know, one a line; '#' starts a comment."""
    words = set()
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def tools() -> tuple[ModuleType, "MutationEngine"]:
    from cymraeg_mcp import mutations, spelling
    from cymraeg_mcp.paths import mutation_rules_path

    return spelling, mutations.MutationEngine(mutation_rules_path(), spelling.lookup)


def proof(text: str, where: str = "") -> list[Issue]:
    """Spelling and mutation issues in one piece of Welsh text."""
    spelling, mutation_engine = tools()
    allowed = allowed_words() | CODE_WORDS
    words = _NOT_WORDS.sub(" ", text).replace("**", "").replace("[", "").replace("]", "")
    issues = []
    errors, _, _ = spelling.check_text(words, max_errors=500)
    for error in errors:
        if error.word not in allowed and error.word.strip("'’") not in allowed:
            issues.append(Issue(where, error.word, "spelling", tuple(error.suggestions)))
    for finding in mutation_engine.check_text(words):
        issues.append(Issue(where, f"{finding.trigger} {finding.word}", "mutation", tuple(finding.suggestions)))
    return issues


def strings_in(node: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every (place, text) pair in nested content, skipping ids, addresses and codes."""
    skip = {"id", "url", "language", "list", "reference", "href", "lang", "rule"}
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from strings_in(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings_in(value, f"{where}[{index}]")
    elif isinstance(node, str):
        yield where, node
