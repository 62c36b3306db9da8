"""Pages for people: the guidance in English (/) and Welsh (/cy/), and a check form that needs no JavaScript.

The pages are GOV.UK Frontend's markup (app/templates/), styled by its stylesheet, served from app/static/.
"""

from flask import Blueprint, render_template, request
from flask_babel import gettext
from marshmallow import ValidationError

from app.check import schemas
from app.check.service import check_draft
from app.edge.problems import N_
from app.guidance import assets, fragments, markup, web
from app.guidance.negotiation import today

bp = Blueprint("pages", __name__)
bp.add_app_template_global(assets.url, "asset_url")
bp.add_app_template_filter(fragments.long_date, "long_date")
bp.after_app_request(assets.cache_fingerprinted)
form_schema = schemas.CheckRequestSchema()
PAGE_PATHS = {"en": "/", "cy": "/cy/"}

# What the form says of each field the check refuses, in people's words: the API's messages name its fields
# ("The text field is empty"), which a person filling in the form never sees. A message not named here (empty,
# missing, not a string; an account not offered) gets the field's own, under None.
FORM_ERRORS = {
    "text": {
        schemas.TEXT_TOO_LONG: N_("Your draft post must be 5,000 characters or fewer"),
        schemas.TEXT_CONTROL_CHARACTERS: N_("Your draft post must not include control characters"),
        None: N_("Enter your draft post"),
    },
    "account": {None: N_("Select which account you will post from")},
}
# Where each field's error summary link goes: the field, or a fieldset's first radio.
FIELD_IDS = {"text": "draft", "account": "account-personal"}


def form_errors(messages: dict) -> dict[str, str]:
    """The form's errors, field by field, from the schema's: each in people's words, in the page's language."""
    errors = {}
    for field, words in FORM_ERRORS.items():
        if field in messages:
            errors[field] = gettext(words.get(messages[field][0], words[None]))
    return errors


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
    published = library.published(today())
    current = published[-1] if published else None
    # The banner of a version other than the one in force links to that one, unless it is withdrawn too.
    links_current = current is not None and current is not version and current.status(today()) == "current"
    context = {
        "language": page_language,
        "other_language": "en" if page_language == "cy" else "cy",
        "paths": PAGE_PATHS,
        "document": version.document(page_language),
        "version": version.describe(page_language, today()),
        "versions": [v.describe(page_language, today()) for v in library.versions],
        "query": f"?version={version.id}" if version_id else "",
        "current_href": PAGE_PATHS[page_language] if links_current else None,
        "field_ids": FIELD_IDS,
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
            context["form_errors"] = form_errors(error.messages)
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
