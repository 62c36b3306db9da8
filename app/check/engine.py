"""The check engine: find what in a draft post may breach the guidance, and where.

Plain Python, no Flask. Rules and lexicons come from ``rules.yaml`` in each
version's folder (validated by ``app/check/schemas.py``) and are compiled once:

- a *lexicon* is a named list of terms per language. A term is one or more
  words; a word ending in ``*`` matches any word it begins (``canvass*``).
  Welsh terms are written in their radical form and also match their soft,
  nasal and aspirate mutations and h-prothesis. Matching folds case,
  apostrophes (' and ’) and accents (ffwl matches ffŵl). A lexicon may also
  hold regular expressions, for things like phone numbers.
- a *rule* has patterns; a pattern fires when a match of every lexicon it
  names lies within ``window`` words of each other and no match of a lexicon
  in ``unless`` lies within ``unless_window`` words of them. Context, not
  bare words, decides.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import NamedTuple

import ahocorasick
import regex

from app.check import welsh

SEVERITIES = ("low", "medium", "high")
VERDICTS = {"high": "do-not-post", "medium": "review", "low": "ok", None: "ok"}

_WORD = re.compile(r"[\w\u0300-\u036f]+|['’][\w\u0300-\u036f]+")
# Where a sentence ends: after . ! or ?, at a line break, or at a spaced / or | between phrases.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s[/|]\s")
_CAMEL = re.compile(r"[A-Z]?[a-z\u00e0-\u00ff\u0175\u0177]+|[A-Z]+(?![a-z])|\d+")


def fold(word: str) -> str:
    """Lower case, straight apostrophes, no accents: the form every comparison uses."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Token(NamedTuple):
    text: str  # folded
    start: int  # code point offsets in the original text
    end: int


def tokenize(text: str) -> list[Token]:
    """Words with their positions; hashtags and handles in CamelCase are split into their words."""
    tokens = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if start > 0 and text[start - 1] in "#@" and not word.islower() and not word.isupper():
            for part in _CAMEL.finditer(word):
                tokens.append(Token(fold(part.group()), start + part.start(), start + part.end()))
        else:
            tokens.append(Token(fold(word), start, match.end()))
    return tokens


class Draft:
    """A draft as the engine and the language identifier read it: its folded words, sentence by
    sentence, and where each word lies in the text.

    A draft without hashtags or handles (most of them) is read in C, one ``findall`` a sentence, and
    its words' positions are worked out only when a finding needs them: making an object for every
    word took a third of a check's time. Others are read by ``tokenize``, with the same result.
    """

    def __init__(self, text):
        self.text = text
        if "#" in text or "@" in text:
            tokens = tokenize(text)
            self.sentences = _by_sentence(text, tokens)
            self._spans = [(t.start, t.end) for t in tokens]
        elif text.isascii():
            self.sentences = [_WORD.findall(piece) for piece in _SENTENCE_END.split(text.lower())]
            self._spans = None
        else:
            self.sentences = [[fold(word) for word in _WORD.findall(piece)] for piece in _SENTENCE_END.split(text)]
            self._spans = None
        self.words = list(chain.from_iterable(self.sentences))

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Each word's (start, end), in code points."""
        if self._spans is None:
            self._spans = [match.span() for match in _WORD.finditer(self.text)]
        return self._spans

    @cached_property
    def starts(self) -> list[int]:
        return [start for start, _ in self.spans]

    @cached_property
    def ends(self) -> list[int]:
        return [end for _, end in self.spans]


def _by_sentence(text, tokens):
    """The folded words of each sentence, from the tokens of the whole text."""
    ends = [match.start() for match in _SENTENCE_END.finditer(text)]
    ends.append(len(text))
    found, sentence, index = [], [], 0
    for token in tokens:
        while token.start >= ends[index]:
            found.append(sentence)
            sentence, index = [], index + 1
        sentence.append(token.text)
    found.append(sentence)
    return found


@dataclass(slots=True)
class Match:
    lexicon: str
    first: int  # indices of the words read (informal spellings written out), inclusive
    last: int
    words: tuple  # the first and last of the draft's own words it covers, for its span
    span: tuple = None  # (start, end) in code points: a regular expression's own, else from ``words``

    def span_in(self, draft: Draft) -> tuple[int, int]:
        if self.span is None:
            self.span = (draft.spans[self.words[0]][0], draft.spans[self.words[1]][1])
        return self.span


def _word_forms(word, language):
    """The folded forms a term's word takes, and whether each is a prefix (a word ending in ``*``)."""
    stem = fold(word.rstrip("*"))
    return (welsh.forms(stem) if language == "cy" else {stem}), word.endswith("*")


class _Entry(NamedTuple):
    """What a key of the automaton stands for: a lexicon's term, or the start of one."""

    lexicon: str
    chars: int  # the key's length, to find where it began
    words: int  # words the key covers
    rest: tuple  # the term's words after its first prefix word: (forms, is_prefix) each


class Lexicons:
    """Every term of every lexicon in one Aho-Corasick automaton (pyahocorasick), so a draft is read
    once, in C, whatever the number of terms.

    The automaton reads the draft's folded words joined by single spaces, with a space either side.
    A term is a key: its words, each after a space, then a space unless its last word is a prefix
    (``canvass*`` is the key " canvass", which also begins " canvassing "). A prefix on any earlier
    word ends the key there, and the words after it are compared word by word.
    """

    def __init__(self, lexicons, languages):
        keys = {}
        for name, lexicon in lexicons.items():
            for language in languages:
                for term in lexicon.get(language, []):
                    for key, entry in _keys(name, term, language):
                        keys.setdefault(key, set()).add(entry)
        self._automaton = ahocorasick.Automaton()
        for key, entries in keys.items():
            self._automaton.add_word(key, tuple(entries))
        if keys:
            self._automaton.make_automaton()

    def find(self, words: list[str]) -> list[tuple[int, int, str]]:
        """Every match of every term in a list of folded words, as (first, last, lexicon): by first
        word, the longest first."""
        if not words or self._automaton.kind != ahocorasick.AHOCORASICK:
            return []
        joined = " " + " ".join(words) + " "
        found = set()
        for end, entries in self._automaton.iter(joined):
            for lexicon, chars, count, rest in entries:
                first = joined.count(" ", 0, end - chars + 1)  # the words before the key's leading space
                last = first + count - 1
                if rest:
                    last = _follow(rest, words, last)
                    if last is None:
                        continue
                found.add((first, -last, lexicon))
        return [(first, -negative_last, lexicon) for first, negative_last, lexicon in sorted(found)]


def _keys(name, term, language):
    """The automaton's keys for one term, one per combination of its words' (Welsh, mutated) forms."""
    words = [t.group() for t in _WORD.finditer(term.replace("*", "STAR_"))]
    words = [_word_forms(w.replace("STAR_", "*"), language) for w in words]
    cut = next((i + 1 for i, (_, is_prefix) in enumerate(words) if is_prefix), len(words))
    head, rest = words[:cut], tuple((frozenset(forms), is_prefix) for forms, is_prefix in words[cut:])
    keys = [""]
    for forms, _ in head:
        keys = [f"{key} {form}" for key in keys for form in sorted(forms)]
    closing = "" if head[-1][1] else " "
    return [(key + closing, _Entry(name, len(key + closing), len(head), rest)) for key in keys]


def _follow(rest, words, last):
    """The index of a term's last word when its remaining words follow ``last``; else None."""
    for forms, is_prefix in rest:
        last += 1
        if last == len(words):
            return None
        word = words[last]
        if not (any(word.startswith(form) for form in forms) if is_prefix else word in forms):
            return None
    return last


def regex_matches(name: str, regexes: list[regex.Pattern], draft: Draft) -> list[Match]:
    """The matches of a lexicon of regular expressions, with the words each one covers."""
    found = []
    for expression in regexes:
        for hit in expression.finditer(draft.text):
            first = bisect_right(draft.ends, hit.start())  # the first word that ends after the hit starts
            last = bisect_left(draft.starts, hit.end()) - 1  # the last word that starts before it ends
            if first <= last:
                found.append(Match(name, first, last, (first, last), hit.span()))
    return found


class _Matches(dict):
    """Matches by lexicon name. A lexicon of regular expressions is matched only when a rule asks for it:
    scanning the whole text is the dearest part of a check, and most patterns fail on their words first."""

    # Longer lists are searched through an index: a long draft dense with one lexicon's words would
    # otherwise have every match compared with every other, its time growing with the square of its length.
    SCAN = 16

    def __init__(self, draft, regexes):
        super().__init__()
        self.draft, self.regexes = draft, regexes
        self.indexes = {}

    def __missing__(self, name):
        regexes = self.regexes.get(name)
        found = self[name] = regex_matches(name, regexes, self.draft) if regexes else []
        return found

    def between(self, name: str, low: int, high: int) -> list[Match]:
        """A lexicon's matches that reach word ``low`` or later and begin by word ``high``, in list order."""
        matches = self[name]
        if len(matches) <= self.SCAN:
            return [m for m in matches if m.last >= low and m.first <= high]
        index = self.indexes.get(name)
        if index is None:
            index = self.indexes[name] = _Index(matches)
        return index.between(low, high)


class _Index:
    """One lexicon's matches by first word, to find those near a place without reading them all."""

    def __init__(self, matches):
        self.matches = matches
        self.order = sorted(range(len(matches)), key=lambda i: matches[i].first)
        self.firsts = [matches[i].first for i in self.order]
        self.longest = max(m.last - m.first for m in matches)

    def between(self, low: int, high: int) -> list[Match]:
        start = bisect_left(self.firsts, low - self.longest)
        end = bisect_right(self.firsts, high)
        found = sorted(i for i in self.order[start:end] if self.matches[i].last >= low)
        return [self.matches[i] for i in found]


@dataclass(frozen=True)
class Pattern:
    lexicons: tuple  # the first is the anchor that distances are measured from
    severity: str
    window: int
    unless: tuple = ()
    unless_window: int = 3
    ordered: bool = False  # the lexicons' matches must come in the order listed ("is" before "useless")
    unless_before: tuple = ()  # like unless, but only just before the words ("I'm such an idiot")
    word_lexicons: frozenset = frozenset()  # ``lexicons`` split by kind: words are found in one pass over
    regex_lexicons: tuple = ()  # the draft, regular expressions only when a pattern's words are all there


@dataclass(frozen=True)
class Rule:
    id: str
    guidance: dict
    patterns: tuple
    accounts: frozenset
    reminders: tuple
    message: dict
    suggestion: dict
    model_unless: frozenset = frozenset()  # lexicons that set aside a finding of the model alone


@dataclass
class Finding:
    rule: Rule
    severity: str
    spans: list = field(default_factory=list)
    basis: tuple = ("rule",)  # what found it: the rules, the model (app.check.model), or both
    confidence: float = 1.0  # how sure, 0 to 1 (app.check.judgement sets it)


@dataclass
class Reading:
    """What the rules saw in a draft: the matches of the lexicons of words, in the order found, and
    every rule's finding whatever the account. The model reads both (app.check.features)."""

    matches: list
    findings: list


@dataclass
class Result:
    verdict: str
    findings: list
    reminders: list


class Ruleset:
    """The compiled rules of one guidance version."""

    def __init__(self, data):
        self.lexicons = {language: Lexicons(data["lexicons"], [language]) for language in ("en", "cy")}
        self.regexes = {
            name: [regex.compile(pattern, regex.IGNORECASE) for pattern in entry["regex"]]
            for name, entry in data["lexicons"].items()
            if entry.get("regex")
        }
        self.rules = tuple(
            Rule(
                id=rule["id"],
                guidance=rule["guidance"],
                patterns=tuple(
                    Pattern(
                        tuple(p["all"]),
                        p["severity"],
                        p["window"],
                        tuple(p["unless"]),
                        p["unless_window"],
                        p["ordered"],
                        tuple(p["unless_before"]),
                        *self._by_kind(p["all"]),
                    )
                    for p in rule["patterns"]
                ),
                accounts=frozenset(rule["accounts"]),
                reminders=tuple(rule["reminders"]),
                message=rule["message"],
                suggestion=rule["suggestion"],
                model_unless=frozenset(rule["model_unless"]),
            )
            for rule in data["rules"]
        )
        self.spellings = {
            language: {fold(word): [fold(t.group()) for t in _WORD.finditer(full)] for word, full in forms.items()}
            for language, forms in data["spellings"].items()
        }
        self.reminder_order = tuple(data["reminder_order"])
        self.default_reminders = tuple(data["default_reminders"])

    def check(self, draft: Draft | str, languages: list[str], account: str) -> Result:
        """The verdict on a draft (a ``Draft``, or its text) by the rules alone, matching the lexicons
        of ``languages`` (one, or both for mixed text)."""
        if isinstance(draft, str):
            draft = Draft(draft)
        return self.result(self.findings(draft, languages, account))

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def result(self, findings: list[Finding]) -> Result:
        """The verdict and reminders that go with a list of findings."""
        worst = max((f.severity for f in findings), key=SEVERITIES.index, default=None)
        wanted = {r for f in findings for r in f.rule.reminders} if findings else set(self.default_reminders)
        return Result(
            verdict=VERDICTS[worst], findings=findings, reminders=[r for r in self.reminder_order if r in wanted]
        )

    def findings(self, draft: Draft, languages: list[str], account: str) -> list[Finding]:
        """What the rules find in a ``Draft`` for an account, in the order of the rules."""
        return [f for f in self.read(draft, languages).findings if account in f.rule.accounts]

    def read(self, draft: Draft, languages: list[str]) -> Reading:
        """What the rules see in a ``Draft``: each lexicon's matches, and each rule's finding on any account."""
        by_lexicon = _Matches(draft, self.regexes)
        for language in languages:
            words, origin = self._respelt(draft.words, language)
            for first, last, lexicon in self.lexicons[language].find(words):
                by_lexicon.setdefault(lexicon, []).append(Match(lexicon, first, last, (origin[first], origin[last])))
        word_matches = [match for matches in by_lexicon.values() for match in matches]
        found = {name for name, matches in by_lexicon.items() if matches}
        findings = []
        for rule in self.rules:
            finding = None
            for pattern in rule.patterns:
                hits = _fire(pattern, by_lexicon) if pattern.word_lexicons <= found else []
                if hits:
                    if finding is None:
                        finding = Finding(rule, pattern.severity)
                    elif SEVERITIES.index(pattern.severity) > SEVERITIES.index(finding.severity):
                        finding.severity = pattern.severity
                    finding.spans += [m.span_in(draft) for m in hits]
            if finding:
                finding.spans = merge_spans(finding.spans)
                findings.append(finding)
        return Reading(word_matches, findings)

    def _by_kind(self, names):
        """A pattern's lexicons of words, and of regular expressions."""
        return frozenset(n for n in names if n not in self.regexes), tuple(n for n in names if n in self.regexes)

    def _respelt(self, words, language):
        """Words with informal spellings written out (dont → don 't), and the index of the draft's
        word each one comes from."""
        spellings = self.spellings.get(language)
        if not spellings or spellings.keys().isdisjoint(words):
            return words, range(len(words))
        out, origin = [], []
        for index, word in enumerate(words):
            for part in spellings.get(word, (word,)):
                out.append(part)
                origin.append(index)
        return out, origin


def _fire(pattern, by_lexicon):
    """The matches that make a pattern fire, or an empty list. Its word lexicons have all matched."""
    if not all(by_lexicon[name] for name in pattern.regex_lexicons):
        return []
    hits = []
    window, around = pattern.window, pattern.unless_window
    for anchor in by_lexicon[pattern.lexicons[0]]:
        near = [anchor]
        for name in pattern.lexicons[1:]:
            closest = [
                m
                for m in by_lexicon.between(name, anchor.first - window - 1, anchor.last + window + 1)
                if not pattern.ordered or m.first > near[-1].last
            ]
            if not closest:
                break
            near.append(min(closest, key=lambda m: _distance(anchor, m)))
        else:
            first = min(m.first for m in near)
            last = max(m.last for m in near)
            vetoed = any(by_lexicon.between(name, first - around, last + around) for name in pattern.unless) or any(
                m.last < first
                for name in pattern.unless_before
                for m in by_lexicon.between(name, first - around, first)
            )
            if not vetoed:
                hits += near
    return hits


def _distance(a, b):
    """Words between two matches; 0 when they touch or overlap."""
    if a.last < b.first:
        return b.first - a.last - 1
    if b.last < a.first:
        return a.first - b.last - 1
    return 0


def merge_spans(spans: Iterable[tuple[int, int]], gap: int = 0) -> list[tuple[int, int]]:
    """Spans sorted, with those that overlap (or lie within ``gap`` code points) made one."""
    merged = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
