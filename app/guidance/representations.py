"""The JSON bodies and HTML fragments the API serves, built from rendered content. Plain functions, no Flask."""

from datetime import date

from app.guidance import fragments, wording
from app.guidance.changes import PARTS, heading_and_body_html
from app.guidance.content import Library, Version

API = "/v1"


def version_url(version_id: str, language: str) -> str:
    return f"{API}/guidance/versions/{version_id}?lang={language}"


def guidance_body(version: Version, language: str, today: date) -> dict:
    document = version.document(language)
    return {
        "language": language,
        "title": document["title"],
        "version": version.describe(language, today),
        "summary": document["summary"],
        "core_values": document["core_values"],
        "sections": document["sections"],
        "responsibilities": document["responsibilities"],
        "reminders": document["reminders"],
        "references": document["references"],
        "links": {"version": version_url(version.id, language), "versions": f"{API}/guidance/versions"},
    }


def versions_body(library: Library, language: str, today: date) -> dict:
    return {
        "language": language,
        "versions": [
            {
                **version.describe(language, today),
                "change_note": version.document(language)["change_note"],
                "links": {"self": version_url(version.id, language)},
            }
            for version in library.versions
        ],
    }


def section_body(version: Version, language: str, today: date, section_id: str) -> dict:
    return {
        "language": language,
        "version": version.describe(language, today),
        **version.section(language, section_id),
        "links": {"guidance": version_url(version.id, language)},
    }


def reminders_body(version: Version, language: str, today: date) -> dict:
    return {
        "language": language,
        "version": version.describe(language, today),
        "reminders": version.document(language)["reminders"],
    }


def reminder_body(version: Version, language: str, today: date, reminder_id: str) -> dict:
    return {
        "language": language,
        "version": version.describe(language, today),
        **version.reminder(language, reminder_id),
        "links": {"reminders": f"{API}/reminders?lang={language}"},
    }


# A fragment says, as its JSON's version block does, whether its version is withdrawn, superseded or still to come
# (a notification banner, app/templates/fragments/_macros.html): so it takes ``today`` as the bodies do.


def guidance_html(version: Version, language: str, today: date, prefix: str) -> str:
    return fragments.render(
        "guidance.html",
        language=language,
        document=version.document(language),
        version=version.describe(language, today),
        prefix=prefix,
    )


def section_html(version: Version, language: str, today: date, prefix: str, section_id: str) -> str:
    section = version.section(language, section_id)
    return fragments.render(
        "section.html", section=section, version=version.describe(language, today), language=language, prefix=prefix
    )


def reminders_html(version: Version, language: str, today: date, prefix: str) -> str:
    document = version.document(language)
    return fragments.render(
        "reminders.html",
        reminders=document["reminders"],
        heading=document["reminders_heading"],
        version=version.describe(language, today),
        language=language,
        prefix=prefix,
    )


def reminder_html(version: Version, language: str, today: date, prefix: str, reminder_id: str) -> str:
    reminder = version.reminder(language, reminder_id)
    return fragments.render(
        "reminder.html", reminder=reminder, version=version.describe(language, today), language=language, prefix=prefix
    )


def changes_html(old: Version, new: Version, language: str, prefix: str, body: dict) -> str:
    label = new.document(language)["label"]
    parts = {part: {**body[part], "changed": [_with_heading(item) for item in body[part]["changed"]]} for part in PARTS}
    return fragments.render(
        "changes.html",
        body=parts,
        titled=[part for part, title_key in PARTS.items() if title_key],
        language=language,
        prefix=prefix,
        old=old.document(language),
        new=new.document(language),
        # The heading's Welsh joins the labels with "a" or "ac", which depends on the label that follows.
        new_label=wording.with_and(label) if language == "cy" else label,
    )


def _with_heading(changed: dict) -> dict:
    """A changed item as the fragment shows it: the diff of its heading (or one line), then of its text's blocks."""
    heading, rest = heading_and_body_html(changed["diff"])
    return {**changed, "heading_html": heading, "body_html": rest}
