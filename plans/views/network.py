"""The follow-up pages of the progress network: a recommendation's and a measure's follow-up
(assessments side by side, comments, progress reports, activity), the secretariat's moderation
of comments, the support coverage, and the person's notifications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from plans import activity, policies, progress_policies, progress_selectors, services
from plans.forms import DateInput, RecommendationChoiceField, apply_errors
from plans.models import AssessorKind, Comment, Measure, Notification, PlanState, Rating
from recommendations.models import Recommendation
from recommendations.policies import visible_recommendations
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError
from tracker.models import Institution, InstitutionKind, User
from tracker.policies import as_actor, is_secretariat
from tracker.roles import INSTITUTION_ROLES

ACTIVITY_ROWS = 30


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=_("The secretariat reads it before it is public."),
    )


class AssessmentForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=Rating.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=10000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("The sources the rating rests on."),
    )


def _feed(actor: Any, obj: Any, page: str | None) -> Any:
    events = activity.activity_events(actor=actor, obj=obj)
    page_obj = Paginator(events, ACTIVITY_ROWS).get_page(page)
    page_obj.object_list = [activity.as_activity(e) for e in page_obj.object_list]
    return page_obj


def _follow_up(
    request: HttpRequest,
    *,
    recommendation: Any = None,
    measure: Any = None,
    form: Any = None,
    assessment_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    actor = as_actor(request.user)
    target = recommendation if recommendation is not None else measure
    context: dict[str, Any] = {
        "recommendation": recommendation,
        "measure": measure,
        "comments": progress_selectors.comments_on(
            actor=actor, recommendation=recommendation, measure=measure
        ),
        "comment_form": form or (CommentForm() if progress_policies.can_comment(actor) else None),
        "activity": _feed(actor, target, request.GET.get("page")),
    }
    if recommendation is not None:
        assessments = progress_selectors.assessments_side_by_side(
            actor=actor, recommendation=recommendation
        )
        context["assessment_columns"] = [
            (label, assessments[kind]) for kind, label in AssessorKind.choices
        ]
        context["assessment_form"] = assessment_form or (
            AssessmentForm() if progress_policies.can_assess(actor) else None
        )
        context["own_drafts"] = [
            a
            for items in assessments.values()
            for a in items
            if a.state == "draft" and progress_policies.can_edit_assessment(actor, a)
        ]
        measure_ids = policies.visible_measures(actor).filter(recommendations=recommendation)
        context["measures"] = list(
            measure_ids.select_related("plan", "lead_institution").order_by(
                "-plan__starts_on", "plan_id", "position", "pk"
            )
        )
        context["reports"] = progress_selectors.published_reports_of(
            actor=actor, measure_ids=measure_ids.values("pk")
        )
    else:
        context["assessment_columns"] = []
        context["assessment_form"] = None
        context["own_drafts"] = []
        context["reports"] = progress_selectors.published_reports_of(
            actor=actor, measure_ids=[measure.pk]
        )
    return render(request, "progress/follow_up.html", context, status=status)


def _comment(request: HttpRequest, **target: Any) -> HttpResponse:
    actor = as_actor(request.user)
    progress_policies.ensure_can_comment(actor)
    assert actor is not None  # noqa: S101 (ensured)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(actor=actor, text=form.cleaned_data["text"], **target)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(request.path + "#comments")
    return _follow_up(request, form=form, status=400, **target)


@public_view
@require_http_methods(["GET", "POST"])
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A recommendation's follow-up: the assessments of the government, the NHRI and civil
    society side by side, the progress reports on its measures, comments, activity."""
    recommendation = get_object_or_404(visible_recommendations(as_actor(request.user)), pk=pk)
    if request.method == "POST":
        if as_actor(request.user) is None:
            raise PermissionDenied
        if request.POST.get("form") == "assessment":
            return _assess(request, recommendation)
        if request.POST.get("form") == "publish-assessment":
            return _publish_assessment(request, recommendation)
        return _comment(request, recommendation=recommendation)
    return _follow_up(request, recommendation=recommendation)


def _assess(request: HttpRequest, recommendation: Any) -> HttpResponse:
    actor = as_actor(request.user)
    progress_policies.ensure_can_assess(actor)
    assert actor is not None  # noqa: S101 (ensured)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_create(
                actor=actor, recommendation=recommendation, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(request.path + "#assessments-heading")
    return _follow_up(request, recommendation=recommendation, assessment_form=form, status=400)


def _publish_assessment(request: HttpRequest, recommendation: Any) -> HttpResponse:
    actor = as_actor(request.user)
    assert actor is not None  # noqa: S101 (checked by the caller)
    assessment = get_object_or_404(
        progress_policies.visible_assessments(actor).filter(recommendation=recommendation),
        pk=request.POST.get("assessment") or 0,
    )
    services.assessment_publish(actor=actor, assessment=assessment)
    return redirect(request.path + "#assessments-heading")


@public_view
@require_http_methods(["GET", "POST"])
def measure_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        policies.visible_measures(as_actor(request.user)).select_related("plan"), pk=pk
    )
    if request.method == "POST":
        if as_actor(request.user) is None:
            raise PermissionDenied
        return _comment(request, measure=measure)
    return _follow_up(request, measure=measure)


class RejectForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(required=False, max_length=5000)


@member_view
@require_http_methods(["GET", "POST"])
def comment_moderation(request: HttpRequest) -> HttpResponse:
    """The secretariat's queue of comments waiting for moderation."""
    actor = as_actor(request.user)
    progress_policies.ensure_can_moderate_comments(actor)
    assert actor is not None  # noqa: S101
    error = ""
    status = 200
    if request.method == "POST":
        comment = get_object_or_404(Comment, pk=request.POST.get("comment") or 0)
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.comment_approve(actor=actor, comment=comment)
                else:
                    services.comment_reject(
                        actor=actor, comment=comment, reason=form.cleaned_data["reason"]
                    )
            except ApplicationError as exc:
                error, status = exc.message, 400
            else:
                return redirect("progress:comment-moderation")
        else:
            error, status = str(_("Choose to approve or reject.")), 400
    comments = Paginator(progress_selectors.comments_to_moderate(actor=actor), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "progress/comment_moderation.html",
        {"comments": comments, "error": error},
        status=status,
    )


@member_view
@require_GET
def support_coverage(request: HttpRequest) -> HttpResponse:
    """Recommendations and measures with and without a development partner's support."""
    actor = as_actor(request.user)
    return render(
        request,
        "progress/support_coverage.html",
        {
            "coverage": progress_selectors.support_coverage(actor=actor),
            "projects": progress_policies.visible_support_projects(actor)
            .select_related("partner")
            .order_by("-starts_on", "-id")[:100],
            "can_record": progress_policies.can_record_support(actor),
        },
    )


class SupportProjectForm(forms.Form):
    """A development partner's support project, with what it supports."""

    partner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Development partner"),
        queryset=Institution.objects.none(),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("The three-letter code: USD, EUR."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    recommendations = RecommendationChoiceField(
        label=_("Recommendations supported"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    measures: forms.ModelMultipleChoiceField[Measure] = forms.ModelMultipleChoiceField(
        label=_("Measures supported"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if is_secretariat(actor):
            fields["partner"].queryset = Institution.objects.filter(
                is_active=True, kind=InstitutionKind.DEVELOPMENT_PARTNER
            ).order_by("name")
        else:
            # A partner records its own projects: the service names the partner.
            del fields["partner"]
        fields["recommendations"].queryset = (
            visible_recommendations(actor)
            .select_related("document")
            .order_by("document__symbol", "paragraph_sort", "pk")
        )
        fields["measures"].queryset = (
            policies.visible_measures(actor)
            .filter(plan__state=PlanState.ADOPTED)
            .order_by("title", "pk")
        )


@member_view
@require_http_methods(["GET", "POST"])
def support_project_create(request: HttpRequest) -> HttpResponse:
    """A development partner (or the secretariat, for a partner) records a support project."""
    actor = as_actor(request.user)
    progress_policies.ensure_can_record_support(actor, None)
    form = SupportProjectForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_project_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The support project was recorded."))
            return redirect("progress:support-coverage")
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/support_form.html", {"form": form}, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications; POST marks them all read."""
    actor = as_actor(request.user)
    assert actor is not None  # noqa: S101 (member_view)
    if request.method == "POST":
        services.notification_mark_read(actor=actor)
        return redirect("progress:notification-list")
    page = Paginator(
        Notification.objects.filter(user=actor).order_by("-created_at", "-id"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "progress/notification_list.html", {"page": page})


class HandoverForm(forms.Form):
    from_user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Departing person"),
        queryset=User.objects.filter(memberships__role__in=list(INSTITUTION_ROLES))
        .distinct()
        .order_by("username"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    to_user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Colleague who takes over"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


@member_view
@require_http_methods(["GET", "POST"])
def portfolio_handover(request: HttpRequest) -> HttpResponse:
    """The secretariat hands a departing focal point's portfolio (roles, open reports, unread
    notifications) to a colleague in one action."""
    actor = as_actor(request.user)
    progress_policies.ensure_can_hand_over_portfolio(actor)
    form = HandoverForm(request.POST or None)
    moved: dict[str, int] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                moved = services.portfolio_hand_over(
                    actor=actor,
                    from_user=form.cleaned_data["from_user"],
                    to_user=form.cleaned_data["to_user"],
                )
            except ApplicationError as exc:
                form.add_error("to_user", exc.message)
                status = 400
        else:
            status = 400
    return render(request, "progress/handover.html", {"form": form, "moved": moved}, status=status)
