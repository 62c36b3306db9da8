"""The guidance service: an app factory that wires configuration, content, languages and blueprints."""

import os
from pathlib import Path

from flask import Flask, g, request
from flask_babel import Babel

from app import errors, language_id, negotiation
from app.content import PROJECT_CONTENT, load_library

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app. ``config`` overrides settings (tests use it); the environment sets the rest."""
    app = Flask(__name__)
    app.config.update(
        GUIDANCE_CONTENT_DIR=os.environ.get("GUIDANCE_CONTENT_DIR", str(PROJECT_CONTENT)),
        BABEL_DEFAULT_LOCALE=negotiation.DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
    )
    app.config.update(config or {})
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    app.extensions["guidance_library"] = load_library(app.config["GUIDANCE_CONTENT_DIR"])
    Babel(app, locale_selector=response_language)
    errors.register(app)
    app.before_request(negotiate_language)
    app.after_request(declare_language)

    from app.views import check, guidance, reminders

    app.register_blueprint(guidance.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(check.bp)
    language_id.detector()  # load the language models now, not on the first check
    return app


def negotiate_language():
    """Fix the response language before any view runs; a bad ``?lang=`` is a 400."""
    g.language = negotiation.negotiate_language(request.args.get("lang"), request.headers.get("Accept-Language"))


def response_language():
    """flask-babel's locale selector. Errors raised before negotiation still get a language."""
    if "language" in g:
        return g.language
    return negotiation.language_from_accept(request.headers.get("Accept-Language"))


def declare_language(response):
    response.headers["Content-Language"] = response_language()
    response.vary.add("Accept-Language")
    return response
