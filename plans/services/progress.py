"""Progress reports: an institution's focal point writes one on a measure for a period (a
narrative, the status it gives the measure, the values of the measure's indicators, evidence),
submits it; a validator of the institution validates it; the secretariat accepts it (its status
and values become the measure's) and publishes it. Any of these steps may instead return the
report to its author with a reason. Every step is written down (``ProgressStep``: who, when,
from which state, why).

Progress is the follow-up of an adopted plan: the frozen rule lets it through
(``ensure_not_frozen(recording_progress=True)``) while the plan is adopted, not once closed.

Each report carries a ``version`` (``tracker.locking``): a change or a step taken from a stale
version is refused with ``StaleVersionError`` (409) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import documents, progress_policies
from plans.frozen import ensure_not_frozen
from plans.models import (
    EDITABLE_STATES,
    RETURNABLE_STATES,
    Evidence,
    IndicatorValue,
    Measure,
    MeasureStatus,
    ProgressReport,
    ProgressStep,
    ProgressValue,
    ReportState,
    StepAction,
)
from plans.periods import period_frequency
from tracker.audit import audited
from tracker.exceptions import ConflictError
from tracker.locking import bump, ensure_current
from tracker.models import Institution, User
from tracker.policies import is_secretariat

from ._common import _invalid, _validate
from .consultations import _safe_stem
from .status import recommendation_status_derive

REPORT_FIELDS = ("period", "narrative", "measure_status")


def _evidence_max_bytes() -> int:
    from django.conf import settings

    return int(settings.TRACKER_EVIDENCE_MAX_MB) * 1024 * 1024


def _lock(report: ProgressReport | int) -> ProgressReport:
    pk = report.pk if isinstance(report, ProgressReport) else report
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("measure__plan", "institution")
        .get(pk=pk)
    )


def _clean_values(measure: Measure, values: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The values as rows to write, checked: indicators of the measure, numbers, one value per
    indicator and disaggregation."""
    indicators = set(measure.indicators.values_list("pk", flat=True))
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[tuple[int, str]] = set()
    for position, item in enumerate(values, start=1):
        indicator = item.get("indicator")
        indicator_id = getattr(indicator, "pk", indicator)
        try:
            indicator_id = int(indicator_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors.append(_("Value %(n)d: no indicator.") % {"n": position})
            continue
        if indicator_id not in indicators:
            errors.append(
                _("Value %(n)d: the indicator is not one of the measure's.") % {"n": position}
            )
            continue
        try:
            number = Decimal(str(item.get("value")))
        except (InvalidOperation, ValueError):
            errors.append(_("Value %(n)d: not a number.") % {"n": position})
            continue
        if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
            errors.append(_("Value %(n)d: not a number.") % {"n": position})
            continue
        disaggregation = item.get("disaggregation") or {}
        if not isinstance(disaggregation, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in disaggregation.items()
        ):
            errors.append(
                _("Value %(n)d: the disaggregation maps dimensions to categories.")
                % {"n": position}
            )
            continue
        key = (indicator_id, repr(sorted(disaggregation.items())))
        if key in seen:
            errors.append(_("Value %(n)d: given twice.") % {"n": position})
            continue
        seen.add(key)
        rows.append(
            {
                "indicator_id": indicator_id,
                "value": number,
                "disaggregation": disaggregation,
                "source": str(item.get("source") or "")[:300],
            }
        )
    if errors:
        raise _invalid({"values": errors})
    return rows


def _set_values(report: ProgressReport, rows: list[dict[str, Any]]) -> bool:
    """Make the report's values exactly ``rows``; whether anything changed."""
    current = {
        (v.indicator_id, repr(sorted(v.disaggregation.items()))): v for v in report.values.all()
    }
    wanted = {(r["indicator_id"], repr(sorted(r["disaggregation"].items()))): r for r in rows}
    changed = False
    for key, value in current.items():
        if key not in wanted:
            value.delete()
            changed = True
    for key, row in wanted.items():
        existing = current.get(key)
        if existing is None:
            ProgressValue.objects.create(report=report, **row)
            changed = True
        elif existing.value != row["value"] or existing.source != row["source"]:
            existing.value, existing.source = row["value"], row["source"]
            existing.save(update_fields=["value", "source"])
            changed = True
    return changed


def _check_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name not in REPORT_FIELDS:
            raise _invalid({name: [_("Not a field that can be set here.")]})
        clean[name] = str(value or "").strip()
    if "period" in clean and period_frequency(clean["period"]) is None:
        errors["period"] = [_('A year ("2027"), a quarter ("2027-Q3") or a month ("2027-03").')]
    if clean.get("measure_status") and clean["measure_status"] not in MeasureStatus.values:
        errors["measure_status"] = [_("Not a status of a measure.")]
    if errors:
        raise _invalid(errors)
    return clean


def _step(
    report: ProgressReport, actor: User | None, action: str, from_state: str, reason: str = ""
) -> None:
    ProgressStep.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.state,
        actor=actor,
        reason=reason,
    )


def _move(
    report: ProgressReport,
    actor: User | None,
    action: str,
    to_state: str,
    extra: Iterable[str] = (),
    reason: str = "",
) -> ProgressReport:
    from_state = report.state
    report.state = to_state
    fields = ["state", *extra, *bump(report), "updated_at"]
    report.save(update_fields=fields)
    _step(report, actor, action, from_state, reason)
    return report


def _wrong_state(report: ProgressReport, wanted: Iterable[str], action: str) -> ConflictError:
    labels = ", ".join(str(ReportState(s).label) for s in wanted)
    return ConflictError(
        _("This report is %(state)s: it can be %(action)s only when %(wanted)s.")
        % {
            "state": str(ReportState(report.state).label).lower(),
            "action": str(StepAction(action).label).lower(),
            "wanted": labels.lower(),
        },
        {"code": "wrong_state", "state": report.state},
    )


# --- writing a report ---------------------------------------------------------------------------


@audited
@transaction.atomic
def progress_report_create(
    *,
    actor: User | None,
    measure: Measure,
    period: str,
    narrative: str = "",
    measure_status: str = "",
    values: Iterable[Mapping[str, Any]] = (),
    institution: Institution | None = None,
) -> ProgressReport:
    """Start a draft report on a measure of an adopted plan, for ``institution`` (by default the
    first the actor reports for: the lead, else a supporting one), with the values of the
    measure's indicators (``{"indicator", "value", "disaggregation", "source"}``).

    Raises ``PermissionDenied`` unless a focal point of an institution that leads or supports
    the measure (or the secretariat) asks, ``FrozenError`` for a closed plan, ``ConflictError``
    for a draft plan, ``ApplicationError`` with the fields for a value it refuses.
    """
    measure = Measure.objects.select_related("plan").get(pk=measure.pk)
    allowed = (
        progress_policies.reporting_institutions(actor, measure)
        if actor is not None
        else ([measure.lead_institution] if measure.lead_institution else [])
    )
    if actor is not None:
        progress_policies.ensure_can_report_on_measure(actor, measure)
    if institution is None:
        if not allowed:
            raise _invalid({"institution": [_("The measure has no lead institution.")]})
        institution = allowed[0]
    elif institution.pk not in {i.pk for i in allowed} and not is_secretariat(actor):
        raise _invalid({"institution": [_("You do not report for this institution.")]})
    ensure_not_frozen(measure.plan, recording_progress=True)
    if measure.plan.state == "draft":
        raise ConflictError(
            _("Progress is reported on the measures of an adopted plan."),
            {"code": "draft_plan"},
        )
    fields = _check_fields(
        {"period": period, "narrative": narrative, "measure_status": measure_status}
    )
    rows = _clean_values(measure, values)
    report = ProgressReport(measure=measure, institution=institution, author=actor, **fields)
    _validate(report)
    report.save()
    _set_values(report, rows)
    _step(report, actor, StepAction.CREATE, "")
    return report


@audited
@transaction.atomic
def progress_report_update(
    *,
    actor: User | None,
    report: ProgressReport,
    version: int | None = None,
    values: Iterable[Mapping[str, Any]] | None = None,
    **changes: Any,
) -> ProgressReport:
    """Change a draft or returned report: ``period``, ``narrative``, ``measure_status`` and
    (when given) its ``values``, set to exactly those given. Only what differs is written;
    nothing when nothing differs.

    Raises ``PermissionDenied`` unless a focal point of the report's institution or the
    secretariat asks, ``StaleVersionError`` when ``version`` is not the report's,
    ``ConflictError`` once it is submitted, ``ApplicationError`` with the fields.
    """
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_edit_report(actor, report)
    ensure_current(report, version)
    if report.state not in EDITABLE_STATES:
        raise ConflictError(
            _("A submitted report is not changed: ask for it to be returned."),
            {"code": "wrong_state", "state": report.state},
        )
    ensure_not_frozen(report.measure.plan, recording_progress=True)
    fields = _check_fields(changes)
    rows = _clean_values(report.measure, values) if values is not None else None
    changed = [name for name, value in fields.items() if getattr(report, name) != value]
    for name in changed:
        setattr(report, name, fields[name])
    values_changed = rows is not None and _set_values(report, rows)
    if not changed and not values_changed:
        return report
    _validate(report, only=changed)
    report.save(update_fields=[*changed, *bump(report), "updated_at"])
    return report


@audited
@transaction.atomic
def progress_report_delete(
    *, actor: User | None, report: ProgressReport, version: int | None = None
) -> None:
    """Delete a draft report that was never submitted (with its values and evidence files).
    Raises ``PermissionDenied``, ``StaleVersionError``, or ``ConflictError`` for a report that
    went further than a draft."""
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_edit_report(actor, report)
    ensure_current(report, version)
    if report.state != ReportState.DRAFT:
        raise _wrong_state(report, [ReportState.DRAFT], StepAction.CREATE)
    names = [name for name in report.evidence.values_list("file", flat=True) if name]
    report.delete()
    _delete_files_on_commit(names)


# --- the workflow -------------------------------------------------------------------------------


@audited
@transaction.atomic
def progress_report_submit(
    *, actor: User | None, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """Submit a draft or returned report to the institution's validators.

    Raises ``PermissionDenied`` unless a focal point of the report's institution (or the
    secretariat) asks, ``StaleVersionError``, ``ConflictError`` from another state,
    ``ApplicationError`` for a report with nothing in it.
    """
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_edit_report(actor, report)
    ensure_current(report, version)
    if report.state not in EDITABLE_STATES:
        raise _wrong_state(report, EDITABLE_STATES, StepAction.SUBMIT)
    ensure_not_frozen(report.measure.plan, recording_progress=True)
    if not report.narrative.strip():
        raise _invalid({"narrative": [_("Say what was done before submitting the report.")]})
    return _move(report, actor, StepAction.SUBMIT, ReportState.SUBMITTED, ["return_reason"])


@audited
@transaction.atomic
def progress_report_validate(
    *, actor: User | None, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """A validator of the report's institution validates a submitted report: it goes to the
    secretariat. Raises ``PermissionDenied`` for anyone else, ``StaleVersionError``,
    ``ConflictError`` from another state."""
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_validate_report(actor, report)
    ensure_current(report, version)
    if report.state != ReportState.SUBMITTED:
        raise _wrong_state(report, [ReportState.SUBMITTED], StepAction.VALIDATE)
    ensure_not_frozen(report.measure.plan, recording_progress=True)
    return _move(report, actor, StepAction.VALIDATE, ReportState.VALIDATED)


def _apply_to_measure(report: ProgressReport, actor: User | None) -> None:
    """The accepted report's status and values become the measure's: the status (when the
    report gives one; the measure's recommendations' status is derived again) and an indicator
    value per reported value, for the report's period."""
    measure = Measure.objects.select_for_update().get(pk=report.measure_id)
    if report.measure_status and measure.status != report.measure_status:
        measure.status = report.measure_status
        measure.save(update_fields=["status", *bump(measure), "updated_at"])
        recommendation_status_derive(
            actor=actor,
            recommendations=measure.recommendations.values_list("pk", flat=True),
        )
    for value in report.values.all():
        existing = IndicatorValue.objects.filter(
            indicator_id=value.indicator_id,
            period=report.period,
            disaggregation=value.disaggregation,
        ).first()
        source = value.source or _("Progress report %(id)s") % {"id": report.pk}
        if existing is None:
            IndicatorValue.objects.create(
                indicator_id=value.indicator_id,
                period=report.period,
                disaggregation=value.disaggregation,
                value=value.value,
                source=source[:300],
            )
        elif existing.value != value.value or existing.source != source[:300]:
            existing.value, existing.source = value.value, source[:300]
            existing.save(update_fields=["value", "source", "updated_at"])


@audited
@transaction.atomic
def progress_report_accept(
    *, actor: User | None, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """The secretariat accepts a validated report: the status it gives the measure and its
    indicator values (for the report's period) become the measure's, in the adopted plan.
    Raises ``PermissionDenied`` for anyone else, ``StaleVersionError``, ``ConflictError`` from
    another state, ``FrozenError`` once the plan is closed."""
    if actor is not None:
        progress_policies.ensure_can_accept_report(actor, report)
    report = _lock(report)
    ensure_current(report, version)
    if report.state != ReportState.VALIDATED:
        raise _wrong_state(report, [ReportState.VALIDATED], StepAction.ACCEPT)
    ensure_not_frozen(report.measure.plan, recording_progress=True)
    _apply_to_measure(report, actor)
    return _move(report, actor, StepAction.ACCEPT, ReportState.ACCEPTED)


@audited
@transaction.atomic
def progress_report_publish(
    *, actor: User | None, report: ProgressReport, version: int | None = None
) -> ProgressReport:
    """The secretariat publishes an accepted report: the public reads it, with its public
    evidence. Raises ``PermissionDenied`` for anyone else, ``StaleVersionError``,
    ``ConflictError`` from another state."""
    if actor is not None:
        progress_policies.ensure_can_accept_report(actor, report)
    report = _lock(report)
    ensure_current(report, version)
    if report.state != ReportState.ACCEPTED:
        raise _wrong_state(report, [ReportState.ACCEPTED], StepAction.PUBLISH)
    report.published_at = timezone.now()
    return _move(report, actor, StepAction.PUBLISH, ReportState.PUBLISHED, ["published_at"])


@audited
@transaction.atomic
def progress_report_return(
    *, actor: User | None, report: ProgressReport, reason: str, version: int | None = None
) -> ProgressReport:
    """Return a submitted, validated or accepted report to its author, with the reason they
    read; they change it and submit it again. A validator of the institution returns a
    submitted report; the secretariat returns one from any of these steps.

    Raises ``PermissionDenied`` for anyone else, ``ApplicationError`` without a reason,
    ``StaleVersionError``, ``ConflictError`` from another state.
    """
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_return_report(actor, report)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid({"reason": [_("Say why the report is returned.")]})
    ensure_current(report, version)
    if report.state not in RETURNABLE_STATES:
        raise _wrong_state(report, RETURNABLE_STATES, StepAction.RETURN)
    report.return_reason = reason
    return _move(report, actor, StepAction.RETURN, ReportState.RETURNED, ["return_reason"], reason)


# --- evidence -----------------------------------------------------------------------------------


def _delete_files_on_commit(names: list[str]) -> None:
    storage = Evidence._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@audited
@transaction.atomic
def progress_evidence_add(
    *,
    actor: User | None,
    report: ProgressReport,
    file: UploadedFile,
    title: str = "",
    is_public: bool = False,
    version: int | None = None,
) -> Evidence:
    """Add an evidence file to a draft or returned report: PDF, Word, Excel, OpenDocument text,
    PNG or JPEG, told from its content, up to ``TRACKER_EVIDENCE_MAX_MB``. It is kept in the
    evidence storage (no URL) under a name of its own, and served only to those who may see it.
    ``is_public``: shown on the portal once the report is published. Adding evidence is a
    change of the report (its version goes up).

    Raises ``PermissionDenied`` unless a focal point of the report's institution (or the
    secretariat) asks, ``StaleVersionError``, ``ConflictError`` once submitted,
    ``ApplicationError`` with the ``file`` field for a file too large, empty or not accepted.
    """
    report = _lock(report)
    if actor is not None:
        progress_policies.ensure_can_edit_report(actor, report)
    ensure_current(report, version)
    if report.state not in EDITABLE_STATES:
        raise ConflictError(
            _("Evidence is added while the report is a draft or returned."),
            {"code": "wrong_state", "state": report.state},
        )
    limit = _evidence_max_bytes()
    if file.size is None or file.size > limit:
        raise _invalid({"file": [_("The file is larger than %s.") % filesizeformat(limit)]})
    if file.size == 0:
        raise _invalid({"file": [_("The file is empty.")]})
    kind = documents.sniff(file)
    if kind is None:
        accepted = ", ".join(t.label for t in documents.ACCEPTED)
        raise _invalid(
            {
                "file": [
                    _("This type of file is not accepted (told from its content): %s only.")
                    % accepted
                ]
            }
        )
    name = f"{_safe_stem(file.name or '')}.{kind.extension}"
    evidence = Evidence(
        report=report,
        title=(title.strip() or PurePath(file.name or name).name)[:300],
        content_type=kind.content_type,
        size=file.size,
        is_public=bool(is_public),
        uploaded_by=actor,
    )
    _validate(evidence, only=["title"])
    evidence.file.save(name, file, save=False)
    try:
        evidence.save()
    except BaseException:
        evidence.file.storage.delete(evidence.file.name or "")
        raise
    report.save(update_fields=[*bump(report), "updated_at"])
    return evidence


@audited
@transaction.atomic
def progress_evidence_delete(*, actor: User | None, evidence: Evidence) -> None:
    """Remove an evidence file from a draft or returned report; the file goes once the deletion
    is committed. Errors as for ``progress_evidence_add``."""
    evidence = Evidence.objects.select_related("report").get(pk=evidence.pk)
    report = _lock(evidence.report)
    if actor is not None:
        progress_policies.ensure_can_edit_report(actor, report)
    if report.state not in EDITABLE_STATES:
        raise ConflictError(
            _("Evidence is removed while the report is a draft or returned."),
            {"code": "wrong_state", "state": report.state},
        )
    name = evidence.file.name
    evidence.delete()
    report.save(update_fields=[*bump(report), "updated_at"])
    if name:
        _delete_files_on_commit([name])
