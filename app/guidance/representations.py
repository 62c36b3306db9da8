"""The JSON bodies and HTML fragments the API serves, built from rendered content. Plain functions, no Flask."""

from datetime import date

from app.guidance import fragments
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


def guidance_html(version: Version, language: str, prefix: str) -> str:
    return fragments.render("guidance.html", language=language, document=version.document(language), prefix=prefix)


def section_html(version: Version, language: str, prefix: str, section_id: str) -> str:
    section = version.section(language, section_id)
    return fragments.render("section.html", section=section, language=language, prefix=prefix)


def reminders_html(version: Version, language: str, prefix: str) -> str:
    document = version.document(language)
    return fragments.render(
        "reminders.html",
        reminders=document["reminders"],
        heading=document["reminders_heading"],
        language=language,
        prefix=prefix,
    )


def reminder_html(version: Version, language: str, prefix: str, reminder_id: str) -> str:
    reminder = version.reminder(language, reminder_id)
    return fragments.render("reminder.html", reminder=reminder, language=language, prefix=prefix)


def changes_html(old: Version, new: Version, language: str, prefix: str, body: dict) -> str:
    return fragments.render(
        "changes.html",
        body=body,
        language=language,
        prefix=prefix,
        old=old.document(language),
        new=new.document(language),
    )
