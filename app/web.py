"""Request helpers shared by the blueprints: which version, which language, links."""

from urllib.parse import urlencode

from flask import current_app, g, request

from app.negotiation import LANGUAGES, parse_day, today


def library():
    return current_app.extensions["guidance_library"]


def requested_day():
    """The day a request is about: ``?date=``, or today in Wales."""
    value = request.args.get("date")
    return parse_day(value) if value is not None else today()


def requested_version():
    return library().in_force_on(requested_day())


def language():
    return g.language


def same_resource_in(other_language):
    """This request's address with ``lang`` set to another language, query kept."""
    args = request.args.to_dict()
    args["lang"] = other_language
    return f"{request.path}?{urlencode(args)}"


def alternates():
    """Links to this resource in every other language."""
    return [
        {"lang": other, "href": same_resource_in(other)} for other in LANGUAGES if other != language()
    ]
