"""Welsh is proofed like published text: every word known to hunspell cy_GB, every mutation right."""

import pytest
import yaml
from babel.messages.pofile import read_po

from app import proofing
from tests.conftest import CONTENT, ROOT

WELSH_FILES = sorted(CONTENT.glob("*/cy.yaml"))
CATALOGUE = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def catalogue():
    with CATALOGUE.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


RULE_FILES = sorted(CONTENT.glob("*/rules.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.parent.name)
def test_welsh_check_messages_are_spelled_and_mutated_correctly(path):
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    texts = [(f"{r['id']}.{part}", r[part]["cy"]) for r in rules for part in ("message", "suggestion")]
    issues = [issue for where, text in texts for issue in proofing.proof(text, where)]
    assert issues == []


@pytest.mark.parametrize("path", WELSH_FILES, ids=lambda p: p.parent.name)
def test_welsh_content_is_spelled_and_mutated_correctly(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    issues = [issue for where, text in proofing.strings_in(document) for issue in proofing.proof(text, where)]
    assert issues == []


def test_welsh_catalogue_is_spelled_and_mutated_correctly():
    issues = [issue for message in catalogue() for issue in proofing.proof(message.string, message.id)]
    assert issues == []


def test_every_message_has_a_welsh_translation():
    untranslated = [m.id for m in catalogue() if not m.string or m.fuzzy]
    assert untranslated == []


def test_the_proofreader_catches_misspelling_and_missing_mutation():
    issues = proofing.proof("Mae'r canllawiau yn berthnasol i gweision sifil a'r cyfrynagu cymdeithasol.")
    assert {(i.kind, i.word) for i in issues} >= {("spelling", "cyfrynagu"), ("mutation", "i gweision")}


def test_the_allowlist_is_short_and_every_entry_says_why():
    lines = [line for line in proofing.ALLOWLIST.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [line for line in lines if not line.startswith("#")]
    assert len(entries) <= 12
    assert all("#" in entry for entry in entries)
