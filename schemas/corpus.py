"""Schemas for the check's labelled corpus: ``corpus/sets.yaml`` and each draft of its JSON Lines sets."""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from schemas.rules import RULE_IDS

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
