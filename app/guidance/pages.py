"""Pages for people: the guidance in English (/) and Welsh (/cy/), and a check form that needs no JavaScript."""

from flask import Blueprint, render_template, request
from flask_babel import gettext
from marshmallow import ValidationError

from app.check.schemas import CheckRequestSchema
from app.check.service import check_draft
from app.guidance import markup, web
from app.guidance.negotiation import today

bp = Blueprint("pages", __name__)
form_schema = CheckRequestSchema()
PAGE_PATHS = {"en": "/", "cy": "/cy/"}


@bp.route("/", methods=["GET", "POST"], defaults={"page_language": "en"})
@bp.route("/cy/", methods=["GET", "POST"], defaults={"page_language": "cy"})
def guidance_page(page_language):
    if request.method in ("GET", "HEAD"):
        return web.stored(lambda: page(page_language))
    return page(page_language)


def page(page_language):
    """The page; after a POST, with the check of the draft sent."""
    library = web.library()
    version_id = request.args.get("version")
    version = library.get(version_id) if version_id else library.in_force_on(today())
    context = {
        "language": page_language,
        "other_language": "en" if page_language == "cy" else "cy",
        "paths": PAGE_PATHS,
        "document": version.document(page_language),
        "version": version.describe(page_language, today()),
        "versions": [v.describe(page_language, today()) for v in library.versions],
        "query": f"?version={version.id}" if version_id else "",
        "found_by": lambda finding: markup.found_by(finding["basis"], finding["confidence"], gettext),
    }
    status = 200
    if request.method == "POST":
        draft = request.form.get("text", "")
        context["draft"] = draft
        context["account"] = request.form.get("account", "personal")
        try:
            fields = form_schema.load({"text": draft, "account": context["account"]})
        except ValidationError as error:
            context["form_errors"] = {field: messages[0] for field, messages in error.messages.items()}
            status = 422
        else:
            result = check_draft(version, fields["text"], "auto", fields["account"], page_language)
            context["result"] = result
            spans = [(s["start"], s["end"]) for finding in result["findings"] for s in finding["spans"]]
            context["pieces"] = markup.marked_pieces(fields["text"], spans)
    response = web.page_response(render_template("page.html", **context), status)
    if request.method == "POST":
        response.headers["Cache-Control"] = "no-store"
    return response
