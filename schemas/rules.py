"""Schema for ``rules.yaml``: the lexicons and rules of the check engine for one guidance version."""

import regex
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from schemas.content import REMINDER_IDS, RESPONSIBILITY_IDS

RULE_IDS = RESPONSIBILITY_IDS + ("accuracy", "security")
SEVERITIES = ("low", "medium", "high")
ACCOUNTS = ("personal", "official")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def compiles(pattern):
    try:
        regex.compile(pattern, regex.IGNORECASE)
    except regex.error as error:
        raise ValidationError(f"Not a valid regular expression: {error}.") from None


class BilingualTextSchema(StrictSchema):
    en = fields.Str(required=True, validate=validate.Length(min=1))
    cy = fields.Str(required=True, validate=validate.Length(min=1))


class LexiconSchema(StrictSchema):
    """Terms in each language, or regular expressions that work in both."""

    en = fields.List(fields.Str(validate=validate.Length(min=1)), load_default=list)
    cy = fields.List(fields.Str(validate=validate.Length(min=1)), load_default=list)
    regex = fields.List(fields.Str(validate=compiles), load_default=list)

    @validates_schema
    def both_languages_or_regex(self, data, **kwargs):
        if not data["regex"] and not (data["en"] and data["cy"]):
            raise ValidationError("A lexicon needs terms in both en and cy (Welsh is never left out), or regex.")

    @validates_schema
    def no_term_twice(self, data, **kwargs):
        """Two terms that fold to one form (case, accents, apostrophes) match the same words: one must go."""
        from app.check.engine import fold  # here, not at the top: importing app loads the content, and so this

        for language in ("en", "cy"):
            seen = {}
            for term in data[language]:
                folded = fold(term)
                if folded in seen:
                    raise ValidationError({language: [f"'{term}' is '{seen[folded]}' again, once folded: keep one."]})
                seen[folded] = term


class PatternSchema(StrictSchema):
    all = fields.List(fields.Str(), required=True, validate=validate.Length(min=1))
    window = fields.Int(required=True, validate=validate.Range(min=0, max=50))
    severity = fields.Str(required=True, validate=validate.OneOf(SEVERITIES))
    unless = fields.List(fields.Str(), load_default=list)
    unless_window = fields.Int(load_default=3, validate=validate.Range(min=0, max=50))
    ordered = fields.Bool(load_default=False)
    unless_before = fields.List(fields.Str(), load_default=list)


class GuidanceLinkSchema(StrictSchema):
    """Where the rule comes from: a responsibility or a reminder, and the section that holds it."""

    responsibility = fields.Str(validate=validate.OneOf(RESPONSIBILITY_IDS))
    reminder = fields.Str(validate=validate.OneOf(REMINDER_IDS))
    section = fields.Str(required=True)

    @validates_schema
    def exactly_one_source(self, data, **kwargs):
        if ("responsibility" in data) == ("reminder" in data):
            raise ValidationError("Give exactly one of 'responsibility' or 'reminder'.")


class RuleSchema(StrictSchema):
    id = fields.Str(required=True, validate=validate.OneOf(RULE_IDS))
    guidance = fields.Nested(GuidanceLinkSchema, required=True)
    accounts = fields.List(
        fields.Str(validate=validate.OneOf(ACCOUNTS)), required=True, validate=validate.Length(min=1)
    )
    reminders = fields.List(fields.Str(validate=validate.OneOf(REMINDER_IDS)), required=True)
    patterns = fields.List(fields.Nested(PatternSchema), required=True, validate=validate.Length(min=1))
    model_unless = fields.List(fields.Str(), load_default=list)
    message = fields.Nested(BilingualTextSchema, required=True)
    suggestion = fields.Nested(BilingualTextSchema, required=True)


class RulesSchema(StrictSchema):
    reminder_order = fields.List(fields.Str(validate=validate.OneOf(REMINDER_IDS)), required=True)
    default_reminders = fields.List(fields.Str(validate=validate.OneOf(REMINDER_IDS)), required=True)
    # Informal spellings to write out before matching, per language (dont: "don't").
    spellings = fields.Dict(
        keys=fields.Str(validate=validate.OneOf(("en", "cy"))),
        values=fields.Dict(keys=fields.Str(), values=fields.Str()),
        load_default=dict,
    )
    # Shared lexicons (content/lexicons/) come in merged with the version's own, which override them.
    lexicons = fields.Dict(keys=fields.Str(), values=fields.Nested(LexiconSchema), required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True)

    @validates_schema
    def consistent(self, data, **kwargs):
        ids = [rule["id"] for rule in data.get("rules", [])]
        if sorted(ids) != sorted(RULE_IDS):
            raise ValidationError({"rules": [f"Need each of {', '.join(RULE_IDS)} exactly once."]})
        known = set(data.get("lexicons", {}))
        for index, rule in enumerate(data["rules"]):
            for number, pattern in enumerate(rule["patterns"]):
                missing = sorted(
                    set(pattern["all"] + pattern["unless"] + pattern["unless_before"] + rule["model_unless"]) - known
                )
                if missing:
                    raise ValidationError(
                        {"rules": {index: {"patterns": {number: [f"Unknown lexicons: {', '.join(missing)}."]}}}}
                    )
