"""The guidance itself: the version in force, every version, one version, one section."""

from flask import Blueprint, jsonify

from app import representations, web
from app.negotiation import today

bp = Blueprint("guidance", __name__, url_prefix="/v1/guidance")


def respond(body):
    body.setdefault("links", {})["alternate"] = web.alternates()
    return jsonify(body)


@bp.get("")
def current():
    return respond(representations.guidance_body(web.requested_version(), web.language(), today()))


@bp.get("/versions")
def versions():
    return respond(representations.versions_body(web.library(), web.language(), today()))


@bp.get("/versions/<version_id>")
def version(version_id):
    return respond(representations.guidance_body(web.library().get(version_id), web.language(), today()))


@bp.get("/sections/<section_id>")
def section(section_id):
    return respond(
        representations.section_body(web.requested_version(), web.language(), today(), section_id)
    )
