"""The README's quickstart, run verbatim (only the port is swapped for a free one)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def quickstart_script() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- quickstart:start -->\s*```bash\n(.*?)```\s*<!-- quickstart:end -->",
        readme,
        re.DOTALL,
    )
    assert block is not None, "README.md lost its quickstart markers"
    return block.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.slow
def test_readme_quickstart_runs_verbatim(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    script = quickstart_script().replace("8000", str(free_port()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAIRLANE_")}
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["priority"] == "P1"
    assert answer["lane"] == "vip"
    assert answer["is_new"] is True
    assert "is a valid policy" in result.stdout
