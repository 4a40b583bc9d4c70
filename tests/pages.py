"""Every page of the site, for the checks that must see each one.

The Content-Security-Policy test (``tests/tracker/views/test_csp.py``) fetches every page of ``PAGES`` as each
persona, and the Django admin's pages (``admin_pages``) as an operator. The accessibility scan
(``tests/e2e/test_accessibility.py``) opens every page of ``PAGES`` in Chromium, as the personas in
its ``browser`` field, in English and in Arabic, and runs axe-core on it.

A new URL pattern must be added here: to ``PAGES`` (how to reach it, who opens it in the browser),
or to ``NOT_PAGES`` with the reason it is not a page. ``test_every_url_pattern_is_a_page_or_excused``
fails until it is. Admin pages join by themselves: every registered model's list, add, change,
history and delete pages are fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import (
    Assessment,
    AssessmentState,
    AssessorKind,
    Comment,
    Consultation,
    Evidence,
    ImplementationPlan,
    Indicator,
    IndicatorKind,
    Measure,
    Notification,
    PlanState,
    ProgressReport,
    ProgressStep,
    ProgressValue,
    ProposalState,
    Rating,
    ReportState,
    StepAction,
)
from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    ImportChange,
    ImportFormat,
    ImportIssue,
    ImportRun,
    ImportStatus,
    Mechanism,
    MechanismFamily,
    Position,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)
from reporting.models import ReportingObligation, ReportJob, ReportJobStatus
from reporting.services import follow_up_selection_create
from tests.conftest import PERSONAS
from tests.factories.plans import (
    BudgetLineFactory,
    ConsultationFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import DocumentFactory, RecommendationFactory
from tests.factories.tracker import CountryFactory
from tracker.models import Institution, User

EVERYONE = PERSONAS

# Names that are not URL patterns: the error pages.
NOT_FOUND = "(404 page)"
FORBIDDEN = "(403 page)"


@dataclass
class PageData:
    """The objects that pages with an argument show."""

    recommendation: Recommendation  # published, with texts, tags, a cluster and a related one
    draft: Recommendation
    import_run: ImportRun  # a finished dry run, with changes and a rejected row
    reset_path: str  # a valid password-reset link
    person: User | None = None  # an account with a role, for the secretariat's account pages
    institution: Institution | None = None  # an institution, for its page
    plans: PlanPageData | None = None  # the plan pages' objects
    # A returned progress report of ``lead``'s measure (with a value, evidence and its steps),
    # and a published one.
    report: ProgressReport | None = None
    published_report: ProgressReport | None = None
    report_job: ReportJob | None = None  # a report draft being built, for its page
    # A treaty body's concluding observations with a follow-up selection, for its page.
    treaty_document: Document | None = None


@dataclass
class PlanPageData:
    """An adopted plan and its draft next version, each with a measure (milestone, budget line,
    indicator with a value) addressing the published recommendation; a proposal in the draft;
    a consultation."""

    adopted: ImplementationPlan
    draft: ImplementationPlan
    measure: Measure  # of the adopted plan, led by ``lead``
    draft_measure: Measure
    indicator: Indicator  # of ``measure``
    consultation: Consultation


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name ("namespace:name"), or NOT_FOUND / FORBIDDEN
    path: Callable[[PageData], str]
    browser: tuple[str, ...]  # the personas who open it in the accessibility scan
    variant: str = ""  # tells apart two entries of one pattern: "drafts"
    ready: str = ""  # a selector to wait for before the scan, for pages drawn by script
    # axe rules not applied to this page, with the reason: only for markup that is not ours.
    axe_exceptions: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name} ({self.variant})" if self.variant else self.name


def _url(name: str, query: str = "") -> Callable[[PageData], str]:
    return lambda data: reverse(name) + query


def _detail(get: Callable[[PageData], Model], name: str) -> Callable[[PageData], str]:
    return lambda data: reverse(name, args=[get(data).pk])


def _plan(get: Callable[[PlanPageData], Model], name: str, *more: str) -> Callable[[PageData], str]:
    def path(data: PageData) -> str:
        assert data.plans is not None
        return reverse(name, args=[get(data.plans).pk, *more])

    return path


def _row_edit(data: PageData) -> str:
    assert data.plans is not None
    return reverse("plans:matrix-row-edit", args=[data.plans.draft.pk, data.plans.draft_measure.pk])


PAGES: list[Page] = [
    Page("home", _url("home"), EVERYONE),
    Page(
        "recommendations:recommendation-list",
        _url("recommendations:recommendation-list"),
        EVERYONE,
    ),
    Page(
        "recommendations:recommendation-list",
        _url("recommendations:recommendation-list", "?publication_state=draft"),
        ("secretariat",),
        variant="drafts",
    ),
    Page(
        "recommendations:recommendation-list",
        _url("recommendations:recommendation-list", "?mechanism=NOPE"),
        ("public",),
        variant="invalid filter",
    ),
    Page(
        "recommendations:recommendation-detail",
        _detail(lambda d: d.recommendation, "recommendations:recommendation-detail"),
        EVERYONE,
    ),
    Page(
        "recommendations:recommendation-detail",
        _detail(lambda d: d.draft, "recommendations:recommendation-detail"),
        ("secretariat",),
        variant="draft",
    ),
    # The secretariat's national follow-up (recommendations/national_views.py).
    Page("recommendations:cluster-list", _url("recommendations:cluster-list"), ("secretariat",)),
    Page(
        "recommendations:cluster-edit",
        _detail(lambda d: d.recommendation.cluster, "recommendations:cluster-edit"),
        ("secretariat",),
    ),
    Page(
        "recommendations:cluster-suggestions",
        _url("recommendations:cluster-suggestions"),
        ("secretariat",),
    ),
    Page(
        "recommendations:taxonomy-review",
        _url("recommendations:taxonomy-review"),
        ("secretariat",),
    ),
    Page(
        "recommendations:recommendation-create",
        _url("recommendations:recommendation-create"),
        ("secretariat",),
    ),
    Page(FORBIDDEN, _url("recommendations:cluster-list"), ("nhri",), variant="clusters"),
    Page("recommendations:import-list", _url("recommendations:import-list"), ("secretariat",)),
    Page(
        "recommendations:import-detail",
        _detail(lambda d: d.import_run, "recommendations:import-detail"),
        ("secretariat",),
    ),
    Page(FORBIDDEN, _url("recommendations:import-list"), ("focal_point",)),
    Page(NOT_FOUND, lambda data: "/no-such-page/", ("public",)),
    # Sign-in, password, two-factor sign-in, single sign-on (django-allauth, tracker/auth.py).
    Page("account_login", _url("account_login"), ("public",)),
    Page("account_logout", _url("account_logout"), ("focal_point",)),
    Page("account_change_password", _url("account_change_password"), ("focal_point",)),
    Page("account_set_password", _url("account_set_password"), ("focal_point",)),
    Page("account_reauthenticate", _url("account_reauthenticate"), ("focal_point",)),
    Page("account_inactive", _url("account_inactive"), ("public",)),
    Page("account_signup", _url("account_signup"), ("public",)),
    Page("account_reset_password", _url("account_reset_password"), ("public",)),
    Page("account_reset_password_done", _url("account_reset_password_done"), ("public",)),
    Page("account_reset_password_from_key", lambda data: data.reset_path, ("public",)),
    Page(
        "account_reset_password_from_key_done",
        _url("account_reset_password_from_key_done"),
        ("public",),
    ),
    Page("mfa_index", _url("mfa_index"), ("focal_point", "secretariat")),
    Page("mfa_activate_totp", _url("mfa_activate_totp"), ("focal_point",)),
    Page("mfa_deactivate_totp", _url("mfa_deactivate_totp"), ("secretariat",)),
    Page("mfa_view_recovery_codes", _url("mfa_view_recovery_codes"), ("secretariat",)),
    Page("mfa_generate_recovery_codes", _url("mfa_generate_recovery_codes"), ("secretariat",)),
    Page("mfa_reauthenticate", _url("mfa_reauthenticate"), ("secretariat",)),
    # Reached in the middle of a sign-in with a second factor; opened otherwise, it leads to the
    # login page. tests/e2e/test_sign_in.py scans it during a real sign-in.
    Page("mfa_authenticate", _url("mfa_authenticate"), ("public",)),
    Page("socialaccount_connections", _url("socialaccount_connections"), ("focal_point",)),
    Page("socialaccount_login_cancelled", _url("socialaccount_login_cancelled"), ("public",)),
    Page("socialaccount_login_error", _url("socialaccount_login_error"), ("public",)),
    Page("socialaccount_signup", _url("socialaccount_signup"), ("public",)),
    # The secretariat's pages for accounts, roles and institutions (tracker/views.py).
    Page("tracker:user-list", _url("tracker:user-list"), ("secretariat",)),
    Page("tracker:user-create", _url("tracker:user-create"), ("secretariat",)),
    Page(
        "tracker:user-detail",
        lambda data: reverse("tracker:user-detail", args=[data.person.pk]),
        ("secretariat",),
    ),
    Page("tracker:institution-list", _url("tracker:institution-list"), ("secretariat",)),
    Page("tracker:api-key-list", _url("tracker:api-key-list"), ("secretariat",)),
    Page("tracker:institution-create", _url("tracker:institution-create"), ("secretariat",)),
    Page(
        "tracker:institution-edit",
        lambda data: reverse("tracker:institution-edit", args=[data.institution.pk]),
        ("secretariat",),
    ),
    # The plan pages (plans/views/).
    Page("plans:plan-list", _url("plans:plan-list"), EVERYONE),
    Page("plans:plan-create", _url("plans:plan-create"), ("secretariat",)),
    Page("plans:plan-detail", _plan(lambda p: p.adopted, "plans:plan-detail"), EVERYONE),
    Page(
        "plans:plan-detail",
        _plan(lambda p: p.draft, "plans:plan-detail"),
        ("secretariat", "focal_point"),
        variant="draft",
    ),
    Page("plans:plan-adopt", _plan(lambda p: p.draft, "plans:plan-adopt"), ("secretariat",)),
    Page("plans:plan-close", _plan(lambda p: p.adopted, "plans:plan-close"), ("secretariat",)),
    Page(
        "plans:plan-new-version",
        _plan(lambda p: p.adopted, "plans:plan-new-version"),
        ("secretariat",),
    ),
    Page("plans:plan-matrix", _plan(lambda p: p.adopted, "plans:plan-matrix"), EVERYONE),
    Page(
        "plans:plan-matrix",
        _plan(lambda p: p.draft, "plans:plan-matrix"),
        ("secretariat",),
        variant="draft, with the editing controls",
    ),
    Page("plans:matrix-row-edit", _row_edit, ("secretariat",)),
    Page(
        "plans:plan-unplanned",
        _plan(lambda p: p.adopted, "plans:plan-unplanned", "recommendations"),
        ("public", "secretariat"),
    ),
    Page(
        "plans:plan-unplanned",
        _plan(lambda p: p.draft, "plans:plan-unplanned", "no_budget"),
        ("secretariat",),
        variant="measures with no budget",
    ),
    Page(
        "plans:plan-proposals",
        _plan(lambda p: p.draft, "plans:plan-proposals"),
        ("secretariat", "focal_point"),
    ),
    Page(
        "plans:measure-create", _plan(lambda p: p.draft, "plans:measure-create"), ("secretariat",)
    ),
    Page(
        "plans:measure-propose",
        _plan(lambda p: p.draft, "plans:measure-propose"),
        ("focal_point",),
    ),
    Page("plans:measure-detail", _plan(lambda p: p.measure, "plans:measure-detail"), EVERYONE),
    Page(
        "plans:measure-detail",
        _plan(lambda p: p.draft_measure, "plans:measure-detail"),
        ("secretariat",),
        variant="draft, with its forms",
    ),
    Page(
        "plans:measure-edit",
        _plan(lambda p: p.draft_measure, "plans:measure-edit"),
        ("secretariat",),
    ),
    Page(
        "plans:indicator-detail",
        _plan(lambda p: p.indicator, "plans:indicator-detail"),
        ("public", "secretariat"),
    ),
    Page("plans:consultation-list", _url("plans:consultation-list"), ("focal_point",)),
    Page(
        "plans:consultation-detail",
        _plan(lambda p: p.consultation, "plans:consultation-detail"),
        ("secretariat", "cso"),
    ),
    # The plan as a spreadsheet (plans/views/spreadsheet.py): the secretariat uploads it back.
    Page(
        "plans:plan_import",
        lambda data: reverse("plans:plan_import", args=[data.plans.draft.pk]),
        ("secretariat",),
    ),
    # Progress reports (plans/views/progress.py).
    Page("progress:report-list", _url("progress:report-list"), EVERYONE),
    Page(
        "progress:report-detail",
        _detail(lambda d: d.report, "progress:report-detail"),
        ("focal_point", "validator", "secretariat"),
        variant="returned",
    ),
    Page(
        "progress:report-detail",
        _detail(lambda d: d.published_report, "progress:report-detail"),
        EVERYONE,
    ),
    Page(
        "progress:report-edit",
        _detail(lambda d: d.report, "progress:report-edit"),
        ("focal_point",),
    ),
    Page(
        "progress:report-create",
        lambda data: reverse("progress:report-create", args=[data.report.measure_id]),
        ("focal_point", "secretariat"),
    ),
    Page(
        "progress:recommendation-follow-up",
        _detail(lambda d: d.recommendation, "progress:recommendation-follow-up"),
        EVERYONE,
    ),
    Page(
        "progress:measure-follow-up",
        lambda data: reverse("progress:measure-follow-up", args=[data.report.measure_id]),
        EVERYONE,
    ),
    Page("progress:comment-moderation", _url("progress:comment-moderation"), ("secretariat",)),
    Page(
        "progress:support-coverage", _url("progress:support-coverage"), ("partner", "secretariat")
    ),
    Page(
        "progress:support-project-create",
        _url("progress:support-project-create"),
        ("partner", "secretariat"),
    ),
    Page(
        FORBIDDEN,
        _url("progress:support-project-create"),
        ("focal_point",),
        variant="support-project-create",
    ),
    Page("progress:portfolio-handover", _url("progress:portfolio-handover"), ("secretariat",)),
    Page(
        "progress:notification-list",
        _url("progress:notification-list"),
        ("focal_point", "secretariat"),
    ),
    Page("reporting:report-list", _url("reporting:report-list"), ("secretariat",)),
    Page("reporting:open-data", _url("reporting:open-data"), ("public",)),
    # The public portal (reporting/portal_views.py): the same for everyone, read as the public.
    Page("reporting:portal-institutions", _url("reporting:portal-institutions"), ("public",)),
    Page(
        "reporting:portal-institution",
        lambda data: reverse("reporting:portal-institution", args=[data.institution.pk]),  # type: ignore[union-attr]
        ("public",),
    ),
    Page("reporting:portal-clusters", _url("reporting:portal-clusters"), ("public",)),
    Page(
        "reporting:portal-cluster",
        _detail(lambda d: d.recommendation.cluster, "reporting:portal-cluster"),  # type: ignore[arg-type, return-value]
        ("public",),
    ),
    Page("reporting:portal-goals", _url("reporting:portal-goals"), ("public",)),
    Page(
        "reporting:portal-goal",
        lambda data: reverse("reporting:portal-goal", args=[16]),
        ("public",),
    ),
    Page("reporting:portal-plan", _url("reporting:portal-plan"), ("public",)),
    Page("reporting:calendar", _url("reporting:calendar"), ("secretariat", "focal_point")),
    Page(
        "reporting:follow-up-edit",
        lambda data: reverse("reporting:follow-up-edit", args=[data.treaty_document.pk]),  # type: ignore[union-attr]
        ("secretariat",),
    ),
    Page(
        "reporting:report-detail",
        lambda data: reverse("reporting:report-detail", args=[data.report_job.pk]),  # type: ignore[union-attr]
        ("secretariat",),
    ),
    Page(
        "api-docs",
        _url("api-docs"),
        ("public",),
        ready="#swagger-ui .opblock",
        axe_exceptions={
            "nested-interactive": "Swagger UI puts its lock and copy buttons inside each "
            "operation's summary button; its markup is not ours to change",
        },
    ),
]

# URL patterns that are not pages, and why.
NOT_PAGES: dict[str, str] = {
    "reporting:report-download": "a report draft's file (docx, pdf or xlsx), for the secretariat",
    "reporting:obligation-submitted": "POST only: the buttons of the reporting calendar",
    "reporting:follow-up-choose": "a redirect: the calendar's form that chooses the document "
    "whose follow-up selection to record",
    "reporting:open-data-recommendations-csv": "an open data file (csv)",
    "reporting:open-data-recommendations-json": "an open data file (json)",
    "reporting:open-data-uhri": "an open data file (json in the UHRI export's shape)",
    "reporting:open-data-measures": "an open data file (csv)",
    "healthz": "plain text for load balancers",
    "readyz": "JSON for orchestrators: the database and the broker",
    "set_language": "POST only: the language form of every page",
    "recommendations:import-apply": "POST only: the button of a dry run's page",
    "recommendations:recommendation-assign": "POST only: the bulk assignment form of the list page",
    "recommendations:recommendation-national": "POST only: the cluster and priority form of a "
    "recommendation's page (a refused save shows that page again)",
    "recommendations:recommendation-related": "POST only: the link, unlink, confirm and dismiss "
    "buttons of a recommendation's page",
    "recommendations:taxonomy-term": "POST only: the accept, rename and merge forms of the "
    "taxonomy review page",
    "plans:matrix-bulk": "POST only: the bulk form of the planning matrix",
    "plans:matrix-row": "a row of the planning matrix (an htmx fragment, a <tr>) and the POST "
    "of its inline form; tests/e2e/test_plan_matrix.py edits one in the browser",
    "plans:measure-smart": "POST only: the SMART check form of a measure's page",
    "plans:measure-accept": "POST only: a button of the proposals and measure pages",
    "plans:measure-decline": "POST only: a form of the proposals and measure pages",
    "plans:milestone-add": "POST only: a form of a measure's page",
    "plans:budget-line-add": "POST only: a form of a measure's page",
    "plans:indicator-add": "POST only: a form of a measure's page",
    "plans:indicator-value-add": "POST only: a form of an indicator's page",
    "tracker:membership-add": "POST only: the form of an account's page",
    "tracker:membership-remove": "POST only: the buttons of an account's page",
    "tracker:api-key-revoke": "POST only: the buttons of the API keys' page",
    "account_email": "refused (404): e-mail addresses are set by the secretariat, not by their "
    "owners (single sign-on matches accounts on them)",
    "account_email_verification_sent": "e-mail verification is off: accounts are made by the "
    "secretariat",
    "account_confirm_email": "e-mail verification is off",
    "account_confirm_login_code": "sign-in by a code sent by e-mail is off",
    "account_request_reauthentication_code": "codes sent by e-mail are off",
    "account_confirm_reauthentication_code": "codes sent by e-mail are off",
    "mfa_download_recovery_codes": "a text file of the recovery codes",
    "openid_connect_login": "single sign-on (when configured): the step that leaves for the "
    "identity provider; tests/tracker/test_sign_in.py checks it",
    "openid_connect_callback": "single sign-on: where the identity provider sends the browser back",
    "": "unnamed: django-allauth's former addresses of its single sign-on pages (accounts/social/)",
    "schema": "the OpenAPI document (YAML), read by the API docs page",
    "plans:plan_export": "an XLSX download of the plan (tests/plans/spreadsheet/test_views.py)",
    "progress:report-step": "POST only: the step buttons of a report's page",
    "progress:evidence-add": "POST only: the upload form of a report's page",
    "progress:evidence-delete": "POST only: the buttons of a report's page",
    "progress:evidence-download": "a file (tests/plans/progress/test_views.py checks who gets it)",
}
# Whole namespaces that are not pages of ours, and why.
NOT_PAGE_NAMESPACES: dict[str, str] = {
    "api": "the REST API answers JSON only (the browsable HTML API is off)",
    "admin": "Django's admin: the CSP test fetches its pages (admin_pages); the accessibility "
    "scan leaves it out, its markup is Django's (select2 and split date-time widgets without "
    "labels, tabular inlines, breadcrumb links told apart by colour only)",
}
# Admin URL patterns that are not pages.
ADMIN_NOT_PAGES: dict[str, str] = {
    "admin:logout": "POST only",
    "admin:autocomplete": "JSON for the autocomplete widgets",
    "admin:jsi18n": "the admin's JavaScript catalogue",
    "admin:view_on_site": "a redirect to the object's page",
    "admin:": "unnamed: a redirect from an object's old URL to its change page",
}


def url_patterns() -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern; the name is "namespace:name", "namespace:" if unnamed."""

    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                yield (f"{namespace}:{name}" if namespace else name), prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "", "")


def admin_pages(data: PageData) -> list[tuple[str, str, str]]:
    """(name, path, who) of the admin's pages: its index, login and password pages, each app's
    index, and each registered model's list and add pages, and the change, history and delete pages
    of its first row. ``who`` is "operator" (a superuser) or "public"."""
    pages = [
        ("admin:index", reverse("admin:index"), "operator"),
        ("admin:login", reverse("admin:login"), "public"),
        ("admin:password_change", reverse("admin:password_change"), "operator"),
        ("admin:password_change_done", reverse("admin:password_change_done"), "operator"),
    ]
    app_labels = set()
    for model in admin.site._registry:
        opts = model._meta
        app_labels.add(opts.app_label)
        base = f"admin:{opts.app_label}_{opts.model_name}"
        pages += [
            (f"{base}_changelist", reverse(f"{base}_changelist"), "operator"),
            (f"{base}_add", reverse(f"{base}_add"), "operator"),
        ]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages += [
                (f"{base}_{view}", reverse(f"{base}_{view}", args=[first.pk]), "operator")
                for view in ("change", "history", "delete")
            ]
    pages += [
        ("admin:app_list", reverse("admin:app_list", args=[label]), "operator")
        for label in sorted(app_labels)
    ]
    user = data.import_run.triggered_by
    assert user is not None
    pages.append(
        (
            "admin:auth_user_password_change",
            reverse("admin:auth_user_password_change", args=[user.pk]),
            "operator",
        )
    )
    return pages


def make_page_data(*, secretariat: User, lead: Institution) -> PageData:
    """The objects of the pages with an argument, on top of whatever the database holds (nothing,
    the reference data or the demo data): a published recommendation with English and Arabic
    texts, themes with and without a translation, an affected group, an SDG target, a recommending
    State, a cluster led by ``lead`` and a related recommendation; a draft; a finished dry run with
    changes and a rejected row, started by ``secretariat``; a password-reset link for them."""
    upr, _ = Mechanism.objects.get_or_create(
        code="UPR", defaults={"family": MechanismFamily.UPR, "names": {"en": "UPR"}}
    )
    ReviewCycle.objects.get_or_create(mechanism=upr, number=4)
    goal, _ = SdgGoal.objects.get_or_create(number=16, defaults={"titles": {"en": "Goal 16"}})
    target, _ = SdgTarget.objects.get_or_create(
        code="16.3",
        defaults={"goal": goal, "kind": "outcome", "sort_key": SdgTarget.sort_key_for("16.3")},
    )
    SdgIndicator.objects.get_or_create(code="16.3.1", target=target)
    Group.objects.get_or_create(name="Operators")

    document = DocumentFactory(
        symbol="A/HRC/58/14", mechanism=upr, title="Report of the Working Group"
    )
    cluster = Cluster.objects.create(name="Justice and detention", lead_institution=lead)
    recommendation = RecommendationFactory(
        document=document,
        paragraph="127.1",
        cluster=cluster,
        position=Position.SUPPORTED,
        national_notes="Bill before parliament in March.",
        text="Ratify the Optional Protocol to the Convention against Torture.",
    )
    RecommendationText.objects.create(
        recommendation=recommendation,
        language="ar",
        text="التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب.",
    )
    translated, _ = Theme.objects.get_or_create(
        name="Children's rights (test)",
        defaults={"names": {"ar": "حقوق الطفل", "fr": "Droits de l'enfant"}},
    )
    untranslated, _ = Theme.objects.get_or_create(
        name="Prohibition of torture & ill-treatment (including cruel, inhuman or degrading "
        "treatment)"
    )
    group, _ = AffectedGroup.objects.get_or_create(name="Persons deprived of their liberty")
    # Entries an import created and nobody reviewed: the taxonomy review page lists them.
    Theme.objects.get_or_create(name="Unknown theme (test)", defaults={"is_reviewed": False})
    AffectedGroup.objects.get_or_create(
        name="Unknown group (test)", defaults={"is_reviewed": False}
    )
    recommendation.themes.add(translated, untranslated)
    recommendation.affected_groups.add(group)
    recommendation.sdg_targets.add(target)
    recommendation.recommending_states.add(
        CountryFactory(iso3="CHE", names={"en": "Switzerland", "ar": "سويسرا"})
    )
    recommendation.priority = "high"
    recommendation.save()  # a change in the history
    related = RecommendationFactory(document=document, paragraph="127.2")
    recommendation.related.add(related)
    draft = RecommendationFactory(
        draft=True, document=document, paragraph="127.3", text="Adopt a national action plan."
    )
    draft.themes.add(translated)  # unclustered, with a theme: a suggested cluster

    now = datetime.now(tz=UTC)
    run = ImportRun.objects.create(
        source="https://example.org/uhri/export-full-en.json",
        format=ImportFormat.JSON,
        dry_run=True,
        status=ImportStatus.SUCCEEDED,
        triggered_by=secretariat,
        started_at=now,
        finished_at=now,
        rows_read=3,
        rows_done=3,
        created=1,
        updated=1,
        rejected=1,
    )
    ImportChange.objects.create(
        run=run,
        annotation_id="3f1f3c0e-8a4b-4f7e-9a43-0d7c2b0a1e01",
        kind=ImportChange.Kind.NEW,
        symbol="A/HRC/58/14",
        paragraph="127.9",
        new_text="Establish a national preventive mechanism.",
    )
    ImportChange.objects.create(
        run=run,
        recommendation=recommendation,
        annotation_id="3f1f3c0e-8a4b-4f7e-9a43-0d7c2b0a1e02",
        kind=ImportChange.Kind.TEXT_CHANGED,
        symbol="A/HRC/58/14",
        paragraph="127.1",
        old_text="Ratify the Optional Protocol.",
        new_text="Ratify the Optional Protocol to the Convention against Torture.",
    )
    ImportIssue.objects.create(
        run=run, row=3, field="AnnotationId", reason="AnnotationId is not a UUID", raw_value="x-1"
    )

    reset_path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(secretariat),
            "key": default_token_generator.make_token(secretariat),
        },
    )
    # The secretariat has set up two-factor sign-in: its pages of codes and deactivation open.
    if not Authenticator.objects.filter(user=secretariat).exists():
        TOTP.activate(secretariat, generate_totp_secret())
        RecoveryCodes.activate(secretariat)
    # A row of each sign-in record the admin lists, so that its pages are fetched too.
    AccessAttempt.objects.get_or_create(
        username="someone", ip_address="192.0.2.1", defaults={"failures_since_start": 1}
    )
    AccessLog.objects.get_or_create(username=secretariat.username, ip_address="192.0.2.1")
    AccessFailureLog.objects.get_or_create(username="someone", ip_address="192.0.2.1")
    EmailAddress.objects.get_or_create(user=secretariat, email=secretariat.email or "s@example.org")
    sso_user, _ = User.objects.get_or_create(username="sso-user", defaults={"name": "SSO user"})
    SocialAccount.objects.get_or_create(user=sso_user, provider="government", uid="gov-1")
    person = User.objects.filter(memberships__isnull=False).exclude(pk=secretariat.pk).first()
    report, published_report = _progress_reports(lead, recommendation, secretariat)
    ReportingObligation.objects.get_or_create(
        mechanism=upr,
        kind="other",
        title="Voluntary mid-term report",
        defaults={"due_on": datetime(2027, 5, 1, tzinfo=UTC).date()},
    )
    report_job = ReportJob.objects.create(
        kind="upr-midterm",
        format="pdf",
        cycle=4,
        requested_by=secretariat,
        status=ReportJobStatus.RUNNING,
        items_total=120,
        items_done=40,
        progress=33,
    )
    crc, _ = Mechanism.objects.get_or_create(
        code="CRC",
        defaults={"family": MechanismFamily.TREATY_BODY, "names": {"en": "CRC"}},
    )
    treaty_document = DocumentFactory(
        symbol="CRC/C/ZZZ/CO/5-6", mechanism=crc, title="Concluding observations"
    )
    selected = RecommendationFactory(
        document=treaty_document,
        paragraph="18(a)",
        text="Raise the minimum age of criminal responsibility.",
    )
    RecommendationFactory(
        document=treaty_document, paragraph="25", text="Prohibit corporal punishment."
    )
    follow_up_selection_create(
        actor=None,
        document=treaty_document,
        recommendations=[selected],
        due_on=datetime(2027, 6, 1, tzinfo=UTC).date(),
    )
    return PageData(
        recommendation,
        draft,
        run,
        reset_path,
        person=person or secretariat,
        institution=lead,
        report=report,
        published_report=published_report,
        plans=make_plan_page_data(recommendation=recommendation, lead=lead),
        report_job=report_job,
        treaty_document=treaty_document,
    )


def make_plan_page_data(*, recommendation: Recommendation, lead: Institution) -> PlanPageData:
    adopted = PlanFactory(title="National human rights action plan", adopted=True)
    draft = PlanFactory(
        title="National human rights action plan",
        version=2,
        previous_version=adopted,
        state=PlanState.DRAFT,
    )
    measures = []
    for plan in (adopted, draft):
        measure = MeasureFactory(
            plan=plan,
            title="Table the bill ratifying the Optional Protocol",
            lead_institution=lead,
            recommendations=[recommendation],
        )
        MilestoneFactory(measure=measure, title="Bill tabled in parliament")
        BudgetLineFactory(measure=measure)
        indicator = IndicatorFactory(measure=measure, name="Places of detention visited")
        IndicatorValueFactory(indicator=indicator)
        measures.append((measure, indicator))
    MeasureFactory(
        plan=draft,
        title="Train prison staff",
        lead_institution=lead,
        proposal_state=ProposalState.PROPOSED,
    )
    consultation = ConsultationFactory(title="Consultation with civil society", participants=[lead])
    consultation.recommendations.add(recommendation)
    return PlanPageData(
        adopted=adopted,
        draft=draft,
        measure=measures[0][0],
        draft_measure=measures[1][0],
        indicator=measures[0][1],
        consultation=consultation,
    )


def _progress_reports(
    lead: Institution, recommendation: Recommendation, secretariat: User
) -> tuple[ProgressReport, ProgressReport]:
    """A measure of ``lead`` in an adopted plan, with an indicator; a report on it that the
    secretariat returned (a value, internal and public evidence, its steps) and a published one."""
    plan = ImplementationPlan.objects.create(
        title="National action plan 2025-2029",
        starts_on=date(2025, 1, 1),
        ends_on=date(2029, 12, 31),
        state=PlanState.ADOPTED,
        adopted_on=date(2025, 3, 1),
    )
    measure = Measure.objects.create(
        plan=plan,
        title="Train judges on the Optional Protocol",
        lead_institution=lead,
        starts_on=date(2025, 6, 1),
        ends_on=date(2027, 6, 30),
    )
    measure.recommendations.add(recommendation)
    indicator = Indicator.objects.create(
        measure=measure, name="Judges trained", kind=IndicatorKind.PROCESS, unit="people"
    )
    report = ProgressReport.objects.create(
        measure=measure,
        institution=lead,
        period="2025",
        narrative="Two sessions held.",
        state=ReportState.RETURNED,
        return_reason="Add the attendance lists.",
        version=3,
    )
    ProgressValue.objects.create(report=report, indicator=indicator, value=40)
    Evidence.objects.create(
        report=report, title="Attendance", file="evidence/x/attendance.pdf", size=1000
    )
    Evidence.objects.create(
        report=report, title="Programme", file="evidence/y/programme.pdf", is_public=True
    )
    for action, before, after in (
        (StepAction.SUBMIT, ReportState.DRAFT, ReportState.SUBMITTED),
        (StepAction.RETURN, ReportState.SUBMITTED, ReportState.RETURNED),
    ):
        ProgressStep.objects.create(
            report=report,
            action=action,
            from_state=before,
            to_state=after,
            actor=secretariat,
            reason="Add the attendance lists." if action == StepAction.RETURN else "",
        )
    for kind, rating, state in (
        (AssessorKind.GOVERNMENT, Rating.PARTIALLY, AssessmentState.PUBLISHED),
        (AssessorKind.NHRI, Rating.NOT_IMPLEMENTED, AssessmentState.PUBLISHED),
        (AssessorKind.CSO, Rating.NO_INFORMATION, AssessmentState.DRAFT),
    ):
        Assessment.objects.create(
            recommendation=recommendation,
            assessor_kind=kind,
            rating=rating,
            summary="The bill is before parliament.",
            assessed_on=date(2025, 6, 1),
            state=state,
        )
    Comment.objects.create(recommendation=recommendation, text="When will it pass?")
    Comment.objects.create(
        measure=measure, text="The training reached few women judges.", state="approved"
    )
    Notification.objects.get_or_create(
        user=secretariat, key="page-data", defaults={"kind": "due", "message": "Due soon"}
    )
    published = ProgressReport.objects.create(
        measure=measure,
        institution=lead,
        period="2024",
        narrative="The curriculum was written.",
        state=ReportState.PUBLISHED,
    )
    ProgressStep.objects.create(
        report=published,
        action=StepAction.PUBLISH,
        from_state=ReportState.ACCEPTED,
        to_state=ReportState.PUBLISHED,
        actor=secretariat,
    )
    return report, published
