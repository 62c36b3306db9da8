"""The six reminders of the guidance, on their own."""

from flask import Blueprint

from app import representations, web
from app.negotiation import today

bp = Blueprint("reminders", __name__, url_prefix="/v1/reminders")


@bp.get("")
def all_reminders():
    day, _ = web.requested_day()
    version = web.library().in_force_on(day)
    return web.represent(
        version,
        lambda lang: representations.reminders_body(version, lang, today()),
        lambda lang, prefix: representations.reminders_html(version, lang, prefix),
        day=day, dated=False,
    )


@bp.get("/<reminder_id>")
def reminder(reminder_id):
    day, _ = web.requested_day()
    version = web.library().in_force_on(day)
    return web.represent(
        version,
        lambda lang: representations.reminder_body(version, lang, today(), reminder_id),
        lambda lang, prefix: representations.reminder_html(version, lang, prefix, reminder_id),
        day=day, dated=False,
    )
