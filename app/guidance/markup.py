"""Inline Markdown (links, bold) in guidance text, to HTML and to plain text."""

from collections.abc import Callable, Iterable

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False})


def _govuk_link(self, tokens, index, options, env):
    """Every link in the guidance's HTML is a GOV.UK Frontend link, as gov.wales pages style them."""
    tokens[index].attrSet("class", "govuk-link")
    return self.renderToken(tokens, index, options, env)


_markdown.add_render_rule("link_open", _govuk_link)


def inline_html(source: str) -> str:
    """HTML for one paragraph of inline Markdown; raw HTML in the source is escaped."""
    return _markdown.renderInline(source)


def inline_text(source: str) -> str:
    """The words of one paragraph of inline Markdown, without its markup."""
    parts = []
    for token in _markdown.parseInline(source)[0].children or []:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def link_targets(source: str) -> list[str | None]:
    """Every link address in a paragraph, for checking that none is a placeholder."""
    return [
        token.attrGet("href") for token in _markdown.parseInline(source)[0].children or [] if token.type == "link_open"
    ]


def marked_pieces(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (words, is_marked) pieces, marking every (start, end) span; overlaps are joined."""
    pieces, position = [], 0
    for start, end in sorted(set(spans)):
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def found_by(basis: Iterable[str], confidence: float, gettext: Callable[[str], str]) -> str:
    """What found a check's finding, and how sure it is, in the language of ``gettext``: the page and
    the command line say it alike."""
    percent = f"{round(confidence * 100)}%"
    if list(basis) == ["rule"]:
        return gettext("Found by the check's rules (confidence: %(confidence)s).") % {"confidence": percent}
    if list(basis) == ["model"]:
        return gettext("Found by the check's model, trained on example posts (confidence: %(confidence)s).") % {
            "confidence": percent
        }
    return gettext("Found by the check's rules and by its model (confidence: %(confidence)s).") % {
        "confidence": percent
    }
