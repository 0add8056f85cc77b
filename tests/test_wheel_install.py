"""The data directories are found from an installed wheel, not only from a checkout."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_ontology_and_queries(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("budgetkg-*.whl"))
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    assert not (target / "extract").exists(), "no top-level module named extract may be installed"
    script = (
        "import budgetkg, budgetkg.resources as r, sys\n"
        "print(r.data_dir('ontology')); print(r.data_dir('queries'))\n"
        "from budgetkg.extract.pipeline import extract_file\n"
        "from budgetkg.store.embedded import memory_store; from budgetkg.store.query import canned_queries\n"
        "d = extract_file(sys.argv[1]); print(d.department, len(canned_queries()))\n")
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-c", script, str(ROOT / "tests/fixtures/samples/"
                                                              "kashgar-city-government-office-2024.txt")],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    onto, queries, last = run.stdout.splitlines()
    assert onto.startswith(str(target)) and queries.startswith(str(target))
    assert last == f"新疆维吾尔自治区喀什地区喀什市人民政府办公室 {len(list((ROOT / 'queries').glob('*.rq')))}"
    own = {p.relative_to(ROOT / "queries") for p in (ROOT / "queries").glob("*/*.r[qu]")}
    assert own and own == {p.relative_to(target / "budgetkg" / "queries")
                           for p in (target / "budgetkg" / "queries").glob("*/*.r[qu]")}
    assert (target / "budgetkg" / "cli" / "storing.py").is_file()
    assert {p.name for p in (target / "budgetkg" / "ontology" / "codes").glob("*.ttl")} >= {
        "function-2024.ttl", "economic-2024.ttl", "columns.ttl"}
