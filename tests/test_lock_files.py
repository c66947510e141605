"""The lock files say what the pins say: a pin changed without `make lock` fails here.

requirements*.txt are the files people edit; requirements*.lock (pip-tools, with hashes of
every package, transitive ones too) are what make install and a server install.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path):
    """{name: version} of the `name==version` lines of a requirements file, following -r."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            found[_normal(match[1])] = match[2]
    return found


def locked(path):
    """{name: (version, number of hashes)} of a pip-tools lock file."""
    found, name = {}, None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            name = _normal(match[1])
            found[name] = [match[2], 0]
        elif name and line.strip().startswith("--hash=sha256:"):
            found[name][1] += 1
    return {name: tuple(value) for name, value in found.items()}


@pytest.mark.parametrize(
    "pinned, lock",
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_is_locked_at_its_version_with_hashes(pinned, lock):
    wanted = pins(ROOT / pinned)
    have = locked(ROOT / lock)
    assert wanted, f"no pins read from {pinned}"
    wrong = {
        name: (version, have.get(name, ("missing", 0))[0])
        for name, version in wanted.items()
        if have.get(name, ("missing",))[0] != version
    }
    assert not wrong, f"{lock} is out of date (run make lock): {wrong}"
    unhashed = [name for name, (_, hashes) in have.items() if hashes == 0]
    assert not unhashed, f"{lock} has packages without a hash: {unhashed}"
    assert len(have) > len(wanted), f"{lock} should also pin the packages the pins pull in"
