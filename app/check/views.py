"""POST /v1/check: what in a draft social media post may breach the guidance.

The draft is private: it is never logged, stored or repeated in an error.
"""

from flask import Blueprint, jsonify, request

from app.check.service import check_draft, read_request
from app.edge import observability
from app.guidance import web
from app.guidance.negotiation import today

bp = Blueprint("check", __name__, url_prefix="/v1/check")


@bp.post("")
def check():
    data = request.get_data(cache=False)
    request.stream.read(1)  # past the 64 KiB maximum of a streamed body, this raises 413
    body = read_request(request.mimetype, data)
    version = web.library().in_force_on(body["date"] or today())
    result = check_draft(version, body["text"], body["language"], body["account"], web.language())
    observability.count_verdict(result["verdict"])
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-store"
    return response
