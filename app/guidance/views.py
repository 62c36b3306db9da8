"""The guidance itself: the version in force (a Memento TimeGate), every version, one version, one section, what
changed between two versions, and the change feed."""

from flask import Blueprint, Response, current_app
from flask_babel import gettext

from app.guidance import feed as change_feed
from app.guidance import links, representations, web
from app.guidance.changes import compare
from app.guidance.negotiation import today

bp = Blueprint("guidance", __name__, url_prefix="/v1/guidance")


@bp.get("")
def current():
    day, asked = web.requested_day(timegate=True)
    version = web.library().in_force_on(day)
    if asked == "datetime":
        return web.found_at_memento(version)
    return web.represent(
        version,
        lambda lang: representations.guidance_body(version, lang, today()),
        lambda lang, prefix: representations.guidance_html(version, lang, today(), prefix),
        version_links=True,
        memento=asked is not None,
    )


@bp.get("/versions")
def versions():
    return web.listing(lambda lang: representations.versions_body(web.library(), lang, today()))


@bp.get("/versions/<version_id>")
def version(version_id):
    chosen = web.library().get(version_id)
    return web.represent(
        chosen,
        lambda lang: representations.guidance_body(chosen, lang, today()),
        lambda lang, prefix: representations.guidance_html(chosen, lang, today(), prefix),
        version_links=True,
        memento=True,
    )


@bp.get("/timemap")
def timemap():
    def render():
        response = Response(
            links.timemap(web.base(), web.library(), web.language(), today()), mimetype="application/link-format"
        )
        response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
        response.headers["Link"] = links.feed_link(web.base(), web.language())
        return web.declared(response)

    return web.stored(render)


@bp.get("/feed")
def feed():
    language = web.one_language()

    def render():
        records = change_feed.Records.of(current_app.config["GUIDANCE_CONTENT_DIR"])
        body = change_feed.atom(web.library(), records, language, today(), web.base(), gettext)
        response = Response(body, mimetype=links.ATOM)
        response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
        return web.declared(response)

    return web.stored(render)


@bp.get("/sections/<section_id>")
def section(section_id):
    return web.represent_on_requested_day(representations.section_body, representations.section_html, section_id)


@bp.get("/versions/<from_id>/changes/<to_id>")
def changes(from_id, to_id):
    old, new = web.library().get(from_id), web.library().get(to_id)

    def body(lang):
        return {
            "language": lang,
            "from": old.describe(lang, today()),
            "to": new.describe(lang, today()),
            **compare(old.document(lang), new.document(lang)),
        }

    return web.represent(
        new, body, lambda lang, prefix: representations.changes_html(old, new, lang, prefix, body(lang)), others=(old,)
    )
