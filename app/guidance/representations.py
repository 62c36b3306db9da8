"""The JSON bodies and HTML fragments the API serves, built from rendered content. Plain functions, no Flask."""

from app.guidance import fragments

API = "/v1"


def version_url(version_id, language):
    return f"{API}/guidance/versions/{version_id}?lang={language}"


def guidance_body(version, language, today):
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


def versions_body(library, language, today):
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


def section_body(version, language, today, section_id):
    return {
        "language": language,
        "version": version.describe(language, today),
        **version.section(language, section_id),
        "links": {"guidance": version_url(version.id, language)},
    }


def reminders_body(version, language, today):
    return {
        "language": language,
        "version": version.describe(language, today),
        "reminders": version.document(language)["reminders"],
    }


def reminder_body(version, language, today, reminder_id):
    return {
        "language": language,
        "version": version.describe(language, today),
        **version.reminder(language, reminder_id),
        "links": {"reminders": f"{API}/reminders?lang={language}"},
    }


def guidance_html(version, language, prefix):
    return fragments.render("guidance.html", language=language, document=version.document(language), prefix=prefix)


def section_html(version, language, prefix, section_id):
    section = version.section(language, section_id)
    return fragments.render("section.html", section=section, language=language, prefix=prefix)


def reminders_html(version, language, prefix):
    document = version.document(language)
    return fragments.render(
        "reminders.html", reminders=document["reminders"], heading=document["reminders_heading"],
        language=language, prefix=prefix,
    )


def reminder_html(version, language, prefix, reminder_id):
    reminder = version.reminder(language, reminder_id)
    return fragments.render("reminder.html", reminder=reminder, language=language, prefix=prefix)


def changes_html(old, new, language, prefix, body):
    return fragments.render(
        "changes.html", body=body, language=language, prefix=prefix,
        old=old.document(language), new=new.document(language),
    )
