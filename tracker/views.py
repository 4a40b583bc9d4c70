"""The health and readiness checks, and the secretariat's pages for accounts, roles and institutions. The other
pages live in the apps; the home page is a dashboard (``reporting``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import policies, services
from .decorators import member_view, public_view
from .exceptions import ApplicationError
from .forms import (
    ApiKeyForm,
    InstitutionForm,
    MembershipForm,
    UserCreateForm,
    UserUpdateForm,
    user_initial,
)
from .health import readiness
from .models import ApiKey, Institution, Membership, User
from .policies import as_actor


@public_view
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@public_view
@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness, for orchestrators and operators: the database and the message broker, each
    "ok" or what is wrong (503 when one is down). Without a broker configured, tasks run in the
    web process and the broker is reported as "not configured"."""
    checks = readiness()
    ready = all(value in {"ok", "not configured"} for value in checks.values())
    return JsonResponse(
        {"ready": ready, **checks}, status=200 if ready else 503, json_dumps_params={"indent": 1}
    )


@public_view
def not_offered(request: HttpRequest) -> HttpResponse:
    """A page django-allauth offers that this site does not (404)."""
    raise Http404


# --- The secretariat's pages: accounts, roles and institutions -------------------------------


def _apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    fields = exc.extra.get("fields")
    if isinstance(fields, dict):
        for name, errors in fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, str(error))
    else:
        form.add_error(None, exc.message)


@member_view
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    users = User.objects.prefetch_related("memberships__institution").order_by("username")
    return render(request, "tracker/user_list.html", {"users": users})


@member_view
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The account was made. Give it a role below."))
            return redirect("tracker:user-detail", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tracker/user_form.html", {"form": form}, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    user = get_object_or_404(User, pk=pk)
    can_change = policies.can_manage_user(actor, user)
    form = UserUpdateForm(request.POST or None, initial=user_initial(user))
    if request.method == "POST":
        policies.ensure_can_manage_user(actor, user)
        if form.is_valid():
            try:
                services.user_update(actor=actor, user=user, **form.cleaned_data)
            except ApplicationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The account was saved."))
                return redirect("tracker:user-detail", pk=user.pk)
    context = {
        "person": user,
        "form": form,
        "can_change": can_change,
        "memberships": user.memberships.select_related("institution").order_by(
            "institution__name", "role"
        ),
        "membership_form": MembershipForm(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "tracker/user_detail.html", context, status=status)


@member_view
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    user = get_object_or_404(User, pk=pk)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an institution and a role."))
    else:
        services.membership_add(actor=actor, user=user, **form.cleaned_data)
        messages.success(request, _("The role was given."))
    return redirect("tracker:user-detail", pk=user.pk)


@member_view
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    try:
        services.membership_remove(actor=actor, membership=membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role was taken away."))
    return redirect("tracker:user-detail", pk=membership.user_id)


@member_view
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    institutions = Institution.objects.select_related("parent").order_by("name")
    return render(request, "tracker/institution_list.html", {"institutions": institutions})


@member_view
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    form = InstitutionForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        try:
            services.institution_create(actor=actor, **data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The institution was added."))
            return redirect("tracker:institution-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tracker/institution_form.html", {"form": form, "institution": None}, status=status
    )


@member_view
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    institution = get_object_or_404(Institution, pk=pk)
    form = (
        InstitutionForm(request.POST)
        if request.method == "POST"
        else InstitutionForm.for_institution(institution)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update(actor=actor, institution=institution, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The institution was saved."))
            return redirect("tracker:institution-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tracker/institution_form.html",
        {"form": form, "institution": institution},
        status=status,
    )


# --- API keys ------------------------------------------------------------------------------


@member_view
@never_cache
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest) -> HttpResponse:
    """The API keys, with their name, account, scope, expiry and last use; a form makes a new
    one, whose secret is shown once, on the answer to that form, and never again."""
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    form = ApiKeyForm(request.POST or None, initial={"days": settings.TRACKER_API_KEY_DAYS})
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, secret = services.api_key_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            form = ApiKeyForm(initial={"days": settings.TRACKER_API_KEY_DAYS})
    keys = ApiKey.objects.select_related("user", "created_by").order_by("-created")
    status = 400 if request.method == "POST" and secret is None else 200
    context = {"form": form, "keys": keys, "secret": secret, "now": timezone.now()}
    return render(request, "tracker/api_key_list.html", context, status=status)


@member_view
@require_POST
def api_key_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_users(actor)
    key = get_object_or_404(ApiKey.objects.select_related("user"), token_key=token_key)
    services.api_key_revoke(actor=actor, key=key)
    messages.success(request, _("The key was revoked: it no longer opens the API."))
    return redirect("tracker:api-key-list")
