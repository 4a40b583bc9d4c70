"""The plans: their list, a plan's page (versions, budget, the mechanisms' calendar), and its
life: create, adopt, close, new version (each behind a confirmation page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans import policies, selectors, services
from plans.forms import PlanForm, apply_errors
from plans.models import ImplementationPlan, PlanState
from plans.views._common import conflict
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.policies import as_actor


@public_view
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    result = selectors.plan_list(actor=actor, filters=request.GET)
    context = {
        "plans": result.queryset.order_by("-starts_on", "title", "-version"),
        "filterset": result.filterset,
        "can_create": policies.can_create_plan(actor),
    }
    return render(request, "plans/plan_list.html", context, status=200 if result.is_valid else 400)


@member_view
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_create_plan(actor)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan was made: a draft, version 1."))
            return redirect("plans:plan-detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_form.html", {"form": form}, status=status)


@public_view
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    can_edit = policies.can_edit_plan(actor, plan)
    context = {
        "plan": plan,
        "versions": selectors.plan_versions(actor=actor, plan=plan),
        "totals": selectors.plan_budget_totals(actor=actor, plan=plan),
        "by_institution": selectors.plan_budget_by(actor=actor, plan=plan, by="institution"),
        "by_source": selectors.plan_budget_by(actor=actor, plan=plan, by="source"),
        "calendar": selectors.plan_calendar(actor=actor, plan=plan),
        "unplanned": selectors.plan_unplanned_counts(actor=actor, plan=plan),
        "can_edit": can_edit and not plan.is_frozen,
        "can_adopt": can_edit and plan.state == PlanState.DRAFT,
        "can_close": can_edit and plan.state == PlanState.ADOPTED,
        "can_version": can_edit and plan.state != PlanState.DRAFT and not _has_next_version(plan),
        "can_propose": policies.can_propose_measure(actor) and not plan.is_frozen,
        "can_review": policies.can_review_measure(actor),
    }
    return render(request, "plans/plan_detail.html", context)


def _has_next_version(plan: ImplementationPlan) -> bool:
    try:
        return plan.next_version is not None
    except ImplementationPlan.DoesNotExist:
        return False


def _transition(
    request: HttpRequest,
    pk: int,
    *,
    verb: str,
    service: Callable[..., ImplementationPlan],
    done: str,
) -> HttpResponse:
    """A change of the plan's state behind a confirmation page (GET); done on POST."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    policies.ensure_can_edit_plan(actor, plan)
    if request.method == "POST":
        try:
            result = service(actor=actor, plan=plan)
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            return render(
                request,
                "plans/plan_confirm.html",
                {"plan": plan, "verb": verb, "error": exc.message},
                status=400,
            )
        messages.success(request, done)
        return redirect("plans:plan-detail", pk=result.pk)
    context: dict[str, Any] = {"plan": plan, "verb": verb, "error": ""}
    return render(request, "plans/plan_confirm.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        verb="adopt",
        service=services.plan_adopt,
        done=_("The plan is adopted: it is frozen from now on."),
    )


@member_view
@require_http_methods(["GET", "POST"])
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, verb="close", service=services.plan_close, done=_("The plan is closed.")
    )


@member_view
@require_http_methods(["GET", "POST"])
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        verb="new_version",
        service=services.plan_new_version,
        done=_("The new version is a draft copy of the plan: change it, then adopt it."),
    )
