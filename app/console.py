"""``guidance``: the guidance and the check from a terminal or a publishing pipeline, in Welsh or English.

Exit status: 0 ok, 1 review, 2 do not post (for ``check``); 3 for a usage or service error.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from babel.support import Translations

from app.client import GuidanceClient, ProblemError
from app.edge.problems import N_
from app.guidance import markup

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
EXIT = {"ok": 0, "review": 1, "do-not-post": 2}
USAGE_OR_SERVICE_ERROR = 3


# argparse's own words, so that --help and usage errors come in Welsh too.
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
)


def translator(language):
    """gettext for ``language``, from the project's catalogues; argparse's words use it too."""
    translations = Translations.load(str(TRANSLATIONS), [language])
    argparse._ = translations.gettext
    return translations.gettext


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 3 (2 means do-not-post here)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE_OR_SERVICE_ERROR, f"{self.prog}: {message}\n")


def requested_language(argv):
    """The --lang given anywhere on the line, so that even --help comes in that language."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return "cy" if argv[index + 1].startswith("cy") else "en"
        if word.startswith("--lang="):
            return "cy" if word.split("=", 1)[1].startswith("cy") else "en"
    return "en"


def common_options(_, defaults):
    """--lang and --url, accepted before or after the command; only the top level sets their defaults."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=["en", "cy"],
        default="en" if defaults else argparse.SUPPRESS,
        help=_("language of the answer: en or cy"),
    )
    common.add_argument(
        "--url",
        default=os.environ.get("GUIDANCE_API_URL", "http://127.0.0.1:8000") if defaults else argparse.SUPPRESS,
        help=_("address of the service (or set GUIDANCE_API_URL)"),
    )
    return common


def build_parser(_):
    common = common_options(_, defaults=False)
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--date", help=_("the guidance in force on this day, YYYY-MM-DD"))
    parser = Parser(
        prog="guidance",
        parents=[common_options(_, defaults=True)],
        description=_("Welsh Government guidance on the personal use of social media, and a check of draft posts."),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar=_("COMMAND"))
    show = commands.add_parser(
        "show",
        parents=[common, dated],
        help=_("show the guidance"),
        description=_("Show the guidance, or one section of it."),
    )
    show.add_argument("--section", help=_("only this section, by its id"))
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
    check.add_argument("text", nargs="?", metavar=_("TEXT"), help=_("the draft; or use --file, or standard input"))
    check.add_argument("--file", type=Path, help=_("read the draft from this file"))
    check.add_argument("--language", choices=["en", "cy", "auto"], default="auto", help=_("language of the draft"))
    check.add_argument(
        "--account", choices=["personal", "official"], default="personal", help=_("the account you will post from")
    )
    check.add_argument("--format", choices=["text", "json"], default="text", help=_("output format"))
    return parser


def marked(text, spans):
    """The draft with the words that led to findings between « and »."""
    pieces = markup.marked_pieces(text, [(s.start, s.end) for s in spans])
    return "".join(f"«{words}»" if is_marked else words for words, is_marked in pieces)


def version_line(version, _):
    """A version's dates and state, and a withdrawal with its reason, whether in force or to come."""
    line = f"{version.id}  {version.label}  {version.effective_from} – {version.effective_to or ''}  {version.status}"
    if version.withdrawn:
        line += "  " + _("withdrawn from %(date)s: %(reason)s") % {
            "date": version.withdrawn["from"],
            "reason": version.withdrawn["reason"],
        }
    elif version.withdrawal_scheduled:
        line += "  " + _("to be withdrawn from %(date)s: %(reason)s") % {
            "date": version.withdrawal_scheduled["from"],
            "reason": version.withdrawal_scheduled["reason"],
        }
    return line


def print_check(result, text, _):
    verdicts = {"ok": _("ok"), "review": _("review before posting"), "do-not-post": _("do not post")}
    label = _("Verdict")
    print(f"{label}: {verdicts[result.verdict]}")
    if result.findings:
        print(f"\n{marked(text, [s for f in result.findings for s in f.spans])}\n")
        for finding in result.findings:
            print(f"- {finding.rule} ({finding.severity}): {finding.message}")
            print(f"  {finding.suggestion}")
            print(f"  {markup.found_by(finding.basis, finding.confidence, _)}")
            print(f"  {finding.guidance['href']}")


def print_guidance(guidance):
    print(f"{guidance.title}\n{guidance.version.label}\n\n{guidance.summary}")
    for section in guidance.sections:
        print(f"\n{section.heading}\n\n{section.text}")


def run(args, _):
    client = GuidanceClient(args.url)
    as_json = getattr(args, "format", "text") == "json"
    if args.command == "check":
        text = (
            args.text
            if args.text is not None
            else (args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read())
        )
        if not text.strip():
            Parser(prog="guidance check").error(_("give the draft as an argument, with --file, or on standard input"))
        result = client.check(text, language=args.language, account=args.account, lang=args.lang, date=args.date)
        if as_json:
            print(
                json.dumps(
                    {"verdict": result.verdict, "findings": [f.__dict__ for f in result.findings]},
                    default=lambda o: o.__dict__,
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            print_check(result, text, _)
        return EXIT[result.verdict]
    if args.command == "versions":
        versions = client.versions(lang=args.lang)
        for version in versions:
            print(json.dumps(version.__dict__, ensure_ascii=False) if as_json else version_line(version, _))
        return 0
    fmt = "html" if args.format == "html" else "json"
    if args.command == "reminders":
        reminders = client.reminders(lang=args.lang, date=args.date, format=fmt)
        if args.format == "html":
            print(reminders)
        else:
            for number, reminder in enumerate(reminders, 1):
                print(
                    json.dumps(reminder.__dict__, ensure_ascii=False)
                    if as_json
                    else f"{number}. {reminder.title} – {reminder.text}"
                )
        return 0
    if args.section:
        section = client.section(args.section, lang=args.lang, date=args.date, format=fmt)
        print(
            section
            if args.format == "html"
            else json.dumps(section.__dict__, ensure_ascii=False, indent=2)
            if as_json
            else f"{section.heading}\n\n{section.text}"
        )
        return 0
    guidance = client.guidance(lang=args.lang, date=args.date, format=fmt)
    if args.format == "html":
        print(guidance)
    elif as_json:
        print(json.dumps(guidance.raw, ensure_ascii=False, indent=2))
    else:
        print_guidance(guidance)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    _ = translator(requested_language(argv))
    args = build_parser(_).parse_args(argv)
    try:
        return run(args, _)
    except ProblemError as error:
        print(
            f"guidance: {error.title}: {error.detail}" if error.detail else f"guidance: {error.title}", file=sys.stderr
        )
        return USAGE_OR_SERVICE_ERROR
    except OSError as error:
        print(f"guidance: {error}", file=sys.stderr)
        return USAGE_OR_SERVICE_ERROR


if __name__ == "__main__":
    sys.exit(main())
