"""HTML fragments of the guidance for gov.wales pages to embed, rendered by Jinja templates.

A standalone Jinja environment (autoescaping on) so that every fragment can be
rendered once at start-up, outside any request.
"""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates" / "fragments"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def render(template, **context):
    return _env.get_template(template).render(**context).strip()


def bilingual(fragments):
    """Welsh and English fragments in one root, Welsh first (the root carries lang="cy")."""
    return render("bilingual.html", fragments=fragments)
