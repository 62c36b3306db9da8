"""Any text at all, up to the limit: the engine answers, and every span lies inside the text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.check import language_id
from app.check.engine import Draft, tokenize
from app.check.engine import _by_sentence as by_sentence
from app.guidance.content import load_library
from tests.conftest import CONTENT

RULES = load_library(CONTENT).get("2021-02-01").rules
WORDS = st.sampled_from(
    ["Vote", "Lafur", "polisi", "hurt", "password", "’", "#", "ŵ", "Between us", "minister", " ", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=5000), st.lists(WORDS, min_size=1, max_size=200).map("".join)))
def test_any_text_gets_an_answer_with_spans_inside_it(text):
    result = RULES.check(text, language_id.lexicon_languages("auto", language_id.identify(text)), "personal")
    assert result.verdict in ("ok", "review", "do-not-post")
    for finding in result.findings:
        for start, end in finding.spans:
            assert 0 <= start < end <= len(text)


TEXT_WITHOUT_TAGS = st.one_of(
    st.text(max_size=600).filter(lambda text: "#" not in text and "@" not in text),
    st.lists(
        st.sampled_from(
            ["Don’t", "SHARE", "ŵyl", "e\u0301", "’", "'", ". ", "! ", "?", "\n", " / ", " | ", "3.5", "_x1"]
        ),
        max_size=80,
    ).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(TEXT_WITHOUT_TAGS)
def test_a_draft_read_in_one_pass_has_the_words_places_and_sentences_of_a_full_reading(text):
    """Drafts without hashtags are read by findall, sentence by sentence; tokenize reads every draft word by word."""
    draft, tokens = Draft(text), tokenize(text)
    assert draft.words == [token.text for token in tokens]
    assert draft.spans == [(token.start, token.end) for token in tokens]
    assert [words for words in draft.sentences if words] == [words for words in by_sentence(text, tokens) if words]
