"""The plain, already-translated data a plan PDF is rendered from."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass
class DimensionFinding:
    number: int
    name: str
    audit_score: float | None
    expert_score: int | None
    target: int | None
    rationale: str


@dataclass
class ActionLine:
    dimension: str
    policy: str
    title: str
    description: str
    horizon: str
    horizon_order: int
    owner: str
    due_date: date
    cost: str
    kpi: str
    status: str


@dataclass
class SessionLine:
    number: int
    held_on: date
    mode: str
    topics: str
    summary: str
    recommendations: str


@dataclass
class PlanDocument:
    language: str  # "en" or "zh-hans"
    programme: str
    cohort: str
    company_name: str
    company_local_name: str
    profile: list[tuple[str, str]]  # label/value pairs (area, size, region, founded, employees …)
    version: int
    generated_at: datetime
    assessment_date: date
    executive_summary: str
    swot: dict[str, str]  # keys strengths/weaknesses/opportunities/threats
    readiness_percent: float | None
    dimensions: list[DimensionFinding]
    actions: list[ActionLine]
    sessions: list[SessionLine]
    follow_up_dates: list[date]
    expert_names: list[str]
    signed_by: str = ""
    signed_at: datetime | None = None
