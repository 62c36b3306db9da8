"""``guidance``: the guidance and the check from a terminal or a publishing pipeline, in Welsh or English.

Exit status: 0 ok, 1 review, 2 do not post (for ``check``); 3 for a usage or service error.
The language is ``--lang``'s, given anywhere on the line, else the system's (the first of LANGUAGE, LC_ALL,
LC_MESSAGES and LANG that is set, as gettext reads them), else English: the answers, the command's own words
and its help alike.
"""

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import NoReturn

from guidance_client.client import CheckResult, Guidance, GuidanceClient, ProblemError, Span, Version
from guidance_client.messages import N_, Translate, language_of, translator

EXIT = {"ok": 0, "review": 1, "do-not-post": 2}
USAGE_OR_SERVICE_ERROR = 3
DEFAULT_URL = "http://127.0.0.1:8000"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# argparse's own words (it looks them up through argparse._ when it builds a parser and when it prints).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
VERDICTS = {"ok": N_("ok"), "review": N_("review before posting"), "do-not-post": N_("do not post")}
SEVERITIES = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}
STATUSES = {
    "current": N_("current"),
    "superseded": N_("superseded"),
    "scheduled": N_("scheduled"),
    "withdrawn": N_("withdrawn"),
}


def shown(words: Mapping[str, str], value: str, _: Translate) -> str:
    """A code from the service (a verdict, a severity, a status) in words; a code this version does not know, as is."""
    return _(words[value]) if value in words else value


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 3 (2 means do-not-post here)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_OR_SERVICE_ERROR, f"{self.prog}: {message}\n")


def requested_language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """``--lang`` anywhere on the line (so that even --help comes in it), else the system's, else English."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        value = argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None
        if word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if language_of(value):
            return language_of(value) or "en"
    for name in LOCALE_VARIABLES:
        if environ.get(name):
            return language_of(environ[name]) or "en"
    return "en"


@contextmanager
def argparse_in(_: Translate) -> Iterator[None]:
    """argparse's words in the command's language while it runs."""
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


def common_options(_: Translate, defaults: Mapping[str, str] | None) -> Parser:
    """--lang and --url, accepted before or after the command; only the top level sets their defaults."""
    common = Parser(add_help=False)
    common.add_argument(
        "--lang",
        choices=["en", "cy"],
        default=defaults["lang"] if defaults else argparse.SUPPRESS,
        help=_(
            "language of the answers and of these messages: en or cy (by default the system's: LANGUAGE, LC_ALL, "
            "LC_MESSAGES or LANG)"
        ),
    )
    common.add_argument(
        "--url",
        metavar=_("ADDRESS"),
        default=defaults["url"] if defaults else argparse.SUPPRESS,
        help=_("address of the service (or set GUIDANCE_API_URL)"),
    )
    return common


def build_parser(_: Translate, language: str, url: str) -> Parser:
    common = common_options(_, defaults=None)
    dated = Parser(add_help=False)
    dated.add_argument("--date", metavar=_("DATE"), help=_("the guidance in force on this day, YYYY-MM-DD"))
    parser = Parser(
        prog="guidance",
        parents=[common_options(_, defaults={"lang": language, "url": url})],
        description=_("Welsh Government guidance on the personal use of social media, and a check of draft posts."),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar=_("COMMAND"))
    show = commands.add_parser(
        "show",
        parents=[common, dated],
        help=_("show the guidance"),
        description=_("Show the guidance, or one section of it."),
    )
    show.add_argument("--section", metavar=_("SECTION"), help=_("only this section, by its id"))
    show.add_argument("--format", choices=["text", "json", "html"], default="text", help=_("output format"))
    reminders = commands.add_parser(
        "reminders", parents=[common, dated], help=_("show the six reminders"), description=_("Show the six reminders.")
    )
    reminders.add_argument("--format", choices=["text", "json", "html"], default="text", help=_("output format"))
    versions = commands.add_parser(
        "versions",
        parents=[common],
        help=_("list the dated versions"),
        description=_("List the dated versions of the guidance."),
    )
    versions.add_argument("--format", choices=["text", "json"], default="text", help=_("output format"))
    check = commands.add_parser(
        "check",
        parents=[common, dated],
        help=_("check a draft post"),
        description=_("Check a draft post. Exit status: 0 ok, 1 review, 2 do not post, 3 a usage or service error."),
    )
    check.add_argument("text", nargs="?", metavar=_("TEXT"), help=_("the draft; without it, --file or standard input"))
    check.add_argument("--file", metavar=_("FILE"), help=_("read the draft from this file (- for standard input)"))
    check.add_argument("--language", choices=["en", "cy", "auto"], default="auto", help=_("language of the draft"))
    check.add_argument(
        "--account", choices=["personal", "official"], default="personal", help=_("the account you will post from")
    )
    check.add_argument("--format", choices=["text", "json"], default="text", help=_("output format"))
    for command in (show, reminders, versions, check):
        command.set_defaults(parser=command)
    return parser


def read_draft(args: argparse.Namespace, _: Translate) -> str:
    """The draft: TEXT, or the file --file names, or standard input (``--file -``, or neither given)."""
    if args.text is not None and args.file is not None:
        args.parser.error(_("give the draft either as an argument or with --file, not both"))
    if args.text is not None:
        text: str = args.text
    elif args.file is None or args.file == "-":
        text = read(None, _("standard input"), args.parser, _)
    else:
        text = read(args.file, args.file, args.parser, _)
    if not text.strip():
        args.parser.error(_("give the draft as an argument, with --file, or on standard input"))
    return text


def read(path: str | None, name: str, parser: Parser, _: Translate) -> str:
    """A file's text, or standard input's (``path`` None), as UTF-8; a file that cannot be read is a usage error."""
    try:
        if path is None:
            data: bytes | str = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            return data.decode("utf-8-sig") if isinstance(data, bytes) else data
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        parser.error(_("cannot read %(file)s: there is no such file") % {"file": name})
    except IsADirectoryError:
        parser.error(_("cannot read %(file)s: it is a folder") % {"file": name})
    except PermissionError:
        parser.error(_("cannot read %(file)s: permission denied") % {"file": name})
    except UnicodeDecodeError:
        parser.error(_("cannot read %(file)s: it is not UTF-8 text") % {"file": name})
    except OSError:
        parser.error(_("cannot read %(file)s") % {"file": name})


def marked_pieces(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (words, is_marked) pieces, marking every (start, end) span; overlaps are joined.
    The service's page marks a draft the same way (app/guidance/markup.py), but the client installs alone."""
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


def marked(text: str, spans: Iterable[Span]) -> str:
    """The draft with the words that led to findings between « and »."""
    pieces = marked_pieces(text, [(s.start, s.end) for s in spans])
    return "".join(f"«{words}»" if is_marked else words for words, is_marked in pieces)


def found_by(basis: Sequence[str], confidence: float, _: Translate) -> str:
    """What found a finding, and how sure the check is, as the service's page says it."""
    values = {"confidence": f"{round(confidence * 100)}%"}
    if list(basis) == ["rule"]:
        return _("Found by the check's rules (confidence: %(confidence)s).") % values
    if list(basis) == ["model"]:
        return _("Found by the check's model, trained on example posts (confidence: %(confidence)s).") % values
    return _("Found by the check's rules and by its model (confidence: %(confidence)s).") % values


def version_line(version: Version, _: Translate) -> str:
    """A version's dates and state, and a withdrawal with its reason, whether in force or to come."""
    line = (
        f"{version.id}  {version.label}  {version.effective_from} – {version.effective_to or ''}"
        f"  {shown(STATUSES, version.status, _)}"
    )
    if version.withdrawn:
        line += "  " + _("withdrawn from %(date)s: %(reason)s") % {
            "date": version.withdrawn.date,
            "reason": version.withdrawn.reason,
        }
    elif version.withdrawal_scheduled:
        line += "  " + _("to be withdrawn from %(date)s: %(reason)s") % {
            "date": version.withdrawal_scheduled.date,
            "reason": version.withdrawal_scheduled.reason,
        }
    return line


def print_check(result: CheckResult, text: str, _: Translate) -> None:
    label = _("Verdict")
    print(f"{label}: {shown(VERDICTS, result.verdict, _)}")
    if result.findings:
        print(f"\n{marked(text, [s for f in result.findings for s in f.spans])}\n")
        for finding in result.findings:
            print(f"- {finding.rule} ({shown(SEVERITIES, finding.severity, _)}): {finding.message}")
            print(f"  {finding.suggestion}")
            print(f"  {found_by(finding.basis, finding.confidence, _)}")
            print(f"  {finding.guidance.href}")


def print_guidance(guidance: Guidance) -> None:
    print(f"{guidance.title}\n{guidance.version.label}\n\n{guidance.summary}")
    for section in guidance.sections:
        print(f"\n{section.heading}\n\n{section.text}")


def as_json(value: object, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def run(args: argparse.Namespace, _: Translate) -> int:
    client = GuidanceClient(args.url, language=args.lang)
    json_out = args.format == "json"
    if args.command == "check":
        text = read_draft(args, _)
        result = client.check(text, language=args.language, account=args.account, lang=args.lang, date=args.date)
        if json_out:
            print(as_json(result.raw, indent=2))
        else:
            print_check(result, text, _)
        return EXIT.get(result.verdict, EXIT["do-not-post"])  # a verdict this version does not know: in doubt
    if args.command == "versions":
        for version in client.versions(lang=args.lang):
            print(as_json(version.raw) if json_out else version_line(version, _))
        return 0
    if args.command == "reminders":
        if args.format == "html":
            print(client.reminders(lang=args.lang, date=args.date, format="html"))
            return 0
        for number, reminder in enumerate(client.reminders(lang=args.lang, date=args.date), 1):
            print(
                as_json(dataclasses.asdict(reminder)) if json_out else f"{number}. {reminder.title} – {reminder.text}"
            )
        return 0
    if args.section and args.format == "html":
        print(client.section(args.section, lang=args.lang, date=args.date, format="html"))
    elif args.section:
        section = client.section(args.section, lang=args.lang, date=args.date)
        print(as_json(dataclasses.asdict(section), indent=2) if json_out else f"{section.heading}\n\n{section.text}")
    elif args.format == "html":
        print(client.guidance(lang=args.lang, date=args.date, format="html"))
    elif json_out:
        print(as_json(client.guidance(lang=args.lang, date=args.date).raw, indent=2))
    else:
        print_guidance(client.guidance(lang=args.lang, date=args.date))
    return 0


def report(error: ProblemError) -> None:
    """A problem on standard error: its title and detail, the fields it names, and the client's note."""
    print(f"guidance: {error.title}: {error.detail}" if error.detail else f"guidance: {error.title}", file=sys.stderr)
    for field_error in error.errors:
        print(f"guidance: {field_error.field}: {field_error.detail}", file=sys.stderr)
    if error.note:
        print(f"guidance: {error.note}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    language = requested_language(argv, os.environ)
    _ = translator(language)
    with argparse_in(_):
        args = build_parser(_, language, os.environ.get("GUIDANCE_API_URL") or DEFAULT_URL).parse_args(argv)
        try:
            return run(args, _)
        except ProblemError as error:
            report(error)
            return USAGE_OR_SERVICE_ERROR


if __name__ == "__main__":
    sys.exit(main())
