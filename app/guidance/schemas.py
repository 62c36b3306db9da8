"""Schemas for the guidance content files in ``content/<version>/``.

The app validates every file with these at start-up, so a broken or incomplete
version stops it from starting instead of being served.
"""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

RESPONSIBILITY_IDS = (
    "official-information",
    "political-activity",
    "policy-comment",
    "controversial-issue",
    "personal-attack",
)
REMINDER_IDS = ("propriety", "common-sense", "accuracy", "permanent", "doubts", "security")
CORE_VALUE_IDS = ("integrity", "honesty", "objectivity", "impartiality")
LANGUAGES = ("en", "cy")
LIST_NAMES = ("responsibilities", "reminders")

slug = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Must be lower-case words joined by hyphens.")
text = validate.Length(min=1)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class BilingualReasonSchema(StrictSchema):
    en = fields.Str(required=True, validate=text)
    cy = fields.Str(required=True, validate=text)


class WithdrawalSchema(StrictSchema):
    """From this day the text no longer applies; it stays readable, marked withdrawn, with the reason."""

    effective_from = fields.Date(required=True, data_key="from")
    reason = fields.Nested(BilingualReasonSchema, required=True)


class CorrectionSchema(StrictSchema):
    """A correction of a published version's translation, made with ``guidance correct``: its day and why."""

    date = fields.Date(required=True)
    reason = fields.Nested(BilingualReasonSchema, required=True)


def oldest_first(corrections):
    days = [correction["date"] for correction in corrections]
    if days != sorted(days):
        raise ValidationError("Corrections are listed oldest first, as they were made.")


class VersionMetaSchema(StrictSchema):
    """``version.yaml``: what is true of a version in every language, and the corrections of its published text."""

    effective_from = fields.Date(required=True)
    withdrawn = fields.Nested(WithdrawalSchema, load_default=None)
    corrections = fields.List(fields.Nested(CorrectionSchema), load_default=list, validate=oldest_first)


class GuidanceMetaSchema(StrictSchema):
    """``guidance.yaml`` (optional): what is true of the guidance as a whole, across versions."""

    withdrawn = fields.Nested(WithdrawalSchema, load_default=None)


class CoreValueSchema(StrictSchema):
    id = fields.Str(required=True, validate=validate.OneOf(CORE_VALUE_IDS))
    name = fields.Str(required=True, validate=text)


class ReferenceSchema(StrictSchema):
    """A document the guidance cites; ``url`` is absent for internal documents."""

    id = fields.Str(required=True, validate=slug)
    title = fields.Str(required=True, validate=text)
    url = fields.Url(load_default=None, schemes={"https"})
    note = fields.Str(load_default=None, validate=text)


class BlockSchema(StrictSchema):
    """One block of a section: a paragraph of inline Markdown, or a named list."""

    paragraph = fields.Str(validate=text)
    list = fields.Str(validate=validate.OneOf(LIST_NAMES))

    @validates_schema
    def exactly_one_kind(self, data, **kwargs):
        if len(data) != 1:
            raise ValidationError("A block has exactly one of 'paragraph' or 'list'.")


class SectionSchema(StrictSchema):
    id = fields.Str(required=True, validate=slug)
    heading = fields.Str(required=True, validate=text)
    blocks = fields.List(fields.Nested(BlockSchema), required=True, validate=validate.Length(min=1))


class ResponsibilitySchema(StrictSchema):
    id = fields.Str(required=True)
    text = fields.Str(required=True, validate=text)


class ReminderSchema(StrictSchema):
    id = fields.Str(required=True)
    title = fields.Str(required=True, validate=text)
    text = fields.Str(required=True, validate=text)
    reference = fields.Str(load_default=None, validate=slug)


def ids_in_order(expected):
    """A validator that a list of items has exactly these ids, in this order."""

    def check(items):
        found = tuple(item["id"] for item in items)
        if found != expected:
            raise ValidationError(
                f"Ids must be {', '.join(expected)} in that order; found {', '.join(found) or 'none'}."
            )

    return check


def unique_ids(items):
    ids = [item["id"] for item in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValidationError(f"Repeated ids: {', '.join(repeated)}.")


class LanguageContentSchema(StrictSchema):
    """``<lang>.yaml``: the whole text of a version in one language."""

    language = fields.Str(required=True, validate=validate.OneOf(LANGUAGES))
    title = fields.Str(required=True, validate=text)
    label = fields.Str(required=True, validate=text)
    change_note = fields.Str(required=True, validate=text)
    summary = fields.Str(required=True, validate=text)
    core_values = fields.List(fields.Nested(CoreValueSchema), required=True, validate=ids_in_order(CORE_VALUE_IDS))
    references = fields.List(fields.Nested(ReferenceSchema), load_default=list, validate=unique_ids)
    sections = fields.List(fields.Nested(SectionSchema), required=True, validate=[validate.Length(min=1), unique_ids])
    responsibilities = fields.List(
        fields.Nested(ResponsibilitySchema), required=True, validate=ids_in_order(RESPONSIBILITY_IDS)
    )
    reminders = fields.List(fields.Nested(ReminderSchema), required=True, validate=ids_in_order(REMINDER_IDS))

    @validates_schema
    def references_exist(self, data, **kwargs):
        known = {ref["id"] for ref in data.get("references", [])}
        for index, reminder in enumerate(data.get("reminders", [])):
            if reminder.get("reference") and reminder["reference"] not in known:
                raise ValidationError(
                    {"reminders": {index: {"reference": [f"Unknown reference '{reminder['reference']}'."]}}}
                )
