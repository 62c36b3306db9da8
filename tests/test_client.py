"""The Python client and the ``guidance`` command line, against a real gunicorn on loopback."""

import subprocess
import sys
import threading
import time

import pytest

from app.client import CheckResult, Guidance, GuidanceClient, ProblemError, Reminder, Version
from tests.conftest import REMINDERS_IN_ORDER
from tests.servers import ROOT, free_port, gunicorn

pytestmark = pytest.mark.slow  # starts real servers

GENEROUS = {"READ_RATE_LIMIT": "100000/minute", "CHECK_RATE_LIMIT": "100000/minute"}


@pytest.fixture(scope="module")
def server():
    with gunicorn("--workers", "2", env=GENEROUS) as base:
        yield base


def test_typed_results(server):
    client = GuidanceClient(server)
    guidance = client.guidance(lang="cy")
    assert isinstance(guidance, Guidance) and guidance.language == "cy"
    assert guidance.version == Version("2021-02-01", "2021-02-01", None, "Chwefror 2021", "current")
    assert [r.id for r in client.reminders()] == REMINDERS_IN_ORDER
    assert isinstance(client.reminders()[0], Reminder)
    assert client.section("introduction", lang="cy").heading == "Cyflwyniad"
    assert [v.id for v in client.versions()] == ["2021-02-01"]
    assert client.guidance(date="2021-03-01").version.id == "2021-02-01"
    assert client.guidance(format="html").startswith('<div class="app-guidance" lang="en">')


def test_check_returns_findings_in_the_language_asked(server):
    result = GuidanceClient(server).check("Pleidleisiwch dros Lafur ddydd Iau!", lang="cy")
    assert isinstance(result, CheckResult)
    assert result.verdict == "do-not-post" and result.text_language == "cy"
    assert result.findings[0].rule == "political-activity"
    assert result.findings[0].message.startswith("Mae hyn yn edrych")
    assert result.findings[0].spans[0].start == 0


def test_a_repeat_get_revalidates_and_a_304_returns_the_kept_result(server):
    client = GuidanceClient(server)
    first = client.guidance(lang="cy")
    assert client.last_status == 200
    second = client.guidance(lang="cy")
    assert client.last_status == 304
    assert second is first


def test_errors_are_exceptions_carrying_the_problem(server):
    with pytest.raises(ProblemError) as raised:
        GuidanceClient(server).check("")
    assert raised.value.status == 422
    assert raised.value.errors[0]["field"] == "text"
    with pytest.raises(ProblemError) as raised:
        GuidanceClient(server).guidance(date="2020-01-01")
    assert raised.value.status == 404 and "2021-02-01" in raised.value.detail


def test_a_429_is_retried_after_retry_after():
    with gunicorn("--workers", "1", env={"CHECK_RATE_LIMIT": "1/second", "READ_RATE_LIMIT": "1000/minute"}) as base:
        patient = GuidanceClient(base, retries=3)
        patient.check("hello")
        started = time.monotonic()
        assert patient.check("hello").verdict == "ok"
        assert time.monotonic() - started >= 0.5
        impatient = GuidanceClient(base, retries=0)
        time.sleep(1.1)  # a new one-second window
        impatient.check("hello")
        with pytest.raises(ProblemError) as raised:
            impatient.check("hello")
        assert raised.value.status == 429 and raised.value.retry_after is not None


def test_a_restarted_server_is_retried_until_it_answers():
    port = free_port()
    client = GuidanceClient(f"http://127.0.0.1:{port}", retries=6, backoff=0.25, timeout=5)

    def start_later(holder):
        time.sleep(1.0)
        holder.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    holder = []
    starter = threading.Thread(target=start_later, args=(holder,))
    starter.start()
    try:
        assert client.guidance().title == "Personal Use of Social Media"
    finally:
        starter.join()
        for process in holder:
            process.terminate()
            process.wait(timeout=15)


def test_no_server_is_a_problem_with_status_0():
    with pytest.raises(ProblemError) as raised:
        GuidanceClient(f"http://127.0.0.1:{free_port()}", retries=1, backoff=0.01).versions()
    assert raised.value.status == 0


def cli(*args, url=None, stdin=None):
    command = [sys.executable, "-m", "app.console", *args]
    env = {"PATH": "/usr/bin:/bin", "GUIDANCE_API_URL": url} if url else {"PATH": "/usr/bin:/bin"}
    return subprocess.run(
        command, check=False, input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


@pytest.mark.parametrize(
    "draft, status",
    [("Sunday roast with the family.", 0), ("The 20mph policy is ridiculous.", 1), ("Vote Labour on Thursday!", 2)],
)
def test_check_exit_status_follows_the_verdict(server, draft, status):
    assert cli("check", draft, url=server).returncode == status


def test_check_marks_the_words_in_welsh(server):
    result = cli("check", "--lang", "cy", "Pleidleisiwch dros Lafur ddydd Iau!", url=server)
    assert result.returncode == 2
    assert "Dyfarniad: peidiwch â phostio" in result.stdout
    assert "«Pleidleisiwch» dros «Lafur»" in result.stdout
    assert "Mae hyn yn edrych fel gweithgarwch gwleidyddol" in result.stdout


def test_check_reads_a_file_or_standard_input(server, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Vote Labour on Thursday!", encoding="utf-8")
    assert cli("check", "--file", str(draft), url=server).returncode == 2
    assert cli("check", url=server, stdin="Vote Labour on Thursday!").returncode == 2


def test_show_reminders_and_versions(server):
    shown = cli("show", "--lang", "cy", "--section", "introduction", url=server)
    assert shown.returncode == 0 and shown.stdout.startswith("Cyflwyniad")
    assert cli("show", "--format", "html", url=server).stdout.startswith('<div class="app-guidance" lang="en">')
    assert '"title": "Personal Use of Social Media"' in cli("show", "--format", "json", url=server).stdout
    assert "5. Doubts – if in doubt, don't post it!" in cli("reminders", url=server).stdout
    assert cli("versions", url=server).stdout.startswith("2021-02-01  February 2021")


def test_url_option_wins_and_a_dead_service_exits_3(server):
    assert cli("--url", server, "versions").returncode == 0
    assert cli("versions", url=f"http://127.0.0.1:{free_port()}").returncode == 3


def test_usage_errors_exit_3_in_the_language_asked():
    result = cli("--lang", "cy", "show", "--format", "pdf")
    assert result.returncode == 3
    assert "dewis annilys" in result.stderr


def test_help_in_welsh_and_english():
    welsh = cli("--lang", "cy", "--help")
    assert welsh.returncode == 0
    assert "defnydd: guidance" in welsh.stdout and "gwirio neges ddrafft" in welsh.stdout
    assert "usage" not in welsh.stdout and "show this help" not in welsh.stdout
    english = cli("check", "--help")
    assert "usage: guidance check" in english.stdout and "Exit status" in english.stdout
