"""A measure's page (its milestones, budget lines and indicators, listed and addable; the SMART
check), its form for the secretariat, the focal points' proposals and the secretariat's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import policies, selectors, services
from plans.forms import (
    BudgetLineForm,
    DeclineForm,
    IndicatorForm,
    MeasureForm,
    MilestoneForm,
    ProposalForm,
    SmartForm,
    apply_errors,
)
from plans.models import ImplementationPlan, Measure, ProposalState
from plans.views._common import conflict, frozen
from recommendations.policies import visible_recommendations
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.models import Institution
from tracker.policies import Actor, as_actor, ensure
from tracker.roles import Role


def _measure_context(
    actor: Actor, measure: Measure, **forms_given: forms.Form | None
) -> dict[str, Any]:
    plan = measure.plan
    can_edit = policies.can_edit_measure(actor, measure) and not plan.is_frozen
    can_review = policies.can_review_measure(actor, measure) and not plan.is_frozen
    parts = selectors.measure_parts(actor=actor, measure=measure)
    context: dict[str, Any] = {
        "plan": plan,
        "measure": measure,
        **vars(parts),
        "can_edit": can_edit,
        "can_review": can_review,
        "can_record": policies.can_record_indicator_value(actor) and plan.state != "closed",
        "is_proposal": measure.proposal_state == ProposalState.PROPOSED,
    }
    context.update(
        milestone_form=None,
        budget_form=None,
        indicator_form=None,
        smart_form=None,
        decline_form=None,
    )
    if can_edit:
        context["milestone_form"] = forms_given.get("milestone_form") or MilestoneForm()
        context["budget_form"] = forms_given.get("budget_form") or BudgetLineForm()
        context["indicator_form"] = forms_given.get("indicator_form") or IndicatorForm()
    if can_review:
        context["smart_form"] = forms_given.get("smart_form") or SmartForm(
            initial=SmartForm.initial_for(measure)
        )
        context["decline_form"] = forms_given.get("decline_form") or DeclineForm()
    return context


@public_view
@require_GET
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    measure = selectors.measure_get(actor=actor, pk=pk)
    return render(request, "plans/measure_detail.html", _measure_context(actor, measure))


def _own_institutions(actor: Actor) -> Any:
    if actor is None:
        return Institution.objects.none()
    return Institution.objects.filter(pk__in=actor.institution_ids([Role.FOCAL_POINT])).order_by(
        "name"
    )


@member_view
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat adds a measure to a draft plan; ``?recommendation=`` fills in the
    recommendation it addresses (from the matrix)."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    policies.ensure_can_create_measure(actor, plan)
    return _measure_form(request, actor, plan, proposal=False)


@member_view
@require_http_methods(["GET", "POST"])
def measure_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point proposes a measure its own institution would lead."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    ensure(policies.can_propose_measure(actor))
    return _measure_form(request, actor, plan, proposal=True)


def _measure_form(
    request: HttpRequest, actor: Actor, plan: ImplementationPlan, *, proposal: bool
) -> HttpResponse:
    refused = frozen(request, plan)
    if refused is not None:
        return refused
    form_class = ProposalForm if proposal else MeasureForm
    kwargs: dict[str, Any] = {"recommendations": visible_recommendations(actor)}
    if proposal:
        kwargs["institutions"] = _own_institutions(actor)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("recommendation", "")
    if wanted.isdigit():
        initial["recommendations"] = [int(wanted)]
    own = kwargs.get("institutions")
    if own is not None and len(own) == 1:
        initial["lead_institution"] = own[0].pk
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        title = form.cleaned_data["title"]
        try:
            if proposal:
                if actor is None:
                    raise PermissionDenied
                lead = data.pop("lead_institution")
                measure = services.measure_propose(
                    actor=actor, plan=plan, title=title, lead_institution=lead, **data
                )
            else:
                measure = services.measure_create(actor=actor, plan=plan, title=title, **data)
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The measure is proposed: the secretariat will accept or decline it.")
                if proposal
                else _("The measure was added to the plan."),
            )
            return redirect("plans:measure-detail", pk=measure.pk)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "proposal": proposal, "measure": None}
    return render(request, "plans/measure_form.html", context, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    measure = selectors.measure_get(actor=actor, pk=pk)
    policies.ensure_can_edit_measure(actor, measure)
    refused = frozen(request, measure.plan)
    if refused is not None:
        return refused
    proposal = measure.proposal_state == ProposalState.PROPOSED and not policies.can_review_measure(
        actor, measure
    )
    form_class = ProposalForm if proposal else MeasureForm
    kwargs: dict[str, Any] = {"recommendations": visible_recommendations(actor)}
    if proposal:
        kwargs["institutions"] = _own_institutions(actor)
    form = form_class(request.POST or None, initial=MeasureForm.initial_for(measure), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                actor=actor, measure=measure, title=form.cleaned_data["title"], **form.changes()
            )
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("plans:measure-detail", pk=measure.pk)
    status = 400 if request.method == "POST" else 200
    context = {"plan": measure.plan, "form": form, "proposal": proposal, "measure": measure}
    return render(request, "plans/measure_form.html", context, status=status)


def _measure_post(
    request: HttpRequest,
    pk: int,
    form_name: str,
    form_class: type[forms.Form],
    call: Callable[[Actor, Measure, Any], object],
    *,
    ensure: Callable[[Actor, Measure], None] = policies.ensure_can_edit_measure,
    success: str = "",
    to_proposals: bool = False,
) -> HttpResponse:
    """The flow of a form posted from the measure's page: the measure as the actor may see it,
    ``ensure`` (may they do this to it?), the form, then ``call`` (the service): a conflict is a
    409, the service's refusals are the form's errors and the page again (400); done, a message
    (``success``, "Added." by default) and back to the page, or to the plan's proposals."""
    actor = as_actor(request.user)
    measure = selectors.measure_get(actor=actor, pk=pk)
    ensure(actor, measure)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(actor, measure, form)
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success or _("Added."))
            if to_proposals:
                return redirect("plans:plan-proposals", pk=measure.plan_id)
            return redirect("plans:measure-detail", pk=measure.pk)
    context = _measure_context(actor, measure, **{form_name: form})
    return render(request, "plans/measure_detail.html", context, status=400)


@member_view
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_post(
        request,
        pk,
        "milestone_form",
        MilestoneForm,
        lambda actor, measure, form: services.milestone_create(
            actor=actor, measure=measure, **form.cleaned_data
        ),
    )


@member_view
@require_POST
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_post(
        request,
        pk,
        "budget_form",
        BudgetLineForm,
        lambda actor, measure, form: services.budget_line_create(
            actor=actor, measure=measure, **form.values()
        ),
    )


@member_view
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    def create(actor: Actor, measure: Measure, form: IndicatorForm) -> object:
        values = form.values()
        return services.indicator_create(
            actor=actor,
            measure=measure,
            name=values.pop("name"),
            kind=values.pop("kind"),
            **values,
        )

    return _measure_post(request, pk, "indicator_form", IndicatorForm, create)


@member_view
@require_POST
def measure_smart(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat records the SMART check of a measure."""
    return _measure_post(
        request,
        pk,
        "smart_form",
        SmartForm,
        lambda actor, measure, form: services.measure_check_smart(
            actor=actor, measure=measure, **form.verdicts()
        ),
        ensure=policies.ensure_can_review_measure,
        success=_("The SMART check was recorded."),
    )


@member_view
@require_POST
def measure_accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    measure = selectors.measure_get(actor=actor, pk=pk)
    policies.ensure_can_review_measure(actor, measure)
    try:
        services.measure_accept(actor=actor, measure=measure)
    except ConflictError as exc:
        return conflict(request, exc)
    messages.success(request, _("The proposal is accepted into the plan."))
    return redirect("plans:plan-proposals", pk=measure.plan_id)


@member_view
@require_POST
def measure_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_post(
        request,
        pk,
        "decline_form",
        DeclineForm,
        lambda actor, measure, form: services.measure_decline(
            actor=actor, measure=measure, **form.cleaned_data
        ),
        ensure=policies.ensure_can_review_measure,
        success=_("The proposal is declined; its author reads the reason."),
        to_proposals=True,
    )


@member_view
@require_GET
def plan_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals of a plan: the secretariat answers them; a focal point follows its own."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    ensure(policies.can_review_measure(actor) or policies.can_propose_measure(actor))
    proposals = (
        selectors.measure_queryset(actor=actor)
        .filter(plan=plan)
        .exclude(proposal_state=ProposalState.NONE)
        .select_related("lead_institution", "proposed_by")
        .order_by("proposal_state", "pk")
    )
    context = {
        "plan": plan,
        "proposals": proposals,
        "can_review": policies.can_review_measure(actor) and not plan.is_frozen,
        "can_propose": policies.can_propose_measure(actor) and not plan.is_frozen,
        "decline_form": DeclineForm(),
    }
    return render(request, "plans/plan_proposals.html", context)
