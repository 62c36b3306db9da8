"""The client's own Welsh (clients/python keeps it in guidance_client/messages.py, since it installs without the
service's catalogue): every message it marks has its Welsh, and the Welsh is proofed as the catalogue is."""

import re

from babel.messages.extract import extract_from_dir
from guidance_client.messages import WELSH

from app.editor import proofing
from tests.conftest import ROOT

PACKAGE = ROOT / "clients" / "python" / "guidance_client"
# The client's words that are code, not Welsh: the environment variables its help names.
CODE = re.compile(r"\b(LANGUAGE|LANG)\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]")


def marked_messages():
    found = extract_from_dir(str(PACKAGE), [("**.py", "python")], keywords={"_": None, "N_": None})
    return {message for _, _, message, _, _ in found}


def test_every_message_the_client_marks_has_its_welsh_and_no_other():
    marked = marked_messages()
    assert len(marked) > 50, "extraction found the client's messages"
    assert marked - WELSH.keys() == set(), "add their Welsh to clients/python/guidance_client/messages.py"
    assert WELSH.keys() - marked == set(), "no longer used: remove them"


def test_the_welsh_says_what_the_english_does_with_the_same_placeholders():
    differing = [
        m for m, welsh in WELSH.items() if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(welsh))
    ]
    assert differing == []
    assert [m for m, welsh in WELSH.items() if not welsh.strip() or welsh == m] == []


def test_the_clients_welsh_is_spelled_and_mutated_correctly():
    issues = [issue for english, welsh in WELSH.items() for issue in proofing.proof(CODE.sub(" ", welsh), english)]
    assert issues == []


def test_the_proofing_would_catch_a_mistake_in_the_clients_welsh():
    assert proofing.proof(CODE.sub(" ", "Methodd y cais i gwasanaeth LANG."), "example")
