"""The check's schemas: the body of ``POST /v1/check``, each version's ``rules.yaml`` and lexicons,
the language markers, and the labelled corpus. Each file the check reads is validated by one of these.

The request's error messages are English message ids, translated into the caller's language by the
error handler; none of them repeats what was sent.
"""

import re
from typing import ClassVar

import regex
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.edge.problems import N_
from app.guidance.negotiation import ISO_DAY
from app.guidance.schemas import REMINDER_IDS, RESPONSIBILITY_IDS

# Rules and lexicons: content/<version>/rules.yaml, content/lexicons/.

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


# The body of POST /v1/check.

MAX_TEXT = 5000
TEXT_LANGUAGES = ("en", "cy", "auto")


# Characters no post can hold: C0 controls but tab and line breaks, DEL (JSON allows them escaped).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# The text's errors, by name: the page's form (app/guidance/pages.py) says each in people's words.
TEXT_CONTROL_CHARACTERS = N_("The text field holds control characters, such as NUL, that a post cannot contain.")
TEXT_EMPTY = N_("The text field is empty: send the draft post, from 1 to 5,000 characters.")
TEXT_TOO_LONG = N_("The text field is longer than 5,000 characters.")


def text_length(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(TEXT_CONTROL_CHARACTERS)
    if not value.strip():
        raise ValidationError(TEXT_EMPTY)
    if len(value) > MAX_TEXT:
        raise ValidationError(TEXT_TOO_LONG)


def one_of(choices: tuple[str, ...], default: str, message: str) -> fields.Str:
    """An optional string field with a fixed set of values; anything else gets ``message``."""
    return fields.Str(
        load_default=default,
        validate=validate.OneOf(choices, error=message),
        error_messages={"invalid": message, "null": message},
    )


class Day(fields.Date):
    """A calendar day written ``YYYY-MM-DD`` and no other way, as ``?date=`` is: ISO 8601's 20210301 and
    2021-W09-1, which ``fields.Date`` also reads, are not what the API describes."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class CheckRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages: ClassVar[dict] = {
        "unknown": N_("This field is not recognised. The fields are: text, language, account, date."),
        "type": N_("The request body must be a JSON object."),
    }

    text = fields.Str(
        required=True,
        validate=text_length,
        error_messages={
            "required": N_("The text field is required: send the draft post as a string."),
            "null": N_("The text field is required: send the draft post as a string."),
            "invalid": N_("The text field must be a string."),
        },
    )
    language = one_of(TEXT_LANGUAGES, "auto", N_("The language field must be one of: en, cy, auto."))
    account = one_of(ACCOUNTS, "personal", N_("The account field must be one of: personal, official."))
    date = Day(
        load_default=None,
        error_messages={
            "invalid": N_("The date field must be a real calendar date written as YYYY-MM-DD, for example 2021-03-01.")
        },
    )


# app/check/data/language-markers.yaml: words that show a sentence is English or Welsh.


def words():
    return fields.List(fields.Str(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=20))


class LanguageMarkersSchema(Schema):
    class Meta:
        unknown = RAISE

    en = words()
    cy = words()

    @validates_schema
    def one_language_each(self, data, **kwargs):
        shared = sorted(set(data.get("en", [])) & set(data.get("cy", [])))
        if shared:
            raise ValidationError(f"A marker belongs to one language only: {', '.join(shared)}.")


# The labelled corpus: corpus/sets.yaml and each draft of its JSON Lines sets.

USES = ("split", "train", "blind")


class DraftSchema(Schema):
    """One labelled draft: the rules it breaches (expect), those also defensible (allow), and
    whether it should not be posted as it is (flagged)."""

    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$"))
    lang = fields.Str(required=True, validate=validate.OneOf(("en", "cy")))
    text = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    expect = fields.List(fields.Str(validate=validate.OneOf(RULE_IDS)), required=True)
    allow = fields.List(fields.Str(validate=validate.OneOf(RULE_IDS)), required=True)
    flagged = fields.Bool(required=True)

    @validates_schema
    def consistent(self, data, **kwargs):
        if set(data["expect"]) & set(data["allow"]):
            raise ValidationError("A rule is in both expect and allow.")
        if len(set(data["expect"])) != len(data["expect"]) or len(set(data["allow"])) != len(data["allow"]):
            raise ValidationError("A rule is named twice.")
        if data["expect"] and not data["flagged"]:
            raise ValidationError("A draft that breaches a rule is flagged.")


class SetSchema(Schema):
    class Meta:
        unknown = RAISE

    file = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9-]+\.jsonl$"))
    use = fields.Str(required=True, validate=validate.OneOf(USES))


class SetsSchema(Schema):
    class Meta:
        unknown = RAISE

    sets = fields.Dict(keys=fields.Str(), values=fields.Nested(SetSchema), required=True)
