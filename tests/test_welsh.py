"""Welsh is proofed like published text: every word known to hunspell cy_GB, every mutation right."""

import pytest
import yaml
from babel.messages.pofile import read_po

from app.editor import proofing
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


def english_messages():
    """Our English messages long enough to be unmistakable (short ones like 'ok' are also Welsh-ish codes)."""
    return [m.id for m in catalogue() if isinstance(m.id, str) and len(m.id) > 12 and "%" not in m.id]


def test_no_english_message_leaks_into_welsh_pages(client):
    pages = [
        client.get("/cy/").get_data(as_text=True),
        client.post("/cy/", data={"text": "Pleidleisiwch dros Lafur!"}).get_data(as_text=True),
        client.post("/cy/", data={"text": ""}).get_data(as_text=True),
        client.get("/cy/?version=nope").get_data(as_text=True),
        client.get("/v1/guidance?lang=cy&format=html").get_data(as_text=True),
    ]
    assert any(message in client.get("/").get_data(as_text=True) for message in english_messages()), (
        "the test can see leaks"
    )
    leaks = [message for message in english_messages() for page in pages if message in page]
    assert leaks == []


def test_no_english_message_leaks_into_welsh_problems(client):
    bodies = [
        client.get("/v1/guidance?date=2021-02-30&lang=cy").get_data(as_text=True),
        client.post("/v1/check?lang=cy", json={"text": ""}).get_data(as_text=True),
        client.post("/v1/check?lang=cy", data="x", content_type="text/plain").get_data(as_text=True),
        client.get("/v1/guidance", headers={"Accept": "image/png", "Accept-Language": "cy"}).get_data(as_text=True),
        client.get("/nowhere", headers={"Accept-Language": "cy"}).get_data(as_text=True),
    ]
    leaks = [message for message in english_messages() for body in bodies if message in body]
    assert leaks == []


# What a Welsh proof-read of the interface found, as a person meets it.


def test_do_not_post_agrees_with_neges_which_is_feminine(client):
    html = client.post("/cy/", data={"text": "Pleidleisiwch dros Lafur!"}).get_data(as_text=True)
    assert "Peidiwch â phostio'r neges hon. Os oes amheuaeth, peidiwch â'i phostio." in html


def test_an_unknown_field_is_one_we_do_not_recognise_not_acknowledge(client):
    body = client.post("/v1/check?lang=cy", json={"text": "Helo", "tone": "calm"}).get_json()
    assert body["errors"] == [
        {"field": "tone", "detail": "Nid ydym yn adnabod y maes hwn. Y meysydd yw: text, language, account, date."}
    ]
