"""The lock files: exact, hashed versions that still satisfy pyproject.toml's ranges, the same in both."""

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", re.MULTILINE)


def pins(lock):
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def hashed_pins(lock):
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    return [entry for entry in entries if "==" in entry.split("\n", 1)[0]]


LOCKS = {
    "service.txt": PYPROJECT["dependencies"],
    "test.txt": PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"],
    "editor.txt": PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["editor"],
}


@pytest.mark.parametrize("lock", LOCKS)
def test_a_lock_satisfies_every_range_in_pyproject(lock):
    pinned = pins(lock)
    for line in LOCKS[lock]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements/{lock}: run bash requirements/lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{requirement.name}=={pinned[name]} in requirements/{lock} is outside {requirement.specifier}:"
            " run bash requirements/lock"
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_carries_its_hashes(lock):
    entries = hashed_pins(lock)
    assert len(entries) == len(pins(lock))
    assert all("--hash=sha256:" in entry for entry in entries)


@pytest.mark.parametrize("lock", ["service.txt", "editor.txt"])
def test_the_service_and_the_editors_run_the_versions_the_tests_ran(lock):
    used, tested = pins(lock), pins("test.txt")
    assert {name: tested.get(name) for name in used} == used
