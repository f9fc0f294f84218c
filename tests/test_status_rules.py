"""Status lifecycles as explicit state machines (docs/mine-action.md §4.3): pure rules, no database."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import IllegalTransition
from app.domain.transitions import (
    AreaState,
    allowed_area_statuses,
    allowed_task_statuses,
    check_area_status,
    check_classification,
    check_task_status,
)

OPEN_WITH_LAND = AreaState(status="open", remaining_m2=250_000.0, information_date=date(2025, 5, 1))
CLOSED = AreaState(status="closed", remaining_m2=0.0, information_date=date(2025, 6, 1))


def test_open_area_with_land_remaining_may_only_be_worked_on() -> None:
    assert allowed_area_statuses(OPEN_WITH_LAND) == ["worked_on"]


def test_closing_with_land_remaining_is_refused_naming_state_and_allowed() -> None:
    with pytest.raises(IllegalTransition) as caught:
        check_area_status(OPEN_WITH_LAND, "closed", on=date(2025, 6, 1))
    error = caught.value
    assert error.current == "open" and error.allowed == ["worked_on"]
    assert "250000 m² remaining" in str(error)


def test_exhausted_area_may_close() -> None:
    exhausted = AreaState(status="worked_on", remaining_m2=0.4, information_date=None)
    assert "closed" in allowed_area_statuses(exhausted)
    check_area_status(exhausted, "closed", on=date(2025, 6, 1))


def test_handover_needs_closure_and_a_certificate() -> None:
    with pytest.raises(IllegalTransition, match="handed_over"):
        check_area_status(OPEN_WITH_LAND, "handed_over", on=date(2025, 7, 1), certificate_ref="HC-1")
    with pytest.raises(IllegalTransition, match="certificate"):
        check_area_status(CLOSED, "handed_over", on=date(2025, 7, 1))
    check_area_status(CLOSED, "handed_over", on=date(2025, 7, 1), certificate_ref="HC-2025-014")


def test_reopening_needs_a_reason() -> None:
    assert allowed_area_statuses(CLOSED) == ["handed_over", "open"]
    with pytest.raises(IllegalTransition, match="reason"):
        check_area_status(CLOSED, "open", on=date(2025, 8, 1))
    check_area_status(CLOSED, "open", on=date(2025, 8, 1), reason="AP mine found by a farmer")
    handed_over = AreaState(status="handed_over", remaining_m2=0.0, information_date=date(2025, 7, 1))
    assert allowed_area_statuses(handed_over) == ["open"]


def test_stepping_back_from_worked_on_needs_a_reason() -> None:
    worked_on = AreaState(status="worked_on", remaining_m2=10.0, information_date=None)
    with pytest.raises(IllegalTransition, match="reason"):
        check_area_status(worked_on, "open", on=date(2025, 1, 1))
    check_area_status(worked_on, "open", on=date(2025, 1, 1), reason="team withdrawn: shelling")


def test_status_change_dated_before_the_latest_information_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="dated 2025-04-30, before the latest information"):
        check_area_status(OPEN_WITH_LAND, "worked_on", on=date(2025, 4, 30))


def test_same_status_is_not_a_transition() -> None:
    with pytest.raises(IllegalTransition, match="already open"):
        check_area_status(OPEN_WITH_LAND, "open", on=date(2025, 6, 1), reason="x")


def test_sha_becomes_cha_only_on_direct_evidence() -> None:
    with pytest.raises(IllegalTransition, match="direct evidence"):
        check_classification("SHA", "CHA", has_direct_evidence=False, reason=None)
    check_classification("SHA", "CHA", has_direct_evidence=True, reason=None)


def test_cha_goes_back_to_sha_only_with_a_reason() -> None:
    with pytest.raises(IllegalTransition, match="reason"):
        check_classification("CHA", "SHA", has_direct_evidence=True, reason=None)
    check_classification("CHA", "SHA", has_direct_evidence=True, reason="evidence proved to be scrap metal")


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        ("draft", ["assigned"]),
        ("assigned", ["in_progress", "draft"]),
        ("in_progress", ["suspended", "completed"]),
        ("suspended", ["in_progress"]),
        ("completed", ["qa_passed", "qa_failed"]),
        ("qa_failed", ["in_progress"]),
        ("qa_passed", []),
    ],
)
def test_task_lifecycle(current: str, allowed: list[str]) -> None:
    assert allowed_task_statuses(current) == allowed
    for target in ("draft", "assigned", "in_progress", "suspended", "completed", "qa_passed", "qa_failed"):
        if target in allowed:
            check_task_status(current, target)
        else:
            with pytest.raises(IllegalTransition):
                check_task_status(current, target)


def test_activity_lifecycle() -> None:
    from app.domain.transitions import check_activity_status

    check_activity_status("planned", "ongoing")
    check_activity_status("ongoing", "completed")
    with pytest.raises(IllegalTransition, match="activity is completed: it cannot become ongoing; allowed now: none"):
        check_activity_status("completed", "ongoing")
    with pytest.raises(IllegalTransition, match="allowed now: ongoing, cancelled"):
        check_activity_status("planned", "completed")
