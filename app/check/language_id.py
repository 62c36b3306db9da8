"""Which language a draft post is written in: English, Welsh, or a mix of the two.

Each sentence is read for marker words (``app/check/data/language-markers.yaml``):
common words only one of the two languages uses. When no sentence of a draft is
settled by them, Lingua (a maintained statistical language identifier) decides,
in its low-accuracy mode: 8 MB of models rather than 49. Markers come first
because that mode gets short sentences wrong ("Cawl on the stove and daffodils
on every desk." is Welsh to it).
"""

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from app.check.engine import Draft, fold
from app.check.schemas import LanguageMarkersSchema

CODES = {Language.ENGLISH: "en", Language.WELSH: "cy"}
# A sentence counts towards a language only when Lingua is this sure of it.
SURE = 0.7
# Text is mixed when the smaller language holds at least this share of the words.
MIXED_SHARE = 0.25


MARKERS = Path(__file__).with_name("data") / "language-markers.yaml"


@lru_cache(maxsize=1)
def markers() -> dict[str, frozenset[str]]:
    """The marker words of each language, folded as the check engine folds words; validated on first use."""
    data = LanguageMarkersSchema().load(yaml.safe_load(MARKERS.read_text(encoding="utf-8")))
    return {language: frozenset(fold(word) for word in words) for language, words in data.items()}


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*CODES).with_low_accuracy_mode().with_preloaded_language_models().build()
    )


def load() -> None:
    """Read the markers and load the models now, at start-up, not on the first check."""
    markers()
    detector()


def marked_language(words: list[str]) -> str | None:
    """``en`` or ``cy`` when a sentence's folded words hold at least twice the markers of one; else None."""
    counts = sorted(
        ((sum(map(found.__contains__, words)), language) for language, found in markers().items()), reverse=True
    )
    (most, language), (fewest, _) = counts
    return language if most and most >= 2 * fewest else None


def lingua_language(text: str) -> str | None:
    """Lingua's answer, when it is sure enough; for text that has no telling marker words."""
    best = detector().compute_language_confidence_values(text)[0]
    return CODES[best.language] if best.value >= SURE else None


class Detection(NamedTuple):
    language: str  # en, cy or mixed
    settled: bool  # by marker words; not when only Lingua's guess (or English, without one) is left


def detect(text: str) -> str:
    """``en``, ``cy`` or ``mixed`` for a piece of text."""
    return identify(text).language


def identify(draft: Draft | str) -> Detection:
    """The language of a draft (a ``engine.Draft``, or its text), and whether marker words settled it."""
    if isinstance(draft, str):
        draft = Draft(draft)
    words = {"en": 0, "cy": 0}
    for folded in draft.sentences:
        if len(folded) < 3:
            continue
        language = marked_language(folded)
        if language:
            words[language] += len(folded)
    total = words["en"] + words["cy"]
    if total == 0:
        return Detection(lingua_language(draft.text) or "en", False)
    if min(words.values()) / total >= MIXED_SHARE:
        return Detection("mixed", True)
    return Detection(max(words, key=words.get), True)


def lexicon_languages(requested: str, detection: Detection) -> list[str]:
    """Which languages' lexicons to match: the one the caller names, else what was detected.

    Both, for mixed text, and for text that no marker word settled: a short draft ("Vote Plaid
    Cymru", "Polisi twp") is often misread by a statistical guess, and reading it in the wrong
    language alone would miss what it says."""
    if requested in ("en", "cy"):
        return [requested]
    if detection.language == "mixed" or not detection.settled:
        return ["en", "cy"]
    return [detection.language]
