"""Headless Chromium for the browser tests: Debian's package, installed here when missing,
driven by Playwright (its Python package; no browser download)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


NEEDED = {"chromium": "/usr/bin/chromium",                                  # the browser
          "fonts-wqy-zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"}  # CJK glyphs in screenshots


def debian_files(needed: dict[str, str]) -> None:
    """Install the Debian packages of *needed* (package → a file it provides) that are missing."""
    missing = [package for package, path in needed.items() if not os.path.exists(path)]
    if missing:
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.fail(f"missing {missing}; install them from Debian's packages (apt-get install {' '.join(missing)})")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                pytest.fail(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")


def chromium_path() -> str:
    """/usr/bin/chromium, with a CJK font, installed from Debian's packages the first time."""
    debian_files(NEEDED)
    return NEEDED["chromium"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=FLAGS)
