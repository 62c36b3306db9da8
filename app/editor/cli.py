"""``flask --app wsgi guidance ...``: commands for content designers. They honour GUIDANCE_CONTENT_DIR.

A Flask CLI plugin (see pyproject.toml) rather than commands of the app, so that they run even when
the content is broken and the app would refuse to start: that is when ``validate`` is needed most.
"""

import functools
import os
from datetime import date

import click

from app.edge.problems import Problem
from app.editor import ledger, publishing
from app.guidance.content import PROJECT_CONTENT, ContentError
from app.guidance.negotiation import today

EDITING_ERRORS = (publishing.PublishingError, ContentError, Problem, OSError)

guidance = click.Group("guidance", help="Publish, check and list versions of the guidance.")


def content_dir():
    return os.environ.get("GUIDANCE_CONTENT_DIR", str(PROJECT_CONTENT))


def parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD, a real calendar date") from None


def describe(error):
    """The message of an error; a Problem's detail is written for the API, with its parameters."""
    if isinstance(error, Problem):
        return error.detail % error.params
    return str(error)


def reports_errors(command):
    """Turn an editor's mistake into a one-line message and a non-zero exit, not a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except EDITING_ERRORS as error:
            raise click.ClickException(describe(error)) from None

    return run


@guidance.command("new-version")
@click.option("--effective", required=True, callback=parse_date, help="The day it takes effect, YYYY-MM-DD.")
@click.option("--from", "source", help="The version to start from (default: the latest).")
@click.option("--note-en", help="What changed, in English (or write it in en.yaml later).")
@click.option("--note-cy", help="What changed, in Welsh (or write it in cy.yaml later).")
@reports_errors
def new_version(effective, source, note_en, note_cy):
    """Start a new dated version as a copy of an existing one, with its change note in both languages."""
    target = publishing.new_version(content_dir(), effective, source, {"en": note_en, "cy": note_cy}, today())
    click.echo(f"Created {target}. Edit en.yaml and cy.yaml there, then run: flask --app wsgi guidance validate")


@guidance.command("validate")
def validate():
    """Check every version: schemas, Welsh twins, links, Welsh proofing, and published history against the ledger."""
    found = publishing.problems(content_dir(), today())
    for problem in found:
        click.echo(problem, err=True)
    if found:
        raise click.ClickException(f"{len(found)} problem(s) found.")
    click.echo("All versions are valid.")


@guidance.command("seal")
@reports_errors
def seal():
    """Record every version now in force as published in the ledger, so that its text can never change unnoticed."""
    added = publishing.seal(content_dir(), today())
    click.echo(f"Sealed: {', '.join(added)}." if added else "Nothing new to seal.")


@guidance.command("start-ledger")
@reports_errors
def start_ledger():
    """Write the first ledger (ledger.jsonl) of a history published before there was one; it replaces published.json."""
    recorded = publishing.start_ledger(content_dir(), today())
    click.echo(f"Started {ledger.LEDGER}: {', '.join(recorded) or 'nothing published yet'}.")


@guidance.command("list")
@reports_errors
def list_versions():
    """List the versions with their dates and state."""
    for line in publishing.describe_versions(content_dir(), today()):
        click.echo(line)


@guidance.command("withdraw")
@click.option(
    "--effective", required=True, callback=parse_date, help="The day it stops applying, YYYY-MM-DD: today or later."
)
@click.option("--version", "version_id", help="The version to withdraw (default: the whole guidance).")
@click.option("--reason-en", required=True, help="Why, in English.")
@click.option("--reason-cy", required=True, help="Why, in Welsh.")
@reports_errors
def withdraw(effective, version_id, reason_en, reason_cy):
    """Mark a version, or the whole guidance, withdrawn from today or a later date, once. It stays readable by date."""
    path = publishing.withdraw(content_dir(), effective, {"en": reason_en, "cy": reason_cy}, version_id, today())
    click.echo(f"Withdrawn from {effective.isoformat()}: {path}")


@guidance.command("correct")
@click.option("--version", "version_id", required=True, help="The published version whose translation is corrected.")
@click.option(
    "--language",
    "languages",
    type=click.Choice(["cy", "en"]),
    multiple=True,
    default=("cy",),
    show_default=True,
    help="The text corrected, cy.yaml or en.yaml; give it twice for both.",
)
@click.option("--reason-en", required=True, help="What was wrong and is now right, in English.")
@click.option("--reason-cy", required=True, help="What was wrong and is now right, in Welsh.")
@reports_errors
def correct(version_id, languages, reason_en, reason_cy):
    """Publish a correction of a published version's translation, edited first in its cy.yaml (or en.yaml):
    dated today, with its reason, in version.yaml and the ledger, so that the version is sealed again."""
    path = publishing.correct(content_dir(), version_id, languages, {"en": reason_en, "cy": reason_cy}, today())
    click.echo(f"Corrected {' and '.join(f'{language}.yaml' for language in languages)}, recorded in {path}.")
