"""Measure the check engine against labelled drafts: per language, each rule's precision and recall, and verdicts.

A labelled draft says which rules must be found (``expect``), which may also be
found without counting against precision (``allow``), and whether the verdict
must be other than ``ok`` (``flagged``).
"""

import json
from dataclasses import dataclass, field


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self):
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self):
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class Report:
    rules: dict = field(default_factory=dict)
    verdicts_right: int = 0
    drafts: int = 0
    mistakes: list = field(default_factory=list)

    @property
    def verdict_accuracy(self):
        return self.verdicts_right / self.drafts if self.drafts else 1.0


def load_drafts(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(check, drafts):
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
        if not right or not expected <= found or found - expected - allowed:
            report.mistakes.append((draft["id"], verdict, sorted(found), sorted(expected), draft["text"]))
    return reports


def summary(reports):
    lines = []
    for language, report in sorted(reports.items()):
        lines.append(f"{language}: verdict right {report.verdicts_right}/{report.drafts} ({report.verdict_accuracy:.2f})")
        for rule, score in sorted(report.rules.items()):
            lines.append(f"  {rule:22} precision {score.precision:.2f}  recall {score.recall:.2f}"
                         f"  (tp {score.true_positive}, fp {score.false_positive}, fn {score.false_negative})")
    return "\n".join(lines)
