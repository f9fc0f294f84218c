"""Rules of the house that a reviewer would otherwise have to remember (docs/architecture.md §3)."""

from __future__ import annotations

import re
from pathlib import Path

import grimp
import pytest

from app.domain import transitions, vocabulary

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("app", "gis") for p in (ROOT / d).rglob("*.py") if "node_modules" not in p.parts]
VALUES = {v for name, t in vars(vocabulary).items() if name.isupper() and isinstance(t, tuple) for v in t}
VALUES -= {v for v in VALUES if not isinstance(v, str)}
# Date precisions are also SQL's own date parts (`date_trunc('month', …)`): SQL, not vocabulary.
VALUES -= {"day", "month", "year"}


def _cycle(edges: set[tuple[str, str]]) -> list[str]:
    """One import cycle among the packages of `edges` (a path back to its start), or []."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    for start in sorted(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*path, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    return []


@pytest.mark.parametrize("depth", [2, 3])
def test_no_package_imports_itself_in_a_circle(depth: int) -> None:
    # At depth 2 the packages of app and gis (app.services, gis.demo); at depth 3 their rooms
    # (app.services.registry, app.reporting.render). A chain of any length counts.
    graph = grimp.build_graph("app", "gis")

    def package(module: str) -> str:
        return ".".join(module.split(".")[:depth])

    edges = {
        (package(m), package(i))
        for m in graph.modules
        for i in graph.find_modules_directly_imported_by(m)
        if package(m) != package(i) and package(m).count(".") == package(i).count(".") == depth - 1
    }
    assert _cycle(edges) == []


def test_the_cycle_finder_finds_long_chains() -> None:
    assert _cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]
    assert _cycle({("a", "b"), ("b", "c")}) == []


def test_the_demo_contract_names_every_production_module_of_gis() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    demo = next(c for c in contracts if c.get("forbidden_modules") == ["app.demo", "gis.demo"])
    production = {f"gis.{p.stem}" for p in (ROOT / "gis").glob("*.py") if p.stem != "__init__"}
    assert production <= set(demo["source_modules"])


def test_sql_never_spells_a_vocabulary_value() -> None:
    # SQL binds vocabulary values (`:v_SHA`, `= ANY(:live_statuses)`); Python code uses double quotes,
    # so a single-quoted value in app/ or gis/ is a value spelled inside SQL text.
    spelled = re.compile("'(" + "|".join(re.escape(v) for v in sorted(VALUES, key=len, reverse=True)) + ")'")
    # ... nor a value interpolated into SQL as a quoted literal ('{cls}'); the dashboard's
    # f-strings of JavaScript quote colours that way, and hold no SQL.
    interpolated = re.compile(r"'\{\w+\}'")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in SOURCES + list((ROOT / "app").rglob("*.sql"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "node_modules" not in path.parts
        and (spelled.search(line) or (interpolated.search(line) and "app/dashboard" not in str(path)))
    ]
    assert found == []


def test_no_formatter_escape_hatches_in_production_code() -> None:
    found = [str(p.relative_to(ROOT)) for p in SOURCES if "# fmt: skip" in p.read_text()]
    assert found == []


@pytest.mark.parametrize("folder", ["app", "gis", "tests", "bench", "alembic", "scripts"])
def test_comments_point_inside_the_repository(folder: str) -> None:
    # The briefs this project started from lie outside the repository under the names matched
    # here; the repository's own documents have other names, so any mention of these dangles.
    outside = re.compile(r"\b(domain|design)\.md")
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in {".py", ".sh", ".js", ".css", ".sql"} and "node_modules" not in p.parts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []
    for cited in {m for p in (ROOT / folder).rglob("*.py") for m in re.findall(r"docs/([\w-]+\.md)", p.read_text())}:
        assert (ROOT / "docs" / cited).is_file(), cited
    cited_anywhere = {m for p in (ROOT / "app").rglob("*.py") for m in re.findall(r"docs/([\w-]+\.md)", p.read_text())}
    # Every document of docs/ is one the code points to (none left behind, none cited that is missing).
    assert cited_anywhere == {p.name for p in (ROOT / "docs").glob("*.md")}


def test_lifecycles_use_only_the_vocabulary() -> None:
    for flow, states in (
        (transitions.AREA_FLOW, vocabulary.AREA_STATUSES),
        (transitions.TASK_FLOW, vocabulary.TASK_STATUSES),
        (transitions.ACTIVITY_FLOW, vocabulary.ACTIVITY_STATUSES),
    ):
        assert set(flow) == set(states)
        assert {s for targets in flow.values() for s in targets} <= set(states)
    assert set(vocabulary.ACTIVE_TASK_STATUSES) <= set(vocabulary.TASK_STATUSES)
    assert set(vocabulary.LIVE_AREA_STATUSES) <= set(vocabulary.AREA_STATUSES)


def test_the_demo_generator_keeps_the_domains_active_task_statuses() -> None:
    from gis.demo import work

    assert work.ACTIVE_TASK_STATUSES == vocabulary.ACTIVE_TASK_STATUSES


def test_derived_sets_hold_only_vocabulary_values() -> None:
    assert set(vocabulary.RELEASE_KIND_OF_ACTIVITY) == set(vocabulary.ACTIVITY_TYPES) - {"eod_spot_task"}
    assert set(vocabulary.WORKING_ACTIVITY_STATUSES) <= set(vocabulary.ACTIVITY_STATUSES)
    assert set(vocabulary.WORK_STARTED_TASK_STATUSES) <= set(vocabulary.TASK_STATUSES)
    assert set(vocabulary.CHILD_AGE_BANDS) <= set(vocabulary.AGE_BANDS)
    assert [b.label for b in vocabulary.RANK_BANDS][-1] == "below 250"
    assert vocabulary.RANK_BAND_LIMITS == (10, 50, 250)
