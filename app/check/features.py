"""What the check's model reads in a draft: its words, pairs of words, letters and emoji.

- ``w:`` a folded word; a word of a Welsh draft also counts as each radical form it may stand for
  (``blaid``, ``mhlaid`` and ``phlaid`` all count as ``w:plaid``);
- ``b:`` two words in a row, in one sentence;
- ``c:`` three to five letters of a word, with a space marking either end (``c: pla``);
- ``e:`` an emoji;
- ``l:`` a match of one of the rules' lexicons of words (``l:insult-person``), and ``p:`` a rule the
  rules found, on any account (``p:security``): what the people who wrote the lexicons knew, for the
  model to weigh beside what it learnt.

Every feature belongs to a word, a pair of words, an emoji, a lexicon's match or a rule's first
piece of evidence, so a model finding can point at what raised its score, as a rule finding does.
"""

from itertools import pairwise

import regex

from app.check import welsh
from app.check.engine import Draft, Finding, Match, Reading

EMOJI = regex.compile(r"\p{Extended_Pictographic}")
CHAR_GRAMS = (3, 4, 5)
# How many occurrences one occurrence of a feature of each kind counts as, so that a draft's few
# words and what the rules saw weigh against its many letter features. Chosen on dev: more breaches
# found at a precision of 0.9 than with every kind at 1, or words at 3, or rules at 1, 5 or 8.
WEIGHTS = {"w": 2, "b": 2, "e": 2, "c": 1, "l": 3, "p": 3}


def word_features(word: str, radicals: bool) -> list[str]:
    """The features of one folded word: itself, its radical forms (when read as Welsh), its letters."""
    found = ["w:" + word]
    if radicals:
        found += ["w:" + radical for radical in sorted(welsh.radicals(word))]
    padded = f" {word} "
    for size in CHAR_GRAMS:
        found += ["c:" + padded[i : i + size] for i in range(len(padded) - size + 1)]
    return found


def pair_feature(first: str, second: str) -> str:
    return f"b:{first} {second}"


def emoji_feature(emoji: str) -> str:
    return "e:" + emoji


def lexicon_feature(match: Match) -> str:
    return "l:" + match.lexicon


def rule_feature(finding: Finding) -> str:
    return "p:" + finding.rule.id


def features(draft: Draft, radicals: bool, rules: Reading) -> list[str]:
    """Every feature of a draft (an ``engine.Draft``), once for each time it counts (``WEIGHTS``),
    with ``rules`` the rules' ``engine.Reading`` of it."""
    found = []
    for sentence in draft.sentences:
        for word in sentence:
            found += word_features(word, radicals)
        found += [pair_feature(a, b) for a, b in pairwise(sentence)]
    found += [emoji_feature(emoji) for emoji in EMOJI.findall(draft.text)]
    found += [lexicon_feature(match) for match in rules.matches]
    found += [rule_feature(finding) for finding in rules.findings]
    return [feature for feature in found for _ in range(WEIGHTS[feature[0]])]
