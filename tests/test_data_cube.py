"""The published graph as a W3C Data Cube: the Recommendation's integrity constraints IC-1 … IC-21
(tests/fixtures/data-cube/, written from its text) hold on the samples' graphs and a real final
account's, after its normalization algorithm, and none of them holds for want of anything to check."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.extract.columns import structure_iri
from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_file
from budgetkg.extract.template import kinds
from budgetkg.audit.validate import reference_graph
from conftest import SAMPLES, SAMPLE_NAMES, extracted

CUBE = Path(__file__).resolve().parent / "fixtures" / "data-cube"
REAL = Path(__file__).resolve().parent / "fixtures" / "real"
PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
"""
CONSTRAINTS = tomllib.loads((CUBE / "integrity-constraints.toml").read_text(encoding="utf-8"))["ic"]


def _normalized(*graphs) -> ox.Store:
    store = ox.Store()
    for g in graphs:
        store.load(g.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    store.update((CUBE / "normalize.ru").read_text(encoding="utf-8"))
    return store


def _rows(store: ox.Store, query: str) -> list:
    return [tuple("None" if v is None else v.value for v in row) for row in store.query(PREFIXES + query)]


@pytest.fixture(scope="module")
def cube():
    """The three samples (budgets) and a real final account, with the ontology and column graphs."""
    graphs = [extracted(SAMPLES / f"{name}.txt")[1] for name in SAMPLE_NAMES]
    graphs.append(to_graph(extract_file(REAL / "putuo_czj_2024_final.pdf")))
    return _normalized(reference_graph(), *graphs)


def test_the_constraints_file_has_all_twenty_one():
    assert [c["id"] for c in CONSTRAINTS] == list(range(1, 22))
    assert all(c["title"] and c["violations"] and c["premise"] for c in CONSTRAINTS)


def _parent_child_properties(store, c) -> list[str]:
    """IC-20/21 are checked once per parent-child property the graph's hierarchies use."""
    return [row[-1] for row in _rows(store, c["premise"].replace("SELECT ?list", "SELECT DISTINCT ?list ?p")
                                     .replace("LIMIT 1", ""))]


@pytest.mark.parametrize("c", CONSTRAINTS, ids=lambda c: f"IC-{c['id']}")
def test_integrity_constraint_holds_and_is_not_vacuous(cube, c):
    premise = _rows(cube, c["premise"])
    assert premise, f"IC-{c['id']} ({c['title']}) has nothing to check"
    queries = [c["violations"]]
    if "<PCP>" in c["violations"]:
        queries = [c["violations"].replace("PCP", p) for p in _parent_child_properties(cube, c)]
    for q in queries:
        broken = _rows(cube, q)
        assert broken == [], f"IC-{c['id']} ({c['title']}): {broken[:5]}"


def test_every_table_kind_has_its_structure_and_every_table_one():
    """One structure per kind of kinds.toml (a new kind brings its own), each table under its kind's."""
    ref = _normalized(reference_graph())
    structures = {row[0] for row in _rows(ref, "SELECT ?dsd WHERE { ?dsd a qb:DataStructureDefinition }")}
    budget_kinds = [k for k in kinds().values() if k.is_budget_table]
    assert {str(structure_iri(k.id)) for k in budget_kinds} <= structures
    assert len(structures) == len(budget_kinds) + 2          # and one for a table not read, one for vehicles
    g = extracted(SAMPLES / f"{SAMPLE_NAMES[0]}.txt")[1]
    store = _normalized(reference_graph(), g)
    tables = _rows(store, """SELECT ?t ?dsd ?kind WHERE { ?t a bkg:BudgetTable ; qb:structure ?dsd .
        OPTIONAL { ?t bkg:tableKind ?kind } }""")
    assert len(tables) >= 11
    for table, dsd, kind in tables:
        assert dsd == str(structure_iri(kind.rsplit("/", 1)[-1] if kind != "None" else "?")), table


def test_the_unit_and_the_phase_are_stated_for_every_observation(cube):
    """After normalization every table cell carries 万元 (unit and multiplier 10⁴), and every
    observation (a cell, a vehicle holding) its phase, budget or final, from its data set."""
    counts = dict(_rows(cube, """SELECT ?phase (COUNT(?obs) AS ?n) WHERE {
        ?obs a bkg:BudgetObservation ; bkg:budgetPhase ?phase ;
             <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> bkg:TenThousandYuan ;
             <http://purl.org/linked-data/sdmx/2009/attribute#unitMult> 4 } GROUP BY ?phase"""))
    cells = int(_rows(cube, "SELECT (COUNT(?obs) AS ?n) WHERE { ?obs a bkg:BudgetObservation }")[0][0])
    assert set(counts) == {"https://w3id.org/budgetkg/phase/budget", "https://w3id.org/budgetkg/phase/final"}
    assert sum(int(n) for n in counts.values()) == cells > 1000
    phased, total = (int(_rows(cube, f"SELECT (COUNT(?obs) AS ?n) WHERE {{ ?obs a qb:Observation {more} }}")[0][0])
                     for more in ("; bkg:budgetPhase []", ""))
    assert phased == total > cells


def test_a_broken_cube_is_caught():
    """The checks can fail: an observation left without its column, and one given a second data
    set, break IC-11 and IC-1."""
    g = extracted(SAMPLES / f"{SAMPLE_NAMES[0]}.txt")[1]
    store = _normalized(reference_graph(), g)
    obs = _rows(store, "SELECT ?o WHERE { ?o a bkg:BudgetObservation } ORDER BY ?o LIMIT 2")
    store.update(f"DELETE WHERE {{ <{obs[0][0]}> <https://w3id.org/budgetkg/ontology#column> ?c }} ; "
                 f"INSERT DATA {{ <{obs[1][0]}> <http://purl.org/linked-data/cube#dataSet> <urn:example:other> }}")
    by_id = {c["id"]: c for c in CONSTRAINTS}
    assert _rows(store, by_id[11]["violations"]) and _rows(store, by_id[1]["violations"])



def test_the_measure_and_hierarchy_checks_can_fail():
    """A vehicle holding without its value breaks IC-14, a cell whose measure type names a measure
    it has no value for IC-15, and a department that is no budget body's root nor under one IC-21."""
    g = extracted(SAMPLES / "xinjiang-finance-department-2024.txt")[1]
    store = _normalized(reference_graph(), g)
    holding = _rows(store, "SELECT ?h WHERE { ?h a bkg:VehicleHolding , qb:Observation } LIMIT 1")[0][0]
    cell = _rows(store, "SELECT ?o WHERE { ?o a bkg:BudgetObservation } LIMIT 1")[0][0]
    by_id = {c["id"]: c for c in CONSTRAINTS}
    ic21 = by_id[21]["violations"].replace("PCP", "http://www.w3.org/ns/org#subOrganizationOf")
    assert not any(_rows(store, q) for q in (by_id[14]["violations"], by_id[15]["violations"], ic21))
    store.update(PREFIXES + f"""DELETE WHERE {{ <{holding}> bkg:vehicleValue ?v }} ;
        DELETE WHERE {{ <{cell}> qb:measureType ?m }} ; INSERT DATA {{ <{cell}> qb:measureType bkg:vehicleCount }} ;
        DELETE WHERE {{ ?list qb:hierarchyRoot ?dept }}""")
    assert [r[0] for r in _rows(store, by_id[14]["violations"])] == [holding]
    assert [r[0] for r in _rows(store, by_id[15]["violations"])] == [cell]
    assert _rows(store, ic21)
