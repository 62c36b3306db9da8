"""Train the check's model from the labelled corpus: ``python -m app.check.training``.

Deterministic: the same corpus and rules give the same model, byte for byte on one machine. The
corpus (``corpus/sets.yaml``) is split by a hash of each draft's id into train, dev and test; a set
marked ``train`` goes to training whole and a set marked ``blind`` is never read here. The model
learns from train and dev together, by cross-validation over them by author (every draft scored by
a model that learnt nothing its author wrote, as the check meets posts by people it never read):

1. the first level (a classifier per rule, and one for any breach at all) has its regularisation
   chosen on those scores, on the split sets' drafts only, for the most recall at a precision of at
   least ``TARGET_PRECISION``;
2. the second level (a classifier per rule over the rule's and the breach's first-level
   probabilities, ``model.interactions``) learns from the first level's cross-validated scores, as it will meet
   them on new drafts, and is cross-validated in turn, by the same folds; each rule's threshold is
   chosen on its scores there, for precision of at least ``TARGET_PRECISION``, and never below
   ``model.DOUBT``.

The test split is only measured, for the card, once everything is chosen.
"""

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from scipy.sparse import spmatrix
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from app.check import corpus as corpora
from app.check.engine import Draft, Reading, Ruleset
from app.check.features import features
from app.check.language_id import identify, lexicon_languages
from app.check.model import BREACH, DOUBT, FOLDER, interactions
from app.guidance.content import LEXICONS, PROJECT_CONTENT, load_library

RULES = (
    "official-information",
    "political-activity",
    "policy-comment",
    "controversial-issue",
    "personal-attack",
    "accuracy",
    "security",
)
TARGET_PRECISION = 0.9
REGULARISATION = (4.0, 16.0, 64.0, 256.0)  # candidate C, chosen per rule by cross-validation
HEADS = (*RULES, BREACH)  # what the first level scores
STACK_REGULARISATION = 1.0  # the second level's C
FOLDS = 5
MIN_DF = 2
SEED = 0
TOLERANCE = 1e-8


def read(text: str, ruleset: Ruleset) -> tuple[Draft, bool, Reading]:
    """A draft as the check reads it with language ``auto``: the draft, whether its words are also
    read as Welsh radicals, and the rules' reading of it."""
    draft = Draft(text)
    languages = lexicon_languages("auto", identify(draft))
    return draft, "cy" in languages, ruleset.read(draft, languages)


def feature_lists(drafts: list[dict], ruleset: Ruleset) -> list[list[str]]:
    return [features(*read(d["text"], ruleset)) for d in drafts]


def labels(drafts: list[dict], rule: str) -> list[int | None]:
    """1 where the rule is expected, 0 where it is not, None where it is only allowed (left out).
    For ``BREACH``: 1 where any rule is expected, 0 where none is, None where one is only allowed."""
    if rule == BREACH:
        return [1 if d["expect"] else None if d["allow"] else 0 for d in drafts]
    return [1 if rule in d["expect"] else None if rule in d["allow"] else 0 for d in drafts]


def precision_recall(scores: list[float], truth: list[int | None], threshold: float) -> tuple[float, float]:
    found = [(s >= threshold, t) for s, t in zip(scores, truth) if t is not None or s < threshold]
    tp = sum(1 for hit, t in found if hit and t == 1)
    fp = sum(1 for hit, t in found if hit and t == 0)
    fn = sum(1 for hit, t in found if not hit and t == 1)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def choose_threshold(
    scores: list[float], truth: list[int | None], floor: float | None = None
) -> tuple[float, float, float]:
    """The lowest threshold, not below ``floor``, whose precision on dev is at least the target
    (most recall); else the most precise one."""
    candidates = {round(s, 6) for s, t in zip(scores, truth) if t == 1}
    if floor is not None:
        candidates = {c for c in candidates if c > floor} | {floor}
    candidates = sorted(candidates)
    best = None
    for threshold in candidates:
        precision, recall = precision_recall(scores, truth, threshold)
        if precision >= TARGET_PRECISION:
            return threshold, precision, recall
        if best is None or precision > best[1]:
            best = (threshold, precision, recall)
    return best or (0.5, 1.0, 0.0)


def fit(matrix: spmatrix, truth: list[int | None], c: float) -> LogisticRegression:
    """A rule's classifier, solved to ``TOLERANCE``: liblinear stops at its default 1e-4 where the last bits of
    another processor's BLAS have moved it, so thresholds chosen on its scores would differ between machines."""
    keep = [i for i, t in enumerate(truth) if t is not None]
    classifier = LogisticRegression(C=c, solver="liblinear", tol=TOLERANCE, max_iter=2000, random_state=SEED)
    classifier.fit(matrix[keep], np.array([truth[i] for i in keep]))
    return classifier


def rules_precision(ruleset: Ruleset, drafts: list[dict]) -> dict[str, float]:
    """Each rule's precision, by the rules alone, on labelled drafts: a rule finding's confidence."""
    found = {rule: [0, 0] for rule in RULES}
    for draft in drafts:
        _, _, rules = read(draft["text"], ruleset)
        for finding in rules.findings:
            rule = finding.rule.id
            if rule in draft["expect"]:
                found[rule][0] += 1
            elif rule not in draft["allow"]:
                found[rule][1] += 1
    return {rule: round(tp / (tp + fp), 4) if tp + fp else 1.0 for rule, (tp, fp) in found.items()}


def latest_rules(content: str | Path = PROJECT_CONTENT) -> tuple[Ruleset, str]:
    """The rules of the latest version, and the SHA-256 of the files they come from (its rules.yaml
    and the shared lexicons): the model reads what they find, so it is trained for them."""
    version = load_library(content).versions[-1]
    digest = hashlib.sha256()
    for path in [Path(content) / version.id / "rules.yaml", *sorted((Path(content) / LEXICONS).glob("*.yaml"))]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return version.rules, digest.hexdigest()


def vectorizer_of(feature_lists_: list[list[str]]) -> tuple[TfidfVectorizer, spmatrix]:
    """tf-idf over a draft's features, fitted on the drafts given: the arithmetic app.check.model repeats."""
    vectorizer = TfidfVectorizer(analyzer=lambda feats: feats, min_df=MIN_DF, sublinear_tf=True, dtype=np.float64)
    return vectorizer, vectorizer.fit_transform(feature_lists_)


def author_folds(pool: list[dict], root: str | Path = corpora.ROOT) -> list[int]:
    """Each draft's fold: the pool in FOLDS parts by author (``corpus.folds_by_author``)."""
    fold_of = corpora.folds_by_author(root, FOLDS)
    return [fold_of[draft["id"]] for draft in pool]


def fold_parts(folds: list[int]) -> list[tuple[list[int], list[int]]]:
    """For each fold, the places of the drafts outside it (to learn from) and in it (to score)."""
    return [
        ([i for i, f in enumerate(folds) if f != fold], [i for i, f in enumerate(folds) if f == fold])
        for fold in range(FOLDS)
    ]


def out_of_fold_scores(
    pool: list[dict], pool_features: list[list[str]], folds: list[int]
) -> dict[tuple[str, float], np.ndarray]:
    """Each first-level head's and each C's score (log-odds) for every draft of the pool, from a
    model that did not learn it: each fold scored by a model fitted on the others."""
    scores = {(head, c): np.zeros(len(pool)) for head in HEADS for c in REGULARISATION}
    for inside, outside in fold_parts(folds):
        vectorizer, matrix = vectorizer_of([pool_features[i] for i in inside])
        held_out = vectorizer.transform([pool_features[i] for i in outside])
        for head in HEADS:
            truth = labels([pool[i] for i in inside], head)
            for c in REGULARISATION:
                scores[head, c][outside] = fit(matrix, truth, c).decision_function(held_out)
    return scores


def out_of_fold_stacked(pool: list[dict], inputs: dict[str, np.ndarray], folds: list[int]) -> dict[str, list[float]]:
    """Each rule's second-level probability for every draft of the pool, each fold's from a second
    level fitted on the others' (first-level scores that were themselves out of fold)."""
    scores = {rule: np.zeros(len(pool)) for rule in RULES}
    for inside, outside in fold_parts(folds):
        for rule in RULES:
            truth = labels([pool[i] for i in inside], rule)
            stacker = fit(inputs[rule][inside], truth, STACK_REGULARISATION)
            scores[rule][outside] = stacker.predict_proba(inputs[rule][outside])[:, 1]
    return {rule: values.tolist() for rule, values in scores.items()}


def stacked_probabilities(classifiers: dict, stackers: dict, matrix: spmatrix) -> dict[str, np.ndarray]:
    """Each rule's probability for the drafts of a tf-idf matrix, through both levels, by scikit-learn."""
    first = {head: classifiers[head].predict_proba(matrix)[:, 1] for head in HEADS}
    return {rule: stackers[rule].predict_proba(interactions(first[rule], first[BREACH]))[:, 1] for rule in RULES}


def train(root: str | Path = corpora.ROOT, content: str | Path = PROJECT_CONTENT) -> dict:
    """The model, fitted on the train and dev splits, its choices made by cross-validation over them."""
    splits = corpora.splits(root)
    pool = splits["train"] + splits["dev"]
    ruleset, rules_fingerprint = latest_rules(content)
    pool_features = feature_lists(pool, ruleset)
    folds = author_folds(pool, root)
    scores = out_of_fold_scores(pool, pool_features, folds)
    vectorizer, matrix = vectorizer_of(pool_features)
    # Choices are made on drafts like those the check will meet: not on the sets marked train (the
    # rules were tuned on some, where what they found is a surer sign than anywhere else; the others
    # were read while the model was designed).
    uses = corpora.uses(root)
    fresh = [i for i, d in enumerate(pool) if uses[d["id"]] == "split"]
    regularisation, classifiers = {}, {}
    for head in HEADS:
        truth = labels(pool, head)
        best = None
        for c in REGULARISATION:
            _, precision, recall = choose_threshold([scores[head, c][i] for i in fresh], [truth[i] for i in fresh])
            key = (precision >= TARGET_PRECISION, recall, precision)
            if best is None or key > best[0]:
                best = (key, c)
        regularisation[head] = best[1]
        classifiers[head] = fit(matrix, truth, best[1])
    first = {head: expit(scores[head, regularisation[head]]) for head in HEADS}  # probabilities
    inputs = {rule: interactions(first[rule], first[BREACH]) for rule in RULES}
    stacked = out_of_fold_stacked(pool, inputs, folds)
    chosen, stackers = {}, {}
    for rule in RULES:
        truth = labels(pool, rule)
        threshold, precision, recall = choose_threshold(
            [stacked[rule][i] for i in fresh], [truth[i] for i in fresh], DOUBT
        )
        stackers[rule] = fit(inputs[rule], truth, STACK_REGULARISATION)
        chosen[rule] = {
            "C": regularisation[rule],
            "threshold": threshold,
            "cv_precision": round(precision, 4),
            "cv_recall": round(recall, 4),
        }
    return {
        "measured": {
            "cross-validated": cross_validated(
                [pool[i] for i in fresh], {rule: [v[i] for i in fresh] for rule, v in stacked.items()}, chosen
            ),
            "test": measure(vectorizer, classifiers, stackers, chosen, splits["test"], ruleset),
        },
        "vectorizer": vectorizer,
        "classifiers": classifiers,
        "stackers": stackers,
        "names": vectorizer.get_feature_names_out().tolist(),
        "idf": vectorizer.idf_,
        "coef": np.array([classifiers[head].coef_[0] for head in HEADS]).T,
        "intercept": np.array([classifiers[head].intercept_[0] for head in HEADS]),
        "stack_coef": np.array([stackers[rule].coef_[0] for rule in RULES]),
        "stack_intercept": np.array([stackers[rule].intercept_[0] for rule in RULES]),
        "chosen": chosen,
        "breach_C": regularisation[BREACH],
        "counts": corpora.counts(splits, RULES),
        "fingerprint": corpora.fingerprint(root),
        "rule_precision": rules_precision(ruleset, [pool[i] for i in fresh]),
        "rules_fingerprint": rules_fingerprint,
    }


def cross_validated(
    pool: list[dict], scores: dict[str, list[float]], chosen: dict[str, dict]
) -> dict[str, dict[str, dict[str, float]]]:
    """The out-of-fold precision and recall of each rule per language, at its chosen threshold."""
    table = {}
    for language in ("en", "cy"):
        rows = [i for i, d in enumerate(pool) if d["lang"] == language]
        for rule in RULES:
            precision, recall = precision_recall(
                [scores[rule][i] for i in rows], labels([pool[i] for i in rows], rule), chosen[rule]["threshold"]
            )
            table.setdefault(language, {})[rule] = {"precision": round(precision, 3), "recall": round(recall, 3)}
    return table


def measure(
    vectorizer: TfidfVectorizer,
    classifiers: dict[str, LogisticRegression],
    stackers: dict[str, LogisticRegression],
    chosen: dict[str, dict],
    drafts: list[dict],
    ruleset: Ruleset,
) -> dict[str, dict[str, dict[str, float]]]:
    """The model alone on labelled drafts: each rule's precision and recall per language, at its threshold."""
    table = {}
    for language in ("en", "cy"):
        chosen_drafts = [d for d in drafts if d["lang"] == language]
        matrix = vectorizer.transform(feature_lists(chosen_drafts, ruleset))
        probabilities = stacked_probabilities(classifiers, stackers, matrix)
        for rule in RULES:
            precision, recall = precision_recall(
                probabilities[rule].tolist(), labels(chosen_drafts, rule), chosen[rule]["threshold"]
            )
            table.setdefault(language, {})[rule] = {"precision": round(precision, 3), "recall": round(recall, 3)}
    return table


def card(meta: dict, measured: dict) -> str:
    """The model card: what the model was trained and measured on, and how well it did."""
    counts = meta["counts"]
    lines = [
        "# The check's model",
        "",
        f"Two levels of logistic regression (scikit-learn, liblinear, seed {meta['seed']}). The first reads",
        "tf-idf features of a draft (`app/check/features.py`): folded words, a Welsh draft's words also as",
        "their radical forms, pairs of words, three to five letters of each word, emoji, and what the rules'",
        f"lexicons matched and which rules fired ({meta['features']:,} features seen in at least {meta['min_df']} drafts);",
        "it scores each rule, and whether the draft breaches any rule at all. The second, one per rule,",
        "reads the rule's probability and the breach's and their products: a rule's finding rests",
        "on its own evidence, weighed by how much the draft reads like a breach at all (`app/check/model.py`).",
        "",
        "It learnt from the train and dev splits together, and the sets the rules were tuned on. The first",
        f"level's regularisation (C) was chosen by {meta['folds']}-fold cross-validation over them by author (each",
        "draft scored by a model that learnt nothing its author wrote), on the drafts of the split sets",
        f"only, for the most recall at a precision of at least {TARGET_PRECISION} (C {meta['breach_regularisation']:g} for any breach). The",
        "second level learnt from those cross-validated scores, as it meets the first level's scores on",
        f"new drafts (C {meta['stack_regularisation']:g}), and was cross-validated by the same folds; each rule's threshold was",
        f"chosen on its scores there, for precision of at least {TARGET_PRECISION}, and never below a probability of",
        f"{DOUBT}. The test split was measured once",
        "everything was chosen, and chose nothing; the blind sets were not read at all.",
        "",
        f"Trained by `{meta['command']}` on the corpus with SHA-256 `{meta['corpus_fingerprint']}`",
        f"(`corpus/sets.yaml` and every set it names), for the rules with SHA-256 `{meta['rules_fingerprint']}`",
        "(the latest version's `rules.yaml` and `content/lexicons/`). A finding of the rules alone has",
        "as its confidence the rule's precision, cross-validated below.",
        "",
        "## Data: drafts, harmless drafts and positives of each rule",
        "",
        "| split | language | drafts | harmless | " + " | ".join(RULES) + " |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in RULES) + " |",
    ]
    for split in ("train", "dev", "test"):
        for language in ("en", "cy"):
            row = counts.get(split, {}).get(language)
            if row:
                cells = [str(row["drafts"]), str(row["harmless"])] + [str(row[rule]) for rule in RULES]
                lines.append(f"| {split} | {language} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Choices and results of the model alone (precision / recall)",
        "",
        "| rule | first level's C | threshold | rules' precision | cross-validated en | cross-validated cy | test en | test cy |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        cells = [
            f"{measured[s][lang][rule]['precision']:.2f} / {measured[s][lang][rule]['recall']:.2f}"
            for s in ("cross-validated", "test")
            for lang in ("en", "cy")
        ]
        lines.append(
            f"| {rule} | {meta['regularisation'][rule]:g} | {meta['thresholds'][rule]:.3f} | "
            f"{meta['rule_precision'][rule]:.2f} | " + " | ".join(cells) + " |"
        )
    lines += ["", 'The whole check, rules and model together, is measured in the README ("How well it does").', ""]
    return "\n".join(lines)


def write(trained: dict, folder: str | Path = FOLDER) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": 2,
        "rules": list(RULES),
        "thresholds": {rule: trained["chosen"][rule]["threshold"] for rule in RULES},
        "regularisation": {rule: trained["chosen"][rule]["C"] for rule in RULES},
        "breach_regularisation": trained["breach_C"],
        "stack_regularisation": STACK_REGULARISATION,
        "cross_validated": {
            rule: {k: trained["chosen"][rule][k] for k in ("cv_precision", "cv_recall")} for rule in RULES
        },
        "folds": FOLDS,
        "features": len(trained["names"]),
        "min_df": MIN_DF,
        "seed": SEED,
        "rule_precision": trained["rule_precision"],
        "corpus_fingerprint": trained["fingerprint"],
        "rules_fingerprint": trained["rules_fingerprint"],
        "counts": trained["counts"],
        "command": "python -m app.check.training",
    }
    (folder / "model.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "features.json").write_text(
        "[\n" + ",\n".join(json.dumps(name, ensure_ascii=False) for name in trained["names"]) + "\n]\n",
        encoding="utf-8",
    )
    (folder / "CARD.md").write_text(card(meta, trained["measured"]), encoding="utf-8")
    np.savez_compressed(
        folder / "weights.npz",
        idf=trained["idf"].astype(np.float32),
        coef=trained["coef"].astype(np.float32),
        intercept=trained["intercept"].astype(np.float32),
        stack_coef=trained["stack_coef"].astype(np.float32),
        stack_intercept=trained["stack_intercept"].astype(np.float32),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(FOLDER), help="folder to write the model to")
    arguments = parser.parse_args(argv)
    trained = train()
    write(trained, arguments.out)
    print(f"{len(trained['names'])} features; corpus {trained['fingerprint'][:12]}")
    for rule, chosen in trained["chosen"].items():
        print(
            f"  {rule:22} C {chosen['C']:<5} threshold {chosen['threshold']:.3f}"
            f"  cross-validated precision {chosen['cv_precision']:.2f} recall {chosen['cv_recall']:.2f}"
        )


if __name__ == "__main__":
    main()
