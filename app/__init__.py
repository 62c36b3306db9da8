"""The guidance service: an app factory that wires configuration, content, languages and blueprints."""

import os
import re

from flask import Flask, g, request
from flask_babel import Babel
from flask_cors import CORS

from app import errors, language_id, negotiation
from app.content import PROJECT_CONTENT, PROJECT_ROOT, load_library

DEFAULT_CHECK_ORIGINS = "https://gov.wales,https://*.gov.wales,https://llyw.cymru,https://*.llyw.cymru"
# Headers a browser script on another origin may read from our responses.
EXPOSED_HEADERS = ["Content-Language", "ETag", "Last-Modified", "Link", "Memento-Datetime", "Content-Location"]


def create_app(config=None):
    """Build the app. ``config`` overrides settings (tests use it); the environment sets the rest."""
    app = Flask(__name__)
    app.config.update(
        GUIDANCE_CONTENT_DIR=os.environ.get("GUIDANCE_CONTENT_DIR", str(PROJECT_CONTENT)),
        CHECK_CORS_ORIGINS=os.environ.get("CHECK_CORS_ORIGINS", DEFAULT_CHECK_ORIGINS),
        BABEL_DEFAULT_LOCALE=negotiation.DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
    )
    app.config.update(config or {})
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    app.extensions["guidance_library"] = load_library(app.config["GUIDANCE_CONTENT_DIR"])
    Babel(app, locale_selector=response_language)
    CORS(
        app,
        resources={
            r"/v1/check": {"origins": origin_patterns(app.config["CHECK_CORS_ORIGINS"])},
            r"/v1/.*": {"origins": "*", "send_wildcard": True, "methods": ["GET", "HEAD"]},
        },
        expose_headers=EXPOSED_HEADERS,
        max_age=86400,
    )
    errors.register(app)
    app.before_request(negotiate_languages)
    app.after_request(declare_language)
    app.after_request(answer_conditionally)

    from app.views import check, guidance, pages, reminders

    app.register_blueprint(guidance.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(check.bp)
    app.register_blueprint(pages.bp)
    language_id.detector()  # load the language models now, not on the first check
    return app


def origin_patterns(setting):
    """Allowed origins from a comma-separated list; ``https://*.gov.wales`` allows every subdomain."""
    patterns = []
    for origin in filter(None, (part.strip() for part in setting.split(","))):
        scheme, _, host = origin.partition("://")
        wildcard = host.startswith("*.")
        host = re.escape(host[2:] if wildcard else host)
        subdomains = r"([a-z0-9-]+\.)+" if wildcard else ""
        patterns.append(re.compile(f"^{re.escape(scheme)}://{subdomains}{host}$"))
    return patterns


def negotiate_languages():
    """Fix the response languages before any view runs; a bad ``?lang=`` is a 400."""
    g.languages = negotiation.negotiate_languages(request.args.get("lang"), request.headers.get("Accept-Language"))


def response_language():
    """flask-babel's locale selector. Errors raised before negotiation still get a language."""
    if "languages" in g:
        return g.languages[0]
    return negotiation.language_from_accept(request.headers.get("Accept-Language"))


def declare_language(response):
    response.headers["Content-Language"] = ", ".join(g.get("languages", (response_language(),)))
    response.vary.add("Accept-Language")
    return response


def answer_conditionally(response):
    """A strong ETag on every successful GET, and 304 Not Modified when the client has it already."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag()
        response.make_conditional(request)
    return response
