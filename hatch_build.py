"""Build hook: compile the extraction modules with mypyc.

Configured in ``[tool.hatch.build.targets.wheel.hooks.custom]`` of ``pyproject.toml``.

``kg extract`` spends its time in pure-Python rule code (recognisers, clause
analysis, resolution, facts, the text layer, the JSONL writer).  mypyc compiles
those typed modules to C extension modules, as black and mypy ship themselves:
the same source, the same outputs (the test suite runs on the compiled modules
in CI), about 1.8 times the speed.

Which modules: ``include``/``exclude`` globs of the hook's table in
``pyproject.toml``.  What the environment variable ``KG_NATIVE`` selects:

``auto`` (default)
    compile; if the compiler is missing or fails, warn and install pure Python.
``require``
    compile, and fail the install if that is not possible.
``off``
    pure Python (for development: a compiled module shadows its ``.py``, so an
    edited source needs a reinstall; ``KG_NATIVE=off pip install -e .`` avoids it).

A wheel carries the compiled modules beside their sources.  An editable install
puts them into the source tree (that is where an editable install imports from)
and removes those of an earlier install first.  Either way ``kg/_native.json``
records what was compiled from which source (SHA-256), which ``kg.native``
checks: stale compiled modules are reported, never silently used by the tests.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

STATUS = "kg/_native.json"
GROUP = "kg_native"  # the shared library every compiled module loads: kg_native__mypyc.*.so
MYPY_FLAGS = [
    "--python-version",
    f"{sys.version_info.major}.{sys.version_info.minor}",
    "--ignore-missing-imports",  # the build environment has no runtime dependencies: Any
    "--check-untyped-defs",
    "--no-implicit-optional",
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class NativeBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def _mode(self) -> str:
        mode = os.environ.get("KG_NATIVE", "auto").strip().lower() or "auto"
        if mode not in {"auto", "require", "off"}:
            raise ValueError(f"KG_NATIVE={mode!r}: expected auto, require or off")
        return mode

    def _sources(self) -> list[str]:
        include = list(self.config.get("include", []))
        exclude = list(self.config.get("exclude", []))
        root = Path(self.root)
        out = []
        for path in sorted((root / "kg").rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(rel, p) for p in include) and not any(
                fnmatch.fnmatch(rel, p) for p in exclude
            ):
                out.append(rel)
        return out

    def _clean_tree(self) -> None:
        """Remove the compiled modules and status an earlier editable install left."""
        root = Path(self.root)
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        for path in [*(root / "kg").rglob(f"*{suffix}"), *root.glob(f"{GROUP}__mypyc*{suffix}")]:
            path.unlink()
        (root / STATUS).unlink(missing_ok=True)

    def _compile(self, sources: list[str], work: Path) -> list[str]:
        """Compile ``sources`` in a copy of the package under ``work``; the extension files
        (relative paths) are left under ``work / "lib"``."""
        stage = work / "stage"
        shutil.copytree(
            Path(self.root) / "kg",
            stage / "kg",
            ignore=shutil.ignore_patterns("*.so", "__pycache__"),
        )
        (stage / "empty.ini").write_text("[mypy]\n", encoding="utf-8")
        lib, temp, c_dir = work / "lib", work / "temp", work / "c"
        jobs = str(max(1, min(4, os.cpu_count() or 1)))
        args = {
            "script_args": [
                *("build_ext", "--build-lib", str(lib), "--build-temp", str(temp), "-j", jobs)
            ],
            "paths": ["--config-file", "empty.ini", *MYPY_FLAGS, *sources],
            "options": {"opt_level": "3", "multi_file": True, "group_name": GROUP},
            "target_dir": str(c_dir),
        }
        (stage / "args.json").write_text(json.dumps(args), encoding="utf-8")
        script = (
            "import json\n"
            "from setuptools import setup\n"
            "from mypyc.build import mypycify\n"
            "a = json.load(open('args.json', encoding='utf-8'))\n"
            "setup(name='kg-native', packages=[], py_modules=[], script_args=a['script_args'],\n"
            "      ext_modules=mypycify(a['paths'], target_dir=a['target_dir'], **a['options']))\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", script],
            cwd=stage,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join(line for line in proc.stdout.splitlines() if "warning:" not in line)[
                -4000:
            ]
            raise RuntimeError(f"mypyc failed (exit {proc.returncode}):\n{tail}")
        return sorted(p.relative_to(lib).as_posix() for p in lib.rglob("*") if p.is_file())

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        mode = self._mode()
        editable = version == "editable"
        if editable:
            self._clean_tree()
        root = Path(self.root)
        if mode == "off":
            self.app.display_info("union-kg: KG_NATIVE=off, pure Python")
            return
        sources = self._sources()
        self._work = Path(tempfile.mkdtemp(prefix="kg-native-"))
        try:
            built = self._compile(sources, self._work)
        except Exception as exc:  # (a missing compiler, mypy or setuptools, a mypyc error)
            if mode == "require":
                raise
            self.app.display_warning(
                f"union-kg: compiling with mypyc failed, installing pure Python (slower): {exc}"
            )
            return
        status = {
            "compiled": built,
            "sources": {s: _sha256(root / s) for s in sources},
            "python": sysconfig.get_config_var("EXT_SUFFIX"),
        }
        status_file = self._work / "_native.json"
        status_file.write_text(
            json.dumps(status, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        if editable:  # the editable install imports from the source tree
            for rel in built:
                shutil.copy2(self._work / "lib" / rel, root / rel)
            shutil.copy2(status_file, root / STATUS)
        else:
            for rel in built:
                build_data["force_include"][str(self._work / "lib" / rel)] = rel
            build_data["force_include"][str(status_file)] = STATUS
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        self.app.display_info(f"union-kg: compiled {len(sources)} modules with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
