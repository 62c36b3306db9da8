"""The check's trained model: a logistic regression per rule over a draft's features, and a second
one per rule over what the first ones said.

The first level scores a draft for each rule, and for whether it breaches any rule at all
(``BREACH``). The second, one per rule, reads that rule's probability and the breach's, and their
products (``interactions``): a rule's finding rests on its own evidence, weighed by how much the
draft reads like a breach at all. Probabilities, not log-odds, so that the products stay between 0
and 1, where the drafts it learnt from lie, however sure the first level is.

Trained by ``python -m app.check.training`` (scikit-learn) and kept as plain data in
``models/check/``: ``model.json`` (rules, thresholds, how it was trained), ``features.json`` (the
features, one a line) and ``weights.npz`` (idf and coefficients, loaded without pickle). Scoring is scikit-learn's arithmetic (TfidfVectorizer with
sublinear tf, smooth idf and l2 norm, then LogisticRegression), done here on the few hundred
features a draft has, each word's features looked up once; ``tests/check/test_model.py`` holds
the two to the same answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from app.check import engine
from app.check.engine import Draft, Finding, Match, merge_spans
from app.check.features import EMOJI, WEIGHTS, emoji_feature, lexicon_feature, pair_feature, rule_feature, word_features

FOLDER = Path(__file__).resolve().parents[2] / "models" / "check"
# A model finding marks at most this many words or pairs: those that raised its rule's score most.
SPAN_WORDS = 3
# Words whose feature numbers are kept; past this the store starts again, so it stays bounded.
WORD_CACHE = 50_000
BREACH = "breach"  # the first level's eighth score: whether a draft breaches any rule
# Below this probability the model doubts a draft breaches a rule: there it sets aside the rules'
# finding for it (``judgement``), and no rule's threshold is chosen below it (``training``), as
# the few breaches found there cost many false alarms on authors unlike those it learnt from.
DOUBT = 0.1


def interactions(own: np.ndarray, breach: np.ndarray) -> np.ndarray:
    """What a rule's second level reads, from the first level's probabilities for the rule and for
    ``BREACH``: the two, and their products (each squared, and the one by the other)."""
    return np.stack([own, breach, own * own, own * breach, breach * breach], axis=-1)


@dataclass(frozen=True)
class Score:
    rule: str
    probability: float
    threshold: float

    @property
    def found(self) -> bool:
        return self.probability >= self.threshold


class FeatureIndex:
    """Feature names to their numbers, kept as a sorted array of the names' hashes, not as a dict of
    the names, which was the largest part of a worker's memory. Python's ``hash`` of a string is
    fixed within a process and two names that hash alike are refused, so a known name always finds
    its number; an unknown one takes another's with a chance of one in 2**64 / features."""

    def __init__(self, names):
        hashes = np.fromiter((hash(name) for name in names), dtype=np.int64, count=len(names))
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.numbers = hashes[order], order.astype(np.int32)
        self.weights = np.array([WEIGHTS[name[0]] for name in names], dtype=np.intp)[order]
        if len(names) > 1 and not np.all(np.diff(self.hashes)):
            raise ValueError("two of the model's features have the same hash")

    def _find(self, names):
        """Where each name is in the sorted hashes, and whether it is there at all."""
        keys = np.array([hash(name) for name in names], dtype=np.int64)
        at = self.hashes.searchsorted(keys)
        return at, self.hashes.take(at, mode="clip") == keys

    def counted(self, names) -> list[int]:
        """The numbers of the known ``names``, each as many times as its kind counts (``WEIGHTS``)."""
        if not names:
            return []
        at, known = self._find(names)
        at = at[known]
        return np.repeat(self.numbers[at], self.weights[at]).tolist()

    def counted_with(self, names, sources) -> list[tuple[int, object]]:
        """``(number, source)`` for each known name, as many times as it counts, ``sources`` in step
        with ``names``."""
        if not names:
            return []
        at, known = self._find(names)
        return [
            (int(self.numbers[place]), source)
            for place, is_known, source in zip(at, known, sources)
            if is_known
            for _ in range(self.weights[place])
        ]


class Model:
    """Scores a draft for every rule; reads its files once."""

    def __init__(self, folder=FOLDER):
        folder = Path(folder)
        self.meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        self.index = FeatureIndex(json.loads((folder / "features.json").read_text(encoding="utf-8")))
        with np.load(folder / "weights.npz", allow_pickle=False) as weights:
            # Kept as stored (float32): numpy widens them to float64 as it multiplies, exactly.
            self.idf = weights["idf"]
            self.coef = np.ascontiguousarray(weights["coef"])  # features x (rules, breach)
            self.intercept = weights["intercept"].astype(np.float64)
            self.stack_coef = weights["stack_coef"].astype(np.float64)  # rules x interactions
            self.stack_intercept = weights["stack_intercept"].astype(np.float64)
        self.rules = tuple(self.meta["rules"])
        self.thresholds = np.array([self.meta["thresholds"][rule] for rule in self.rules])
        self.rule_precision = self.meta["rule_precision"]
        self._words = {}

    def _word(self, word, radicals):
        """The numbers of a word's known features, each as many times as it counts."""
        key = (word, radicals)
        found = self._words.get(key)
        if found is None:
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            found = self._words[key] = self.index.counted(word_features(word, radicals))
        return found

    def read(self, draft: Draft, radicals: bool, rules: engine.Reading) -> Reading:
        """A draft (an ``engine.Draft``) as the model reads it, with ``rules`` the rules' ``engine.Reading``
        of it, for its scores and their evidence."""
        return Reading(self, draft, radicals, rules)


class Reading:
    """A draft's known features, as the model counts them; where each was read from is worked out
    only for evidence, when the model alone finds a rule."""

    def __init__(self, model, draft, radicals, rules):
        self.model, self.draft, self.radicals, self.rules = model, draft, radicals, rules
        numbers = self._numbers()
        if numbers:
            self.indices, counts = np.unique(np.array(numbers, dtype=np.intp), return_counts=True)
            values = (1.0 + np.log(counts)) * model.idf[self.indices]
            self.values, self.counts = values / np.sqrt(values @ values), counts
        else:
            self.indices = self.counts = np.zeros(0, dtype=np.intp)
            self.values = np.zeros(0)

    def _numbers(self):
        """Each known feature's number, once per occurrence: what scoring needs. It walks the draft as
        ``_occurrences`` does, but without a tuple for every number, since it runs on every check."""
        model = self.model
        numbers, pairs = [], []
        for sentence in self.draft.sentences:
            for word in sentence:
                numbers += model._word(word, self.radicals)
            pairs += [pair_feature(first, second) for first, second in pairwise(sentence)]
        return numbers + model.index.counted(pairs + [feature for feature, _ in self._spanned()])

    def _spanned(self):
        """The features that have spans of their own, with them: emoji, lexicons' matches, rules' findings."""
        spanned = [(emoji_feature(hit.group()), hit) for hit in EMOJI.finditer(self.draft.text)]
        spanned += [(lexicon_feature(match), match) for match in self.rules.matches]
        return spanned + [(rule_feature(finding), finding) for finding in self.rules.findings]

    def _occurrences(self):
        """Each known feature's number, once per occurrence, with where it was read from: a word's
        place in ``draft.words``, ``(place - 1, place)`` for a pair, or what has a span of its own."""
        model = self.model
        found, names, sources, place = [], [], [], 0
        for sentence in self.draft.sentences:
            for number, word in enumerate(sentence):
                found += [(feature, place) for feature in model._word(word, self.radicals)]
                if number:
                    names.append(pair_feature(sentence[number - 1], word))
                    sources.append((place - 1, place))
                place += 1
        spanned = self._spanned()
        names += [feature for feature, _ in spanned]
        sources += [source for _, source in spanned]
        return found + model.index.counted_with(names, sources)

    def scores(self) -> list[Score]:
        """Each rule's probability, from the second level, with its threshold."""
        model = self.model
        first = 1.0 / (1.0 + np.exp(-(self.values @ model.coef[self.indices] + model.intercept)))
        inputs = interactions(first[:-1], np.full(len(model.rules), first[-1]))
        stacked = (inputs * model.stack_coef).sum(axis=1) + model.stack_intercept
        probabilities = 1.0 / (1.0 + np.exp(-stacked))
        return [Score(rule, float(p), float(t)) for rule, p, t in zip(model.rules, probabilities, model.thresholds)]

    def evidence(self, rule: str) -> list[tuple[int, int]]:
        """The spans of the words (or pairs, emoji, lexicons' matches) that raised ``rule``'s score
        most: each feature's contribution to the rule's first-level score, shared among the places it
        occurs."""
        column = self.model.coef[self.indices, self.model.rules.index(rule)]
        share = dict(zip(self.indices.tolist(), (self.values * column / self.counts).tolist()))
        by_span = {}
        for number, source in self._occurrences():
            span = self._span(source)
            by_span[span] = by_span.get(span, 0.0) + share[number]
        raised = sorted((span for span, weight in by_span.items() if weight > 0), key=by_span.get, reverse=True)
        return merge_spans(_outermost(raised)[:SPAN_WORDS], gap=1)

    def _span(self, source):
        spans = self.draft.spans
        if isinstance(source, int):
            return spans[source]
        if isinstance(source, tuple):
            return spans[source[0]][0], spans[source[1]][1]
        if isinstance(source, Finding):
            return source.spans[0]
        if isinstance(source, Match):
            return source.span_in(self.draft)
        return source.span()  # an emoji's regular-expression match


def _outermost(spans):
    """Spans in the order given, less any that lies within one already kept (a word within its pair)."""
    kept = []
    for start, end in spans:
        if not any(s <= start and end <= e for s, e in kept):
            kept = [(s, e) for s, e in kept if not (start <= s and e <= end)] + [(start, end)]
    return kept


@lru_cache(maxsize=1)
def model() -> Model:
    """The committed model, read on first use (``app.check.load`` reads it at start-up)."""
    return Model()
