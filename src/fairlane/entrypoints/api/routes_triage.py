"""The triage routes: a ticket's signals and models, and the human review queue (T6, T9)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from fairlane.entrypoints.api.deps import AppDep, caller_with
from fairlane.entrypoints.api.problems import PROBLEM_RESPONSES
from fairlane.services.keys import Permission
from fairlane.services.ports import ApiKeyRow
from fairlane.services.reviews import accept_review, correct_review, list_reviews, review_stats
from fairlane.services.tickets import triage_report

__all__ = ["router"]

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
TicketId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
ReviewId = Annotated[int, Path(ge=1, le=2**62)]


class ReviewOut(BaseModel):
    id: int
    ticket_id: str
    field: str = Field(description="'priority' or 'intent'")
    suggested: str = Field(description="The model's answer")
    confidence: float = Field(description="Its calibrated confidence, under the threshold")
    applied: str | None = Field(description="What was in force while the review waited")
    model_id: str
    reasons: list[str]
    status: str = Field(description="pending, accepted or corrected")
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    final: str | None = Field(description="The value applied by the review")
    note: str | None
    policy_ref: str


class ReviewDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(None, max_length=2000, description="Why, for the audit trail")


class ReviewCorrectionIn(ReviewDecisionIn):
    value: str = Field(
        min_length=1, max_length=64, description="The right value: P1-P4, or an intent label"
    )


@router.get(
    "/tickets/{ticket_id}/triage",
    tags=["triage"],
    summary="Every signal and model output behind a ticket's triage, and its reviews",
)
def get_ticket_triage(
    app: AppDep,
    ticket_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
) -> dict[str, Any]:
    return triage_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)


@router.get(
    "/reviews",
    response_model=list[ReviewOut],
    tags=["triage"],
    summary="The triage review queue: priority suggestions first (P1 first), then oldest",
)
def get_reviews(
    app: AppDep,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
    status: Annotated[str | None, Query(description="pending (default), accepted, corrected")] = (
        "pending"
    ),
    ticket_id: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return list_reviews(uow=app.uow, status=status, ticket_id=ticket_id, limit=limit)


@router.get("/reviews/stats", tags=["triage"], summary="Review counts and the override rate (T9)")
def get_review_stats(
    app: AppDep,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
    since: Annotated[AwareDatetime | None, Query(description="Reviews created from")] = None,
    until: Annotated[AwareDatetime | None, Query(description="... up to (excluded)")] = None,
) -> dict[str, Any]:
    return review_stats(uow=app.uow, since=since, until=until).as_dict()


@router.post(
    "/reviews/{review_id}/accept",
    response_model=ReviewOut,
    tags=["triage"],
    summary="Apply the model's suggestion",
)
def post_accept(
    app: AppDep,
    review_id: ReviewId,
    body: ReviewDecisionIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.REVIEW_TRIAGE))],
) -> dict[str, Any]:
    return accept_review(
        review_id,
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor=f"key:{caller.name}",
        note=body.note,
    )


@router.post(
    "/reviews/{review_id}/correct",
    response_model=ReviewOut,
    tags=["triage"],
    summary="Apply the right value instead of the suggestion (a human override, audited)",
)
def post_correct(
    app: AppDep,
    review_id: ReviewId,
    body: ReviewCorrectionIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.REVIEW_TRIAGE))],
) -> dict[str, Any]:
    return correct_review(
        review_id,
        body.value,
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor=f"key:{caller.name}",
        note=body.note,
    )
