"""SQLAlchemy models: what the secretariat keeps.

Text is stored in NFC (the services normalise on the way in). Dates are plain
``Date`` columns; points are ``Float`` rounded by the domain rules when shown.
Every table has a surrogate integer key; natural keys are unique constraints.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from cchc_desktop.store import search_columns

# A naming convention makes constraint names stable across SQLite and PostgreSQL,
# which Alembic's batch mode needs to alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Sort keys are ASCII compared byte by byte: PostgreSQL's "C" collation, SQLite's default.
SortKey = Text().with_variant(Text(collation="C"), "postgresql")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


UNIT_KINDS = ("division", "subordinate", "district", "external")
PLAN_KINDS = ("reform", "propaganda", "inspection", "index_improvement", "other")
USER_ROLES = ("admin", "unit", "viewer")


class Unit(Base):
    """A unit: a division of the Sở, a subordinate unit, a district office or an outside body."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    # The name's Vietnamese sort key (store/search_columns.py fills it).
    name_sort: Mapped[str] = mapped_column(SortKey, default="", index=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="division")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    __table_args__ = (
        CheckConstraint(
            "kind IN ('division', 'subordinate', 'district', 'external')", name="kind"
        ),
    )


class UnitAlias(Base):
    """Another name a unit is written with in plans: an abbreviation, an old name, a short form
    ("Phòng KHTC", "KH-TC"). Unique ignoring case and Unicode form (checked by the service)."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300), unique=True)


class Document(Base):
    """An official document (văn bản): số ký hiệu, type, date, issuing body, trích yếu."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(100))
    doc_type: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    issuer: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    is_directing: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("symbol", "issuer", name="symbol_issuer"),)
    __mapper_args__ = {"version_id_col": version}


class Plan(Base):
    """A plan document (kế hoạch) of a year, owning an ordered task table."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="reform")
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    intro: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", order_by="Task.position", passive_deletes=True
    )
    groups: Mapped[list[PlanGroup]] = relationship(
        back_populates="plan", order_by="PlanGroup.position", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class PlanGroup(Base):
    """A group of a plan's task table as the plan writes it: its numbering ("I", "VI", "1"),
    its title and its place. ``area`` is the CCHC area (1..8) it belongs to, a separate
    attribute; None means it belongs to no area (propaganda contents and forms)."""

    __tablename__ = "plan_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="groups")


task_supporting_units = Table(
    "task_supporting_units",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True),
    # The order the plan wrote the supporting units in.
    Column("position", Integer, nullable=False, default=0, server_default="0"),
)


class Task(Base):
    """A task (nhiệm vụ): a row of a plan's appendix or a task assigned by a higher level."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    assigned_by: Mapped[str | None] = mapped_column(String(200))
    assigned_on: Mapped[date | None] = mapped_column(Date)
    # Indexed by ix_tasks_year_due_completed, which also covers a year's status summary.
    year: Mapped[int] = mapped_column(Integer)
    area: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_groups.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text)
    content_key: Mapped[str] = mapped_column(Text, default="")
    # Derived by store/search_columns.py: the folded text search looks in, the sort key.
    search_text: Mapped[str] = mapped_column(Text, default="")
    content_sort: Mapped[str] = mapped_column(SortKey, default="")
    timing_sort: Mapped[str] = mapped_column(SortKey, default="")
    assigned_by_sort: Mapped[str] = mapped_column(SortKey, default="")
    output: Mapped[str] = mapped_column(Text, default="")
    timing_text: Mapped[str] = mapped_column(Text, default="")
    # Indexed by ix_tasks_due_completed (due_date, completed_on), which covers the overdue query.
    due_date: Mapped[date | None] = mapped_column(Date)
    lead_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    completion_note: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[Plan | None] = relationship(back_populates="tasks")
    document: Mapped[Document | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    supporting_units: Mapped[list[Unit]] = relationship(
        secondary=task_supporting_units,
        order_by=[task_supporting_units.c.position, Unit.position],
    )
    group: Mapped[PlanGroup | None] = relationship()
    progress_updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="task", order_by="ProgressUpdate.on_date", cascade="all, delete-orphan"
    )
    extensions: Mapped[list[DeadlineExtension]] = relationship(
        back_populates="task", order_by="DeadlineExtension.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_tasks_due_completed", "due_date", "completed_on"),
        Index("ix_tasks_content_sort", "content_sort", "id"),
        Index("ix_tasks_year_due_completed", "year", "due_date", "completed_on"),
        Index("ix_tasks_content_key", "content_key"),  # an import's matching (0011)
        Index("ix_tasks_plan_position", "plan_id", "position"),  # numbering new tasks
    )
    __mapper_args__ = {"version_id_col": version}


class ProgressUpdate(Base):
    """A dated note on a task's progress."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    # Who reported it: "" when typed in the application, a unit's name for a returned sheet.
    source: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    task: Mapped[Task] = relationship(back_populates="progress_updates")


class DeadlineExtension(Base):
    """A deadline extension (gia hạn): the old and new due dates and why."""

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    old_due_date: Mapped[date | None] = mapped_column(Date)
    new_due_date: Mapped[date] = mapped_column(Date)
    granted_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    task: Mapped[Task] = relationship(back_populates="extensions")


EXTENSION_STATUSES = ("pending", "approved", "rejected")


class ExtensionRequest(Base):
    """A request to extend a task's deadline (đề nghị gia hạn), waiting for a decision.

    Approving it records a :class:`DeadlineExtension` (``extension_id``) and moves the due
    date; rejecting it keeps the reason in ``decision_note``. See services/extensions.py.
    """

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    requested_due: Mapped[date] = mapped_column(Date)
    old_due_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    requested_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(String(300), default="")
    extension_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadline_extensions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    task: Mapped[Task] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
    )


class Evidence(Base):
    """An evidence file (tài liệu kiểm chứng), stored once by its SHA-256."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")


class EvidenceLink(Base):
    """Links one evidence file to exactly one task, criterion or document."""

    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    evidence: Mapped[Evidence] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN task_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN criterion_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN document_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )


class EvidenceBlob(Base):
    """The bytes of an evidence file, for a shared PostgreSQL database (see services/evidence/)."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceTrash(Base):
    """A deleted evidence file kept restorable (thùng rác); see services/evidence/.

    Holds the deleted ``evidence`` row's values and its links as JSON text
    (``[{"kind": "task", "target_id": 7, "label": "..."}]``); the bytes stay in the
    blob store until the row is purged. No foreign keys: the file's targets may go.
    """

    __tablename__ = "evidence_trash"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="[]")
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    deleted_by: Mapped[str] = mapped_column(String(100), default="")


class ScoringFramework(Base):
    """The criteria set of one year (Chỉ số CCHC of the province's departments)."""

    __tablename__ = "scoring_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    is_template: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="framework", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(Base):
    """A node of the criteria tree: area, criterion or sub-criterion, with its max points."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("scoring_frameworks.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    max_points: Mapped[float] = mapped_column(Float, default=0.0)
    kind: Mapped[str] = mapped_column(String(20), default="normal")
    guidance: Mapped[str] = mapped_column(Text, default="")
    evidence_hint: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    framework: Mapped[ScoringFramework] = relationship(back_populates="criteria")
    score: Mapped[Score | None] = relationship(
        back_populates="criterion", uselist=False, cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("framework_id", "code", name="framework_code"),)


class Score(Base):
    """Scores of one leaf criterion: self score, two appraisal rounds, explanations."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), unique=True
    )
    self_score: Mapped[float | None] = mapped_column(Float)
    self_note: Mapped[str] = mapped_column(Text, default="")
    appraised_1: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    appraised_2: Mapped[float | None] = mapped_column(Float)
    council_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    criterion: Mapped[Criterion] = relationship(back_populates="score")

    __mapper_args__ = {"version_id_col": version}


class IndexResult(Base):
    """A published index result: PAR INDEX, SIPAS, PAPI or PCI of a year."""

    __tablename__ = "index_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    index_name: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    out_of: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("index_name", "year", name="index_year"),)


class ProcedureStats(Base):
    """Administrative-procedure (TTHC) figures for a span of dates."""

    __tablename__ = "procedure_stats"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    procedures_total: Mapped[int] = mapped_column(Integer, default=0)
    procedures_published: Mapped[int] = mapped_column(Integer, default=0)
    procedures_online: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    resolved_on_time: Mapped[int] = mapped_column(Integer, default=0)
    resolved_late: Mapped[int] = mapped_column(Integer, default=0)
    in_progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class ReportNarrative(Base):
    """The user's own paragraphs for one section of one periodic report."""

    __tablename__ = "report_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_code: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    __table_args__ = (UniqueConstraint("period_code", "section", name="period_section"),)


class Setting(Base):
    """A key and a JSON value: the agency profile and other preferences kept in the database."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    """A person who signs in (server mode, or a PC with log-in switched on)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    # Wrong passwords in a row, and until when the account is locked (services/users.py).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One field change (or a create/delete) by one user: append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=_now, server_default=func.now())
    username: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # The hash chain (store/audit_chain.py): the previous row's hash and this row's.
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


# The derived search and sort columns are filled on every ORM write: registered here, so
# that no session can write a task or a unit without them.
for _event in ("before_insert", "before_update"):
    event.listen(Task, _event, search_columns.fill_task)
    event.listen(Unit, _event, search_columns.fill_unit)
