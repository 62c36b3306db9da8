"""What the editor tests share: the commands run as an editor runs them, on a copy of the content, and hand edits."""

import yaml
from click.testing import CliRunner

from app.editor.cli import guidance


def run(content, *args):
    return CliRunner().invoke(guidance, list(args), env={"GUIDANCE_CONTENT_DIR": str(content)})


def withdraw(content, effective, version=None, *, reasons):
    """``guidance withdraw`` from ``effective`` (a date), of ``version`` or, with none, the latest; its result."""
    return run(
        content,
        "withdraw",
        *(("--version", version) if version else ()),
        "--effective",
        effective.isoformat(),
        "--reason-en",
        reasons["en"],
        "--reason-cy",
        reasons["cy"],
    )


def edit(path, change):
    """A change made by hand to a YAML file of the content."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
