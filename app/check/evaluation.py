"""Measure the check against labelled drafts: per language, each rule's precision and recall, verdicts,
and the harmless drafts left alone.

A labelled draft says which rules must be found (``expect``), which may also be
found without counting against precision (``allow``), and whether the verdict
must be other than ``ok`` (``flagged``).

    python -m app.check.evaluation FILE.jsonl [FILE.jsonl ...] [--basis rule|model|both]
    python -m app.check.evaluation --split test    # the corpus's own test split

Any JSON Lines file with those fields can be measured, so Welsh Government can measure the
check on its own drafts.
"""

import argparse
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class Report:
    rules: dict = field(default_factory=dict)
    verdicts_right: int = 0
    drafts: int = 0
    harmless: int = 0
    harmless_ok: int = 0
    mistakes: list = field(default_factory=list)

    @property
    def verdict_accuracy(self) -> float:
        return self.verdicts_right / self.drafts if self.drafts else 1.0

    @property
    def harmless_left_ok(self) -> float:
        """The share of harmless drafts given ``ok``."""
        return self.harmless_ok / self.harmless if self.harmless else 1.0

    def _totals(self):
        return [
            sum(getattr(s, name) for s in self.rules.values())
            for name in ("true_positive", "false_positive", "false_negative")
        ]

    @property
    def precision(self) -> float:
        """Precision over every finding of every rule (micro)."""
        tp, fp, _ = self._totals()
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def macro_recall(self) -> float:
        """The rules' recalls, averaged: each rule counts the same, however common."""
        recalls = [s.recall for s in self.rules.values() if s.true_positive + s.false_negative]
        return sum(recalls) / len(recalls) if recalls else 1.0


def load_drafts(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(check: Callable[[str, str], tuple[str, list[str]]], drafts: Iterable[dict]) -> dict[str, Report]:
    """``check(text, language)`` returns (verdict, rule ids). Returns a Report per language."""
    reports = {}
    for draft in drafts:
        report = reports.setdefault(draft["lang"], Report())
        verdict, found = check(draft["text"], draft["lang"])
        found, expected, allowed = set(found), set(draft["expect"]), set(draft["allow"])
        for rule in found | expected:
            score = report.rules.setdefault(rule, Score())
            if rule in expected and rule in found:
                score.true_positive += 1
            elif rule in expected:
                score.false_negative += 1
            elif rule not in allowed:
                score.false_positive += 1
        right = (verdict != "ok") == draft["flagged"]
        report.drafts += 1
        report.verdicts_right += right
        if not draft["flagged"]:
            report.harmless += 1
            report.harmless_ok += verdict == "ok"
        if not right or not expected <= found or found - expected - allowed:
            report.mistakes.append((draft["id"], verdict, sorted(found), sorted(expected), draft["text"]))
    return reports


def summary(reports: dict[str, Report]) -> str:
    lines = []
    for language, report in sorted(reports.items()):
        lines.append(
            f"{language}: {report.drafts} drafts; verdict right {report.verdict_accuracy:.2f};"
            f" harmless left ok {report.harmless_left_ok:.2f} ({report.harmless_ok}/{report.harmless});"
            f" precision {report.precision:.2f}; macro recall {report.macro_recall:.2f}"
        )
        for rule, score in sorted(report.rules.items()):
            lines.append(
                f"  {rule:22} precision {score.precision:.2f}  recall {score.recall:.2f}"
                f"  (tp {score.true_positive}, fp {score.false_positive}, fn {score.false_negative})"
            )
    return "\n".join(lines)


def checker(
    bases: tuple[str, ...] = ("rule", "model"), account: str = "personal"
) -> Callable[[str, str], tuple[str, list[str]]]:
    """``check(text, language)`` for ``evaluate``: the check as the API runs it, on the latest version,
    with the language detected, from the rules, the model or both."""
    from app.check import language_id
    from app.check.engine import Draft
    from app.check.judgement import judge
    from app.check.model import model
    from app.guidance.content import PROJECT_CONTENT, load_library

    ruleset, trained = load_library(PROJECT_CONTENT).versions[-1].rules, model()

    def check(text: str, _language: str) -> tuple[str, list[str]]:
        draft = Draft(text)
        languages = language_id.lexicon_languages("auto", language_id.identify(draft))
        result = judge(ruleset, trained, draft, languages, account, bases)
        return result.verdict, [finding.rule.id for finding in result.findings]

    return check


BASES = {"rule": ("rule",), "model": ("model",), "both": ("rule", "model")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure the check on labelled drafts (JSON Lines).")
    parser.add_argument("files", nargs="*", help="JSON Lines files of labelled drafts")
    parser.add_argument("--split", choices=("train", "dev", "test"), help="also measure this split of the corpus")
    parser.add_argument("--basis", choices=BASES, default="both", help="the rules, the model, or both (default)")
    parser.add_argument("--mistakes", action="store_true", help="list the drafts judged wrongly")
    arguments = parser.parse_args(argv)
    drafts = [draft for path in arguments.files for draft in load_drafts(path)]
    if arguments.split:
        from app.check import corpus

        drafts += corpus.splits()[arguments.split]
    if not drafts:
        parser.error("name a file or a --split")
    reports = evaluate(checker(BASES[arguments.basis]), drafts)
    print(summary(reports))
    if arguments.mistakes:
        for report in reports.values():
            for mistake in report.mistakes:
                print(*mistake, sep="\t")


if __name__ == "__main__":
    main()
