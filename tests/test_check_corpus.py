"""The engine against labelled drafts in both languages: the samples must all pass; the corpus must score well.

check-examples.jsonl: the project's samples, copied from shared/examples.
check-corpus, check-holdout and check-blind to check-blind5: 763 labelled drafts written for this project by authors
who did not see the rules, with hard negatives. Each was first used to measure the engine blind (the
README records those figures), then to improve it; together they now guard against regressions.
"""

import pytest

from app.check import language_id
from app.content import load_library
from app.check.evaluation import evaluate, load_drafts, summary
from tests.conftest import CONTENT, DATA

SAMPLES = load_drafts(DATA / "check-examples.jsonl")
CORPUS = [
    draft
    for name in ("corpus", "holdout", "blind", "blind2", "blind3", "blind4", "blind5")
    for draft in load_drafts(DATA / f"check-{name}.jsonl")
]


@pytest.fixture(scope="module")
def check():
    rules = load_library(CONTENT).get("2021-02-01").rules

    def run(text, language):
        result = rules.check(text, language_id.lexicon_languages("auto", language_id.identify(text)), "personal")
        return result.verdict, [finding.rule.id for finding in result.findings]

    return run


@pytest.mark.parametrize("draft", SAMPLES, ids=[d["id"] for d in SAMPLES])
def test_every_sample_draft_is_judged_as_labelled(check, draft):
    verdict, found = check(draft["text"], draft["lang"])
    assert set(draft["expect"]) <= set(found) <= set(draft["expect"]) | set(draft["allow"])
    assert (verdict != "ok") == draft["flagged"]


def test_corpus_scores_meet_the_targets_in_both_languages(check):
    reports = evaluate(check, CORPUS)
    print(summary(reports))
    assert set(reports) == {"en", "cy"}
    for language, report in reports.items():
        found = sum(s.true_positive + s.false_positive for s in report.rules.values())
        wanted = sum(s.true_positive + s.false_negative for s in report.rules.values())
        hits = sum(s.true_positive for s in report.rules.values())
        assert report.verdict_accuracy >= 0.9, language
        assert hits / found >= 0.9, f"{language} precision"
        assert hits / wanted >= 0.85, f"{language} recall"
    assert reports["cy"].verdict_accuracy >= reports["en"].verdict_accuracy - 0.05, "Welsh must not lag English"


def test_language_detection_agrees_with_the_labels():
    agreed = sum(language_id.detect(d["text"]) in (d["lang"], "mixed") for d in CORPUS + SAMPLES)
    assert agreed / len(CORPUS + SAMPLES) >= 0.95
