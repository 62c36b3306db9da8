"""Schema for the body of ``POST /v1/check``.

Every error message is an English message id, translated into the caller's
language by the error handler; none of them repeats what was sent.
"""

from typing import ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.edge.problems import N_

MAX_TEXT = 5000
TEXT_LANGUAGES = ("en", "cy", "auto")
ACCOUNTS = ("personal", "official")


def text_length(value: str) -> None:
    if not value.strip():
        raise ValidationError(N_("The text field is empty: send the draft post, from 1 to 5,000 characters."))
    if len(value) > MAX_TEXT:
        raise ValidationError(N_("The text field is longer than 5,000 characters."))


def one_of(choices: tuple[str, ...], default: str, message: str) -> fields.Str:
    """An optional string field with a fixed set of values; anything else gets ``message``."""
    return fields.Str(
        load_default=default,
        validate=validate.OneOf(choices, error=message),
        error_messages={"invalid": message, "null": message},
    )


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
    date = fields.Date(
        load_default=None,
        error_messages={
            "invalid": N_("The date field must be a real calendar date written as YYYY-MM-DD, for example 2021-03-01.")
        },
    )
