"""Schema for ``app/check/data/language-markers.yaml``: words that show a sentence is English or Welsh."""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema


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
