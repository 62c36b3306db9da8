"""The check's judgement: the precise rules and the trained model, together.

A rule finding is evidence someone wrote down; a model finding is what the model learnt from the
labelled corpus. Each finding says which found it (``basis``) and how sure it is (``confidence``):
the model's probability for the rule, or, for a rule alone, that rule's precision on the split
sets' train and dev drafts, measured when the model was trained; the higher, when both found it.

Where the rules found it, their spans are its evidence; where only the model did, the words that
raised the model's score most are. A finding of the model alone is ``medium``, a verdict of
``review``: in the spirit of "if in doubt, don't post it" it asks for a second look, but only the rules, which name their evidence, say
``do-not-post``. A rule's ``model_unless`` lexicons (news said to be published, a talent-show vote)
set aside a finding of the model alone for that rule; and where the model gives a rule less than
``model.DOUBT`` and less than its threshold, it sets aside the rules' finding for it (a lexicon's
words used innocently).
"""

from app.check.engine import Draft, Finding, Result, Ruleset
from app.check.model import DOUBT, Model

MODEL_SEVERITY = "medium"
BASES = ("rule", "model")


def judge(
    ruleset: Ruleset, model: Model, draft: Draft, languages: list[str], account: str, bases: tuple[str, ...] = BASES
) -> Result:
    """The verdict (an ``engine.Result``) on a ``Draft``, read in ``languages``, from ``bases``."""
    rules = ruleset.read(draft, languages)
    reading = model.read(draft, "cy" in languages, rules) if "model" in bases else None
    scores = reading.scores() if reading else []
    doubted = {score.rule for score in scores if score.probability < DOUBT and not score.found}
    findings = {}
    if "rule" in bases:
        for finding in rules.findings:
            if account in finding.rule.accounts and finding.rule.id not in doubted:
                finding.confidence = model.rule_precision.get(finding.rule.id, 1.0)
                findings[finding.rule.id] = finding
    matched = {match.lexicon for match in rules.matches}
    for score in scores:
        rule = ruleset.rule(score.rule)
        if not score.found or account not in rule.accounts:
            continue
        if score.rule not in findings and rule.model_unless & matched:
            continue  # the rules' words explain the draft away: the model alone does not overrule them
        finding = findings.get(score.rule)
        if finding is None:
            evidence = reading.evidence(score.rule)
            findings[score.rule] = Finding(rule, MODEL_SEVERITY, evidence, ("model",), score.probability)
        else:  # the rules' spans stay: they name their evidence exactly
            finding.basis = BASES
            finding.confidence = max(finding.confidence, score.probability)
    ordered = [findings[rule.id] for rule in ruleset.rules if rule.id in findings]
    return ruleset.result(ordered)
