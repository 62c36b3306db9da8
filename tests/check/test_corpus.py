"""The check's labelled corpus is data a reviewer can trust: valid, recorded, large, balanced, without repeats."""

import json
import re
import unicodedata
from collections import Counter

from app.check import corpus
from app.check.evaluation import load_drafts
from app.check.schemas import RULE_IDS, DraftSchema
from tests.conftest import DATA

SETS = corpus.sets()
SPLIT = [draft for name, entry in corpus.manifest().items() if entry["use"] == "split" for draft in SETS[name]]
TRAINING = [draft for name, entry in corpus.manifest().items() if entry["use"] != "blind" for draft in SETS[name]]


def folded(text):
    """A draft's text with case, accents, punctuation, spaces and emoji taken away."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def test_every_draft_follows_the_schema_with_its_keys_in_order():
    for entry in corpus.manifest().values():
        for line in (corpus.ROOT / entry["file"]).read_text(encoding="utf-8").splitlines():
            loaded = json.loads(line)
            assert list(loaded) == ["id", "lang", "text", "expect", "allow", "flagged"]
            assert DraftSchema().load(loaded) == loaded


def test_every_file_is_listed_and_its_authors_recorded():
    listed = {entry["file"] for entry in corpus.manifest().values()}
    assert listed == {path.name for path in corpus.ROOT.glob("*.jsonl")}
    readme = (corpus.ROOT / "README.md").read_text(encoding="utf-8")
    for name in listed:
        assert f"`{name}`" in readme, f"corpus/README.md does not say who wrote {name}"


def test_no_two_drafts_fold_to_the_same_text_and_no_id_repeats():
    everything = [d for drafts in SETS.values() for d in drafts] + load_drafts(DATA / "check-examples.jsonl")
    texts = Counter(folded(d["text"]) for d in everything)
    assert [text for text, count in texts.items() if count > 1] == []
    ids = Counter(d["id"] for d in everything)
    assert [i for i, count in ids.items() if count > 1] == []


def test_the_corpus_is_large_bilingual_and_covers_every_rule_in_both_languages():
    assert len(TRAINING) >= 4000
    by_language = Counter(d["lang"] for d in TRAINING)
    assert by_language["cy"] >= len(TRAINING) / 2 - 100
    for language in ("en", "cy"):
        for rule in RULE_IDS:
            positives = sum(rule in d["expect"] for d in TRAINING if d["lang"] == language)
            assert positives >= 250, f"{rule} in {language}: {positives}"
    harmless = sum(not d["flagged"] for d in TRAINING) / len(TRAINING)
    assert 0.3 <= harmless <= 0.5


def test_splits_come_from_the_id_alone_and_keep_their_proportions():
    assert corpus.split_of("author1-en-0001") == corpus.split_of("author1-en-0001")
    shares = Counter(corpus.split_of(d["id"]) for d in SPLIT)
    assert 0.65 <= shares["train"] / len(SPLIT) <= 0.75
    assert 0.12 <= shares["dev"] / len(SPLIT) <= 0.18
    assert 0.12 <= shares["test"] / len(SPLIT) <= 0.18
    splits = corpus.splits()
    seen = {split: {d["id"] for d in splits[split]} for split in ("train", "dev", "test")}
    assert not seen["train"] & seen["dev"] and not seen["train"] & seen["test"] and not seen["dev"] & seen["test"]
    blind = {d["id"] for drafts in splits["blind"].values() for d in drafts}
    assert blind and not blind & (seen["train"] | seen["dev"] | seen["test"])


def test_cross_validation_scores_each_author_with_a_model_that_never_read_them():
    folds = corpus.folds_by_author(folds=5)
    for name, entry in corpus.manifest().items():
        drafts = SETS[name]
        if entry["use"] == "blind":
            assert not any(d["id"] in folds for d in drafts), f"{name} is blind but in a fold"
        else:
            assert len({folds[d["id"]] for d in drafts}) == 1, f"{name} is spread over several folds"
    sizes = Counter(folds.values())
    assert sorted(sizes) == [0, 1, 2, 3, 4]
    assert min(sizes.values()) >= len(folds) / 5 / 2
