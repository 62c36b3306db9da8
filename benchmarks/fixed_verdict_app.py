"""The service with the check engine's work replaced by one fixed answer, for benchmarks/http.py.

A check through it still goes through everything around the engine (gunicorn, the edge, Flask,
parsing and validating the body, limits, the log line and metrics, the JSON answer) but reads
nothing of the draft. Its ratio to the bare app is the most a check can reach however fast the
engine is.
"""

from app.check import views as check_views
from app.guidance.negotiation import today
from benchmarks.http import POST_280
from wsgi import app

_answer = check_views.check_draft(
    app.extensions["guidance_library"].in_force_on(today()), POST_280, "auto", "personal", "en"
)
check_views.check_draft = lambda *args: _answer
