"""The rules as they were before the latest release, for a seed that a rescreen really changes.

The seeded screenings should be what the clinic's database held just before rules 2026.2:
results of the 2026.1 rules. Those rules are in git history (`OLD_RULES_COMMIT`, the parent
of "Rules 2026.2"), so no copy of them lives in the repository: `load()` extracts
`intake/screening/` of that commit with `git archive` into bench/.work/ (git-ignored) and
imports it under its own package name, beside the current `intake.screening`. The package
is pure Python with relative imports only, so it runs unchanged under another name.

Without git history (a tarball, a shallow clone) it says so and returns None; the seed then
falls back to the current rules, labelled as the previous version (see seed.py).
"""

import importlib.util
import io
import shutil
import subprocess
import sys
import tarfile

from bench import environment

OLD_RULES_COMMIT = "6473de3"  # parent of 9152134 "Rules 2026.2": intake/screening at 2026.1
PACKAGE = "bench_rules_2026_1"
EXPECTED_VERSION = "2026.1"


def load():
    """The 2026.1 screening package (with `screen` and `RULES_VERSION`), or None and why."""
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE], None
    target = environment.WORK_DIR / "old_rules" / PACKAGE
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", OLD_RULES_COMMIT, "intake/screening"],
            cwd=environment.ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"git history unavailable ({type(error).__name__}: {_stderr(error)})"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            prefix = "intake/screening/"
            if member.isfile() and member.name.startswith(prefix) and member.name.endswith(".py"):
                name = member.name.removeprefix(prefix)
                if "/" not in name:
                    (target / name).write_bytes(tar.extractfile(member).read())
    spec = importlib.util.spec_from_file_location(
        PACKAGE, target / "__init__.py", submodule_search_locations=[str(target)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
    if module.RULES_VERSION != EXPECTED_VERSION:
        del sys.modules[PACKAGE]
        return None, f"{OLD_RULES_COMMIT} holds rules {module.RULES_VERSION}, not 2026.1"
    return module, None


def _stderr(error):
    lines = (getattr(error, "stderr", None) or b"").decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else str(error)
