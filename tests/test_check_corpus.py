"""The check, rules and model together, against labelled drafts it never learnt from or was tuned on.

check-examples.jsonl: the project's samples, copied from shared/examples: each must be judged as labelled.
The corpus's test split (corpus/sets.yaml): drafts by the corpus's authors that neither the model
nor its thresholds ever saw. Targets per language: macro recall 0.85, precision 0.85, verdicts
right 0.90, harmless drafts left ok 0.90, and Welsh within 0.05 of English on each.
"""

import pytest

from app.check import corpus, language_id
from app.check.evaluation import checker, evaluate, load_drafts, summary
from tests.conftest import DATA

SAMPLES = load_drafts(DATA / "check-examples.jsonl")
TARGETS = {"macro_recall": 0.85, "precision": 0.85, "verdict_accuracy": 0.90, "harmless_left_ok": 0.90}


@pytest.fixture(scope="module")
def check():
    return checker()


@pytest.mark.parametrize("draft", SAMPLES, ids=[d["id"] for d in SAMPLES])
def test_every_sample_draft_is_judged_as_labelled(check, draft):
    verdict, found = check(draft["text"], draft["lang"])
    assert set(draft["expect"]) <= set(found) <= set(draft["expect"]) | set(draft["allow"])
    assert (verdict != "ok") == draft["flagged"]


def test_the_test_split_meets_the_targets_in_both_languages(check):
    reports = evaluate(check, corpus.splits()["test"])
    print(summary(reports))
    assert set(reports) == {"en", "cy"}
    for measure, target in TARGETS.items():
        for language, report in reports.items():
            assert getattr(report, measure) >= target, f"{language} {measure}"
        assert getattr(reports["cy"], measure) >= getattr(reports["en"], measure) - 0.05, f"Welsh lags English: {measure}"


def test_language_detection_agrees_with_the_labels():
    drafts = [draft for drafts in corpus.sets().values() for draft in drafts] + SAMPLES
    agreed = sum(language_id.detect(d["text"]) in (d["lang"], "mixed") for d in drafts)
    assert agreed / len(drafts) >= 0.95
