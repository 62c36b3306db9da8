"""The six reminders of the guidance, on their own."""

from flask import Blueprint

from app.guidance import representations, web

bp = Blueprint("reminders", __name__, url_prefix="/v1/reminders")


@bp.get("")
def all_reminders():
    return web.represent_on_requested_day(representations.reminders_body, representations.reminders_html)


@bp.get("/<reminder_id>")
def reminder(reminder_id):
    return web.represent_on_requested_day(representations.reminder_body, representations.reminder_html, reminder_id)
