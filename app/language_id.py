"""Which language a draft post is written in: English, Welsh, or a mix of the two.

Lingua (a maintained statistical language identifier) scores each sentence;
this module only decides how to weigh sentences into one answer.
"""

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

CODES = {Language.ENGLISH: "en", Language.WELSH: "cy"}
# A sentence counts towards a language only when Lingua is this sure of it.
SURE = 0.7
# Text is mixed when the smaller language holds at least this share of the words.
MIXED_SHARE = 0.25
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s[/|]\s")


@lru_cache(maxsize=1)
def detector():
    built = LanguageDetectorBuilder.from_languages(*CODES).with_preloaded_language_models().build()
    return built


def detect(text):
    """``en``, ``cy`` or ``mixed`` for a piece of text."""
    words = {"en": 0, "cy": 0}
    for sentence in _SENTENCE_END.split(text):
        count = len(sentence.split())
        if count < 3:
            continue
        best = detector().compute_language_confidence_values(sentence)[0]
        if best.value >= SURE:
            words[CODES[best.language]] += count
    total = words["en"] + words["cy"]
    if total == 0:
        best = detector().detect_language_of(text)
        return CODES.get(best, "en")
    if min(words.values()) / total >= MIXED_SHARE:
        return "mixed"
    return max(words, key=words.get)


def lexicon_languages(requested, detected):
    """Which languages' lexicons to match: the one the caller names, else what was detected (both if mixed)."""
    if requested in ("en", "cy"):
        return [requested]
    return ["en", "cy"] if detected == "mixed" else [detected]
