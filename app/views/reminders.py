"""The six reminders of the guidance, on their own."""

from flask import Blueprint

from app import representations, web
from app.negotiation import today
from app.views.guidance import respond

bp = Blueprint("reminders", __name__, url_prefix="/v1/reminders")


@bp.get("")
def all_reminders():
    return respond(representations.reminders_body(web.requested_version(), web.language(), today()))


@bp.get("/<reminder_id>")
def reminder(reminder_id):
    return respond(
        representations.reminder_body(web.requested_version(), web.language(), today(), reminder_id)
    )
