"""The pages' static files (app/static/): addresses that change with their content, and so may be cached for a year.

A page links each file as ``/static/NAME?v=FINGERPRINT``, the first 16 hex digits of the SHA-256 of its bytes,
as frontend/build.mjs writes the addresses of the images GOV.UK Frontend's stylesheet loads. An answer
to an address whose ``v`` is the file's fingerprint is cached for a year, immutable: another file has another
address. Any other address of a file (no ``v``, or an old one) keeps Flask's ``no-cache``, revalidated by its ETag.
"""

import hashlib
from functools import cache
from pathlib import Path

from flask import Response, current_app, request, url_for
from werkzeug.security import safe_join

SECONDS = 365 * 24 * 60 * 60
GOVUK_FRONTEND = "govuk-frontend/govuk-frontend.min.css"


@cache
def _fingerprint(folder: str, filename: str) -> str | None:
    path = safe_join(folder, filename)
    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def fingerprint(filename: str) -> str | None:
    """The fingerprint of a file of the app's static folder; None for a name that is not one of its files."""
    return _fingerprint(current_app.static_folder, filename)


def url(filename: str) -> str:
    """The address a page links a static file by: its fingerprint in ``v``."""
    return url_for("static", filename=filename, v=fingerprint(filename))


def cache_fingerprinted(response: Response) -> Response:
    """A year's cache for a static file asked for by its fingerprint (after every request; others pass as they are)."""
    if (
        request.endpoint == "static"
        and response.status_code in (200, 206, 304)
        and request.args.get("v") is not None
        and request.args.get("v") == fingerprint(request.view_args["filename"])
    ):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = SECONDS
        response.cache_control.immutable = True
    return response
