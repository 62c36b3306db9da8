"""gunicorn's gevent worker, bounded against slow clients, answering what it refuses as problem+json.

Each connection waits in a greenlet, so clients that stall in their request line, headers or body
hold no thread the others need. gunicorn already bounds the request line and headers by its
``keepalive`` time; this worker bounds the rest of a request (the body, and the answer being
taken) by ``REQUEST_SECONDS``. A request gunicorn cannot read is answered by the edge, through
the one error handler, instead of with gunicorn's own HTML.

gunicorn.conf.py names this class; ``gunicorn -k sync`` (or gthread) still runs the app.
"""

import os

import gevent
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.test import EnvironBuilder

from app.edge import problems, settings, unreadable
from app.edge.middleware import Edge

# Checked again, with every other setting, when the app is created.
REQUEST_SECONDS = settings.seconds(os.environ.get("REQUEST_SECONDS", settings.DEFAULTS["REQUEST_SECONDS"]))


class Worker(GeventWorker):
    def handle_request(self, listener_name, req, sock, addr):
        """Serve one request, or answer 408 when its body has not arrived within REQUEST_SECONDS."""
        with gevent.Timeout(REQUEST_SECONDS, problems.RequestTimeout(seconds=REQUEST_SECONDS)):
            return super().handle_request(listener_name, req, sock, addr)

    def handle_error(self, req, client, addr, exc):
        """A request gunicorn could not read: the edge answers it, with the request's language if it got that far."""
        problem = unreadable.problem_for(exc, self.cfg)
        edge = getattr(self.wsgi, "wsgi_app", None)
        if problem is None or not isinstance(edge, Edge):
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", addr[0] if addr else "", exc)  # gunicorn's own words
        environ = unreadable_environ(req, addr)
        answered = []

        def start_response(status, headers, exc_info=None):
            answered.extend((status, headers))

        body = b"".join(edge(environ, start_response, refusal=problem))
        status, headers = answered
        head = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
        head += [f"Content-Length: {len(body)}", "Connection: close"]
        try:
            client.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send the refusal.")


def unreadable_environ(req, addr) -> dict:
    """A WSGI environ for a request that could not be read: its language header if read, its client's address."""
    headers = dict(getattr(req, "headers", None) or [])
    language = {"Accept-Language": headers["ACCEPT-LANGUAGE"]} if "ACCEPT-LANGUAGE" in headers else {}
    environ = EnvironBuilder(path="/v1/", headers=language).get_environ()
    environ["REMOTE_ADDR"] = addr[0] if addr else ""
    return environ
