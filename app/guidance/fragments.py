"""HTML fragments of the guidance for gov.wales pages to embed, rendered by Jinja templates.

A standalone Jinja environment (autoescaping on) so that every fragment can be
rendered once at start-up, outside any request.
"""

from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parents[2]


@cache
def _environment(language):
    """One Jinja environment per language, with that language's message catalogue for any words of ours."""
    env = Environment(
        loader=FileSystemLoader(ROOT / "app" / "templates" / "fragments"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(Translations.load(str(ROOT / "translations"), [language]), newstyle=True)
    env.filters["long_date"] = long_date
    return env


def long_date(day: str, language: str) -> str:
    """A day (``YYYY-MM-DD``, as a version block gives it) as people write it: 1 February 2021, 1 Chwefror 2021.
    A filter of the fragments' templates and the pages' alike."""
    return format_date(date.fromisoformat(day), "d MMMM y", locale=language)


def render(template: str, language: str = "en", **context: object) -> str:
    return _environment(language).get_template(template).render(language=language, **context).strip()


def bilingual(fragments: list[str]) -> str:
    """Welsh and English fragments in one root, Welsh first (the root carries lang="cy")."""
    return render("bilingual.html", fragments=fragments)
