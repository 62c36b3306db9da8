"""The check engine: find what in a draft post may breach the guidance, and where.

Plain Python, no Flask. Rules and lexicons come from ``rules.yaml`` in each
version's folder (validated by ``schemas/rules.py``) and are compiled once:

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
from dataclasses import dataclass, field
from typing import NamedTuple

from app import welsh

SEVERITIES = ("low", "medium", "high")
VERDICTS = {"high": "do-not-post", "medium": "review", "low": "ok", None: "ok"}

_WORD = re.compile(r"[\w\u0300-\u036f]+|['’][\w\u0300-\u036f]+")
_CAMEL = re.compile(r"[A-Z]?[a-z\u00e0-\u00ff\u0175\u0177]+|[A-Z]+(?![a-z])|\d+")


def fold(word):
    """Lower case, straight apostrophes, no accents: the form every comparison uses."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Token(NamedTuple):
    text: str  # folded
    start: int  # code point offsets in the original text
    end: int


def tokenize(text):
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


@dataclass
class Match:
    lexicon: str
    first: int  # token indices, inclusive
    last: int
    start: int  # code point offsets
    end: int


def _word_forms(word, language):
    """The folded forms a term's word takes, and whether each is a prefix (a word ending in ``*``)."""
    stem = fold(word.rstrip("*"))
    return (welsh.forms(stem) if language == "cy" else {stem}), word.endswith("*")


class _Node:
    """A trie of terms, one word per level: words that follow exactly, prefixes that follow, lexicons that end here."""

    __slots__ = ("exact", "prefixes", "ends")

    def __init__(self):
        self.exact = {}
        self.prefixes = {}
        self.ends = []

    def add(self, forms, is_prefix):
        """The child nodes for one word of a term, made as needed."""
        children = self.prefixes if is_prefix else self.exact
        return [children.setdefault(form, _Node()) for form in sorted(forms)]

    def next(self, word):
        """The nodes a word leads to: the one it names exactly, and those of every prefix it begins with."""
        found = [child for prefix, child in self.prefixes.items() if word.startswith(prefix)]
        child = self.exact.get(word)
        if child is not None:
            found.insert(0, child)
        return found


class Lexicons:
    """Every term of every lexicon in a trie of words, so a draft is read once, word by word.

    Prefixes on the first word are bucketed by their first three letters (or all of them, for a
    shorter prefix, as a mutation can make: gwe* is also we*): there are many of them.
    """

    BUCKET = 3

    def __init__(self, lexicons, languages):
        self._root = _Node()
        self._first_prefixes = {}
        for name, entry in lexicons.items():
            for language in languages:
                for term in entry.get(language, []):
                    words = [t.group() for t in _WORD.finditer(term.replace("*", "STAR_"))]
                    words = [w.replace("STAR_", "*") for w in words]
                    forms, is_prefix = _word_forms(words[0], language)
                    if is_prefix:
                        nodes = [self._first_prefix(form) for form in sorted(forms)]
                    else:
                        nodes = self._root.add(forms, False)
                    for word in words[1:]:
                        forms, is_prefix = _word_forms(word, language)
                        nodes = [child for node in nodes for child in node.add(forms, is_prefix)]
                    for node in nodes:
                        node.ends.append(name)

        self._bucket_sizes = sorted({len(key) for key in self._first_prefixes})

    def _first_prefix(self, prefix):
        return self._first_prefixes.setdefault(prefix[:self.BUCKET], {}).setdefault(prefix, _Node())

    def _starts(self, word):
        """The nodes a term's first word leads to."""
        node = self._root.exact.get(word)
        found = [] if node is None else [node]
        for size in self._bucket_sizes:
            if size <= len(word):
                found += [node for prefix, node in self._first_prefixes.get(word[:size], {}).items() if word.startswith(prefix)]
        return found

    def find(self, tokens):
        """Every match of every term in the text's tokens."""
        found = []
        words = [t.text for t in tokens]
        for index, word in enumerate(words):
            frontier = self._starts(word)
            if not frontier:
                continue
            last = index
            here = []
            while frontier:
                for node in frontier:
                    for name in node.ends:
                        here.append(Match(name, index, last, tokens[index].start, tokens[last].end))
                last += 1
                if last == len(words):
                    break
                frontier = [child for node in frontier for child in node.next(words[last])]
            found += reversed(here)  # the longest first: of two equally near matches, the fuller one is shown
        return found


def regex_matches(name, regexes, text, tokens):
    """The matches of a lexicon of regular expressions, with the tokens each one covers."""
    found = []
    for regex in regexes:
        for hit in regex.finditer(text):
            covered = [i for i, t in enumerate(tokens) if t.start < hit.end() and t.end > hit.start()]
            if covered:
                found.append(Match(name, covered[0], covered[-1], hit.start(), hit.end()))
    return found


class _Matches(dict):
    """Matches by lexicon name. A lexicon of regular expressions is matched only when a rule asks for it:
    scanning the whole text is the dearest part of a check, and most patterns fail on their words first."""

    def __init__(self, text, tokens, regexes):
        super().__init__()
        self.text, self.tokens, self.regexes = text, tokens, regexes

    def __missing__(self, name):
        regexes = self.regexes.get(name)
        found = self[name] = regex_matches(name, regexes, self.text, self.tokens) if regexes else []
        return found


@dataclass(frozen=True)
class Pattern:
    lexicons: tuple  # the first is the anchor that distances are measured from
    severity: str
    window: int
    unless: tuple = ()
    unless_window: int = 3
    ordered: bool = False  # the lexicons' matches must come in the order listed ("is" before "useless")
    unless_before: tuple = ()  # like unless, but only just before the words ("I'm such an idiot")
    word_lexicons: tuple = ()  # ``lexicons`` split by kind: words are found in one pass over the draft,
    regex_lexicons: tuple = ()  # regular expressions only when a pattern's words are all there


@dataclass(frozen=True)
class Rule:
    id: str
    guidance: dict
    patterns: tuple
    accounts: frozenset
    reminders: tuple
    message: dict
    suggestion: dict


@dataclass
class Finding:
    rule: Rule
    severity: str
    spans: list = field(default_factory=list)


@dataclass
class Result:
    verdict: str
    findings: list
    reminders: list


class Ruleset:
    """The compiled rules of one guidance version."""

    def __init__(self, data):
        self.lexicons = {
            language: Lexicons(data["lexicons"], [language]) for language in ("en", "cy")
        }
        self.regexes = {
            name: [re.compile(pattern, re.IGNORECASE) for pattern in entry["regex"]]
            for name, entry in data["lexicons"].items() if entry.get("regex")
        }
        self.rules = tuple(
            Rule(
                id=rule["id"],
                guidance=rule["guidance"],
                patterns=tuple(
                    Pattern(
                        tuple(p["all"]), p["severity"], p["window"], tuple(p["unless"]), p["unless_window"],
                        p["ordered"], tuple(p["unless_before"]), *self._by_kind(p["all"]),
                    )
                    for p in rule["patterns"]
                ),
                accounts=frozenset(rule["accounts"]),
                reminders=tuple(rule["reminders"]),
                message=rule["message"],
                suggestion=rule["suggestion"],
            )
            for rule in data["rules"]
        )
        self.spellings = {
            language: {fold(word): [fold(t.group()) for t in _WORD.finditer(full)] for word, full in forms.items()}
            for language, forms in data["spellings"].items()
        }
        self.reminder_order = tuple(data["reminder_order"])
        self.default_reminders = tuple(data["default_reminders"])

    def check(self, text, languages, account, tokens=None):
        """Findings for a draft, matching the lexicons of ``languages`` (one, or both for mixed text).

        ``tokens`` are the draft's, when the caller has them already."""
        if tokens is None:
            tokens = tokenize(text)
        by_lexicon = _Matches(text, tokens, self.regexes)
        for language in languages:
            for match in self.lexicons[language].find(self._respelt(tokens, language)):
                by_lexicon.setdefault(match.lexicon, []).append(match)
        findings = []
        for rule in self.rules:
            if account not in rule.accounts:
                continue
            finding = None
            for pattern in rule.patterns:
                hits = _fire(pattern, by_lexicon)
                if hits:
                    if finding is None:
                        finding = Finding(rule, pattern.severity)
                    elif SEVERITIES.index(pattern.severity) > SEVERITIES.index(finding.severity):
                        finding.severity = pattern.severity
                    finding.spans += [(m.start, m.end) for m in hits]
            if finding:
                finding.spans = _merge(finding.spans)
                findings.append(finding)
        worst = max((f.severity for f in findings), key=SEVERITIES.index, default=None)
        wanted = {r for f in findings for r in f.rule.reminders} if findings else set(self.default_reminders)
        return Result(
            verdict=VERDICTS[worst],
            findings=findings,
            reminders=[r for r in self.reminder_order if r in wanted],
        )

    def _by_kind(self, names):
        """A pattern's lexicons of words, and of regular expressions."""
        return tuple(n for n in names if n not in self.regexes), tuple(n for n in names if n in self.regexes)

    def _respelt(self, tokens, language):
        """Tokens with informal spellings written out (dont → don 't), each part keeping the word's place."""
        spellings = self.spellings.get(language)
        if not spellings or not any(token.text in spellings for token in tokens):
            return tokens
        out = []
        for token in tokens:
            for part in spellings.get(token.text, (token.text,)):
                out.append(Token(part, token.start, token.end))
        return out


def _fire(pattern, by_lexicon):
    """The matches that make a pattern fire, or an empty list."""
    if not all(by_lexicon.get(name) for name in pattern.word_lexicons):
        return []
    if not all(by_lexicon[name] for name in pattern.regex_lexicons):
        return []
    hits = []
    for anchor in by_lexicon[pattern.lexicons[0]]:
        near = [anchor]
        for name in pattern.lexicons[1:]:
            closest = [
                m for m in by_lexicon[name]
                if _distance(anchor, m) <= pattern.window and (not pattern.ordered or m.first > near[-1].last)
            ]
            if not closest:
                break
            near.append(min(closest, key=lambda m: _distance(anchor, m)))
        else:
            first = min(m.first for m in near)
            last = max(m.last for m in near)
            vetoed = any(
                m.last >= first - pattern.unless_window and m.first <= last + pattern.unless_window
                for name in pattern.unless
                for m in by_lexicon[name]
            ) or any(
                first - pattern.unless_window <= m.last < first
                for name in pattern.unless_before
                for m in by_lexicon[name]
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


def _merge(spans):
    merged = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
