"""The lock file (requirements.lock) pins every dependency of pyproject.toml, with hashes."""

import re
import tomllib

from tests.services import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text):
    return {normalise(name): version for name, version in PIN.findall(text)}


def test_lock_file_pins_every_dependency_of_pyproject_at_its_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = pins("\n".join([*project["dependencies"], *project["optional-dependencies"]["dev"]]))
    locked = pins((ROOT / "requirements.lock").read_text())
    assert {name: locked.get(name) for name in wanted} == wanted


def test_lock_file_gives_every_pin_a_hash():
    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    assert [entry.split()[0] for entry in entries if "--hash=sha256:" not in entry] == []
