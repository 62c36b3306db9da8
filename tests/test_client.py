"""The Python client and the ``guidance`` command line (clients/python, installed in the environment), against a
real gunicorn on loopback."""

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from guidance_client import (
    UNREACHABLE,
    Bilingual,
    CheckResult,
    FieldError,
    Guidance,
    GuidanceClient,
    ProblemError,
    Reminder,
    Section,
    Version,
)
from guidance_client.messages import WELSH

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
    assert raised.value.errors[0] == FieldError("text", raised.value.errors[0].detail)
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
    assert raised.value.status == 0 and raised.value.type == UNREACHABLE


def test_both_languages_come_as_one_typed_result(server):
    client = GuidanceClient(server)
    both = client.guidance(lang="cy,en")
    assert isinstance(both, Bilingual) and both.languages == ("cy", "en")
    assert isinstance(both.cy, Guidance) and both.cy.title == "Defnydd Personol o'r Cyfryngau Cymdeithasol"
    assert both.en.title == "Personal Use of Social Media" and both.en.version.label == "February 2021"
    section = client.section("introduction", lang="cy,en")
    assert isinstance(section.cy, Section) and section.cy.heading == "Cyflwyniad"
    assert section.en.heading == "Introduction"
    reminders = client.reminders(lang="en,cy")
    assert [r.id for r in reminders.cy] == [r.id for r in reminders.en] == REMINDERS_IN_ORDER
    versions = client.versions(lang="cy,en")
    assert [v.label for v in versions.cy + versions.en] == ["Chwefror 2021", "February 2021"]
    assert client.check("Vote Labour on Thursday!", lang="cy,en").language == "cy"  # a check answers in one


def test_every_link_in_an_answer_is_absolute(server):
    client = GuidanceClient(server)
    [finding] = client.check("Vote Labour on Thursday!").findings
    assert finding.guidance.href == f"{server}/v1/guidance/sections/propriety-and-ethics?lang=en&date=2021-02-01"
    guidance = client.guidance(lang="cy")
    assert guidance.raw["links"]["versions"] == f"{server}/v1/guidance/versions"
    assert guidance.raw["links"]["alternate"][0] == {"lang": "en", "href": f"{server}/v1/guidance?lang=en"}
    assert client.versions()[0].raw["links"]["self"] == f"{server}/v1/guidance/versions/2021-02-01?lang=en"


GUIDANCE_COMMAND = Path(sys.executable).parent / "guidance"  # the installed client's console script


def cli(*args, url=None, stdin=None, env=None):
    environment = {"PATH": "/usr/bin:/bin", **({"GUIDANCE_API_URL": url} if url else {}), **(env or {})}
    return subprocess.run(
        [str(GUIDANCE_COMMAND), *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )


def english_in(output):
    """The command's English messages, or their words between placeholders, long enough to be unmistakable, that
    appear in ``output`` (white space as argparse wraps it made single spaces)."""
    flowing = " ".join(output.split())
    pieces = {" ".join(piece.split()) for message in WELSH for piece in re.split(r"%\(\w+\)[sdr]|%[sdr]", message)}
    return sorted(piece for piece in pieces if len(piece) > 12 and piece in flowing)


@pytest.mark.parametrize(
    "draft, status",
    [("Sunday roast with the family.", 0), ("The 20mph policy is ridiculous.", 1), ("Vote Labour on Thursday!", 2)],
)
def test_check_exit_status_follows_the_verdict(server, draft, status):
    assert cli("check", draft, url=server).returncode == status


def test_check_marks_the_words_in_welsh_and_says_everything_in_welsh(server):
    result = cli("check", "--lang", "cy", "Pleidleisiwch dros Lafur ddydd Iau!", url=server)
    assert result.returncode == 2
    assert "Dyfarniad: peidiwch â phostio" in result.stdout
    assert "«Pleidleisiwch» dros «Lafur»" in result.stdout
    assert "- political-activity (uchel): Mae hyn yn edrych fel gweithgarwch gwleidyddol" in result.stdout
    assert "Canfuwyd hyn gan reolau'r gwiriad a chan ei fodel (hyder: 100%)." in result.stdout
    assert "(high)" not in result.stdout and english_in(result.stdout) == []
    assert english_in(cli("check", "Vote Labour on Thursday!", url=server).stdout), "the test can see English"


def test_check_prints_absolute_links_to_the_guidance(server):
    result = cli("check", "Vote Labour on Thursday!", url=server)
    assert f"  {server}/v1/guidance/sections/propriety-and-ethics?lang=en&date=2021-02-01\n" in result.stdout
    listed = json.loads(cli("check", "--format", "json", "Vote Labour on Thursday!", url=server).stdout)
    assert listed["findings"][0]["guidance"]["href"].startswith(f"{server}/v1/guidance/sections/")


def test_check_reads_a_file_or_standard_input(server, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Vote Labour on Thursday!", encoding="utf-8")
    assert cli("check", "--file", str(draft), url=server).returncode == 2
    assert cli("check", url=server, stdin="Vote Labour on Thursday!").returncode == 2
    from_dash = cli("check", "--file", "-", url=server, stdin="Sunday roast with the family.")
    assert from_dash.returncode == 0 and from_dash.stdout == "Verdict: ok\n"


def test_text_and_file_together_is_a_usage_error(server, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Vote Labour on Thursday!", encoding="utf-8")
    english = cli("check", "Sunday roast.", "--file", str(draft), url=server)
    assert english.returncode == 3 and english.stdout == ""
    assert english.stderr.startswith("usage: guidance check")
    assert "guidance check: give the draft either as an argument or with --file, not both" in english.stderr
    welsh = cli("--lang", "cy", "check", "Sunday roast.", "--file", "-", url=server, stdin="x")
    assert welsh.returncode == 3
    assert "rhowch y drafft naill ai fel dadl neu drwy --file, nid y ddau" in welsh.stderr
    missing = cli("--lang", "cy", "check", "--file", str(tmp_path / "none.txt"), url=server)
    assert (
        missing.returncode == 3 and "nid yw'n bosibl darllen" in missing.stderr and "No such file" not in missing.stderr
    )


def test_show_reminders_and_versions(server):
    shown = cli("show", "--lang", "cy", "--section", "introduction", url=server)
    assert shown.returncode == 0 and shown.stdout.startswith("Cyflwyniad")
    assert cli("show", "--format", "html", url=server).stdout.startswith('<div class="app-guidance" lang="en">')
    assert '"title": "Personal Use of Social Media"' in cli("show", "--format", "json", url=server).stdout
    assert "5. Doubts – if in doubt, don't post it!" in cli("reminders", url=server).stdout
    assert cli("versions", url=server).stdout.startswith("2021-02-01  February 2021")


def test_versions_in_welsh_say_their_state_in_welsh(server):
    assert cli("versions", "--lang", "cy", url=server).stdout == "2021-02-01  Chwefror 2021  2021-02-01 –   cyfredol\n"


def test_url_option_wins_and_a_dead_service_exits_3(server):
    assert cli("--url", server, "versions").returncode == 0
    dead = cli("versions", "--lang", "cy", url=f"http://127.0.0.1:{free_port()}")
    assert dead.returncode == 3
    assert dead.stderr.startswith("guidance: Nid oes modd cyrraedd y gwasanaeth: Nid oedd modd cysylltu â http://")


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


@pytest.mark.parametrize("command", ["show", "reminders", "versions", "check"])
def test_every_word_of_the_help_is_welsh_with_lang_cy(command):
    welsh = cli(command, "--help", "--lang", "cy").stdout
    english = cli(command, "--help").stdout
    assert english_in(english), "the test can see English"
    assert english_in(welsh) == []
    placeholders = {"DATE": "DYDDIAD", "ADDRESS": "CYFEIRIAD", "TEXT": "TESTUN", "FILE": "FFEIL", "SECTION": "ADRAN"}
    for english_word, welsh_word in placeholders.items():
        assert english_word not in welsh
        assert (english_word in english) == (welsh_word in welsh)
    assert "usage:" not in welsh and "options:" not in welsh and "defnydd: guidance" in welsh


@pytest.mark.parametrize("variable, value", [("LANG", "cy_GB.UTF-8"), ("LC_ALL", "cy_GB.UTF-8"), ("LANGUAGE", "cy:en")])
def test_a_welsh_system_language_gives_welsh_without_lang(server, variable, value):
    assert cli("--help", env={variable: value}).stdout.startswith("defnydd: guidance")
    assert cli("versions", url=server, env={variable: value}).stdout.endswith("cyfredol\n")
    assert cli("versions", "--lang", "en", url=server, env={variable: value}).stdout.endswith("current\n")
    assert cli("--help", env={"LANG": "en_GB.UTF-8"}).stdout.startswith("usage: guidance")
