"""What the editor tests share: the commands run as an editor runs them, on a copy of the content, and hand edits."""

import yaml
from click.testing import CliRunner

from app.editor.cli import guidance


def run(content, *args):
    return CliRunner().invoke(guidance, list(args), env={"GUIDANCE_CONTENT_DIR": str(content)})


def edit(path, change):
    """A change made by hand to a YAML file of the content."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
