"""The check's trained model: trained on the corpus as it is, again the same by its command, scoring
as scikit-learn does, reading Welsh mutations as their radicals, and explaining its findings."""

import numpy as np
import pytest

from app.check import corpus
from app.check.engine import Draft, Reading
from app.check.features import WEIGHTS, features
from app.check.judgement import judge
from app.check.language_id import identify, lexicon_languages
from app.check.model import DOUBT, FOLDER, FeatureIndex, Model, model
from app.check.training import (
    RULES,
    choose_threshold,
    feature_lists,
    latest_rules,
    read,
    stacked_probabilities,
    train,
    write,
)
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def retrained(tmp_path_factory):
    trained = train()
    folder = tmp_path_factory.mktemp("model")
    write(trained, folder)
    return trained, folder


def test_the_committed_model_was_trained_on_the_corpus_and_rules_as_they_are():
    meta = model().meta
    assert meta["corpus_fingerprint"] == corpus.fingerprint(), "run: python -m app.check.training"
    assert meta["rules_fingerprint"] == latest_rules(CONTENT)[1], "run: python -m app.check.training"


def test_a_threshold_is_the_lowest_precise_enough_and_never_below_the_floor():
    scores, truth = [0.02, 0.05, 0.3, 0.6, 0.9, 0.95], [1, 0, 1, 1, 1, 1]
    assert choose_threshold(scores, truth)[0] == 0.3  # at 0.02: six flagged, five right, 0.83 < 0.9
    assert choose_threshold(scores, [1] * len(scores))[0] == 0.02  # every draft a breach
    assert choose_threshold(scores, truth, floor=0.1) == (0.1, 1.0, 0.8)
    assert choose_threshold(scores, [1, 0, 0, 1, 1, 1], floor=0.1)[0] == 0.6


def test_the_model_finds_no_rule_below_the_floor_of_probability():
    assert all(threshold >= DOUBT for threshold in model().meta["thresholds"].values())


@pytest.mark.slow  # trains the model again
def test_training_again_gives_the_committed_model(retrained):
    _, folder = retrained
    committed, again = model(), Model(folder)
    assert again.meta == committed.meta
    assert (folder / "features.json").read_text(encoding="utf-8") == (FOLDER / "features.json").read_text(
        encoding="utf-8"
    )
    # The same to float32 rounding: another processor may sum in another order.
    for name in ("coef", "intercept", "idf", "stack_coef", "stack_intercept"):
        assert np.allclose(getattr(again, name), getattr(committed, name), rtol=0, atol=1e-6), name
    assert (folder / "CARD.md").read_text(encoding="utf-8") == (FOLDER / "CARD.md").read_text(encoding="utf-8")


@pytest.mark.slow  # trains the model again
def test_the_model_scores_as_scikit_learn_does(retrained):
    trained, folder = retrained
    drafts = corpus.splits()["dev"][:200]
    ruleset, _ = latest_rules(CONTENT)
    matrix = trained["vectorizer"].transform(feature_lists(drafts, ruleset))
    expected = stacked_probabilities(trained["classifiers"], trained["stackers"], matrix)
    ours = Model(folder)
    for number, draft in enumerate(drafts):
        scores = {s.rule: s.probability for s in ours.read(*read(draft["text"], ruleset)).scores()}
        for rule in RULES:
            assert scores[rule] == pytest.approx(expected[rule][number], abs=1e-4), (draft["id"], rule)


NOTHING = Reading([], [])


@pytest.mark.parametrize("word", ["Plaid", "Blaid", "Mhlaid", "Phlaid"])
def test_a_welsh_word_also_counts_as_its_radical_form(word):
    found = features(Draft(f"Dw i'n pleidleisio dros {word} Cymru"), True, NOTHING)
    assert "w:plaid" in found
    assert "w:cymru" in found


def test_english_words_are_not_read_as_welsh_mutations():
    assert "w:plaid" not in features(Draft("Vote for Blaid"), False, NOTHING)


def test_emoji_are_features_of_their_own():
    assert "e:🤫" in features(Draft("Big news coming for the department 🤫"), False, NOTHING)


def test_what_the_rules_found_is_read_by_the_model():
    ruleset, _ = latest_rules(CONTENT)
    draft = Draft("Vote Labour on Thursday!")
    found = features(draft, False, ruleset.read(draft, ["en"]))
    assert "p:political-activity" in found
    assert {"l:campaigning", "l:party-ambiguous"} <= set(found)


def test_a_model_finding_says_what_found_it_how_sure_and_where():
    ruleset, _ = latest_rules(CONTENT)
    trained = model()
    # A draft the precise rules miss and the model finds, from the model's own dev split.
    for draft in corpus.splits()["dev"]:
        text = Draft(draft["text"])
        rules_alone = {f.rule.id for f in ruleset.findings(text, ["en", "cy"], "personal")}
        result = judge(ruleset, trained, text, ["en", "cy"], "personal")
        model_only = [f for f in result.findings if f.basis == ("model",) and f.rule.id not in rules_alone]
        if model_only:
            break
    else:
        pytest.fail("the model adds no finding to the rules on the whole dev split")
    finding = model_only[0]
    assert finding.severity == "medium"
    assert trained.thresholds[trained.rules.index(finding.rule.id)] <= finding.confidence <= 1
    assert finding.spans, "a model finding points at the words behind it"
    for start, end in finding.spans:
        assert 0 <= start < end <= len(draft["text"])
        assert draft["text"][start:end].strip()


def test_rule_findings_carry_the_rules_measured_precision():
    ruleset, _ = latest_rules(CONTENT)
    trained = model()
    result = judge(ruleset, trained, Draft("Vote Labour on Thursday!"), ["en"], "personal", bases=("rule",))
    assert [f.rule.id for f in result.findings] == ["political-activity"]
    assert result.findings[0].basis == ("rule",)
    assert result.findings[0].confidence == trained.rule_precision["political-activity"]


@pytest.mark.parametrize("text", ["Vote Plaid Cymru", "Pleidleisiwch dros Blaid Cymru!", "Vote Labour on Thursday!"])
def test_a_breach_the_first_level_is_sure_of_stays_found_through_the_second(text):
    """However sure the first level is, the second level does not turn a plain breach into none."""
    ruleset, _ = latest_rules(CONTENT)
    result = judge(ruleset, model(), Draft(text), ["en", "cy"], "personal", bases=("model",))
    assert "political-activity" in [f.rule.id for f in result.findings]


def test_the_model_sets_aside_a_rule_finding_only_where_it_is_all_but_sure_the_rule_is_not_breached():
    ruleset, _ = latest_rules(CONTENT)
    trained = model()
    set_aside = 0
    for draft in corpus.splits()["dev"]:
        languages = lexicon_languages("auto", identify(Draft(draft["text"])))
        found = {
            bases: {
                f.rule.id for f in judge(ruleset, trained, Draft(draft["text"]), languages, "personal", bases).findings
            }
            for bases in (("rule",), ("rule", "model"))
        }
        scores = {s.rule: s for s in trained.read(*read(draft["text"], ruleset)).scores()}
        for rule in found["rule",] - found["rule", "model"]:
            set_aside += 1
            assert scores[rule].probability < DOUBT and not scores[rule].found, (draft["id"], rule)
    assert set_aside, "the model set aside no rule finding on the whole dev split"


def test_the_feature_index_finds_each_known_feature_as_many_times_as_it_counts():
    index = FeatureIndex(["w:plaid", "b:vote plaid", "c:pla", "e:🗳"])
    weights = {kind: WEIGHTS[kind] for kind in "wbce"}
    assert index.counted(["b:vote plaid", "w:unknown", "w:plaid"]) == [1] * weights["b"] + [0] * weights["w"]
    assert index.counted_with(["e:🗳", "c:zzz"], ["here", "there"]) == [(3, "here")] * weights["e"]
    assert index.counted(["w:" + word for word in ("a", "b", "c")]) == []


def test_a_feature_index_refuses_two_features_it_cannot_tell_apart():
    with pytest.raises(ValueError):
        FeatureIndex(["w:plaid", "c:pla", "w:plaid"])
