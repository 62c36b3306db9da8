"""POST /v1/check: what in a draft social media post may breach the guidance.

The draft is private: it is never logged, stored or repeated in an error.
"""

import json

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError

from app import observability, web
from app.checking import check_draft
from app.negotiation import today
from app.problems import InvalidFields, InvalidJson, UnsupportedMediaType
from schemas.check import CheckRequestSchema

bp = Blueprint("check", __name__, url_prefix="/v1/check")
request_schema = CheckRequestSchema()


def parsed_body():
    """The validated request body; every way it can be wrong is a problem that names the field."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType()
    data = request.get_data(cache=False)
    request.stream.read(1)  # past the 64 KiB maximum of a streamed body, this raises 413
    try:
        body = json.loads(data or b"")
    except (ValueError, UnicodeDecodeError):
        raise InvalidJson() from None
    try:
        return request_schema.load(body)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise InvalidFields({("body" if k == "_schema" else k): v for k, v in messages.items()}) from None


@bp.post("")
def check():
    body = parsed_body()
    version = web.library().in_force_on(body["date"] or today())
    result = check_draft(version, body["text"], body["language"], body["account"], web.language())
    observability.count_verdict(result["verdict"])
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-store"
    return response
