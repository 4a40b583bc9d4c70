"""The journeys of the roles not walked elsewhere, in English and in Arabic, with the keyboard
where a person would use it: the secretariat clusters a recommendation, makes a plan with a
measure addressing it and adopts the plan; the NHRI writes and publishes its assessment; a
development partner records the support it gives; an anonymous visitor finds the published
progress and the assessment on the portal and downloads the open data. Screenshots of a failure
are kept (``screenshot_on_failure``)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from plans.models import (
    Assessment,
    AssessmentState,
    ImplementationPlan,
    PlanState,
    Rating,
    ReportState,
    SupportProject,
)
from recommendations.models import Cluster
from tests.e2e.browser_checks import switch_language
from tests.e2e.test_progress_flow import as_person
from tests.factories.plans import MeasureFactory, PlanFactory, ProgressReportFactory
from tests.factories.recommendations import RecommendationFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("screenshot_on_failure"),
]

LANGUAGES = [("en", "ltr"), ("ar", "rtl")]


def become(page: Page, base: str, user, language: str) -> None:
    """Take ``user``'s session (none: anonymous), keeping the language the person chose."""
    as_person(page, base, user)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )


def press(page: Page, selector: str) -> None:
    """Reach a link or button and press Enter, as a keyboard user does."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    target.focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_the_secretariat_clusters_plans_and_adopts(
    page: Page, live_server, secretariat, ministry_a, language: str, direction: str
) -> None:
    base = live_server.url
    recommendation = RecommendationFactory(text="Guarantee access to legal aid in detention.")
    as_person(page, base, secretariat)

    # A cluster, made on the clusters page.
    page.goto(f"{base}/recommendations/clusters/")
    if language != "en":
        switch_language(page, language)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    page.locator("#id_code").fill("JUS")
    page.locator("#id_name").fill("Justice")
    page.locator("#id_name").press("Enter")
    expect(page.locator("main")).to_contain_text("Justice")
    cluster = Cluster.objects.get(code="JUS")

    # The recommendation goes into it, from the recommendation's page.
    page.goto(f"{base}/recommendations/{recommendation.pk}/")
    page.locator("#id_cluster").select_option(str(cluster.pk))
    press(page, "#national button[type=submit]")
    expect(page.locator("#id_cluster")).to_have_value(str(cluster.pk))
    recommendation.refresh_from_db()
    assert recommendation.cluster_id == cluster.pk

    # A plan, a measure addressing the recommendation, the adoption.
    page.goto(f"{base}/plans/new/")
    page.locator("#id_title").fill("Action plan 2026-2030")
    page.locator("#id_starts_on").fill("2026-01-01")
    page.locator("#id_ends_on").fill("2030-12-31")
    page.locator("#id_ends_on").press("Enter")
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    plan = ImplementationPlan.objects.get(title="Action plan 2026-2030")
    assert plan.state == PlanState.DRAFT
    press(page, f"main a[href$='/plans/{plan.pk}/measures/new/']")
    expect(page).to_have_url(f"{base}/plans/{plan.pk}/measures/new/")
    page.locator("#id_title").fill("Open legal aid desks in every prison")
    page.locator("#id_recommendations").select_option(str(recommendation.pk))
    page.locator("#id_lead_institution").select_option(str(ministry_a.pk))
    page.locator("#id_starts_on").fill("2026-03-01")
    page.locator("#id_ends_on").fill("2027-12-31")
    press(page, "main form[method=post] button[type=submit]:not([name])")
    expect(page).not_to_have_url(f"{base}/plans/{plan.pk}/measures/new/")
    measure = plan.measures.get()
    assert list(measure.recommendations.all()) == [recommendation]
    assert measure.lead_institution == ministry_a

    page.goto(f"{base}/plans/{plan.pk}/")
    press(page, f"main a[href$='/plans/{plan.pk}/adopt/']")
    expect(page).to_have_url(f"{base}/plans/{plan.pk}/adopt/")
    press(page, "main form[method=post] button[type=submit]")
    expect(page).to_have_url(f"{base}/plans/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.state == PlanState.ADOPTED
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_the_nhri_assesses_a_partner_supports_and_the_public_finds_it(
    page: Page, live_server, nhri, partner, ministry_a, language: str, direction: str
) -> None:
    base = live_server.url
    recommendation = RecommendationFactory(text="Ratify the Optional Protocol to the Convention.")
    measure = MeasureFactory(
        plan=PlanFactory(adopted=True),
        lead_institution=ministry_a,
        title="Draft the ratification bill",
        recommendations=[recommendation],
    )
    ProgressReportFactory(
        measure=measure,
        narrative="The ratification bill was tabled in parliament.",
        state=ReportState.PUBLISHED,
        published_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    follow_up = f"{base}/progress/recommendations/{recommendation.pk}/"

    # The NHRI writes its assessment as a draft, then publishes it.
    as_person(page, base, nhri)
    page.goto(follow_up)
    if language != "en":
        switch_language(page, language)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    page.locator("#id_rating").select_option(Rating.PARTIALLY)
    page.locator("#id_summary").fill("The bill is tabled; it is not adopted yet.")
    page.locator("#id_evidence").fill("Parliament's order paper, February 2026.")
    press(page, "form:has(input[name=form][value=assessment]) button[type=submit]")
    press(page, "form:has(input[name=form][value=publish-assessment]) button[type=submit]")
    expect(page.locator("form:has(input[value=publish-assessment])")).to_have_count(0)
    assessment = Assessment.objects.get()
    assert (assessment.state, assessment.rating) == (AssessmentState.PUBLISHED, Rating.PARTIALLY)

    # A development partner records the support it gives, from the support page.
    become(page, base, partner, language)
    page.goto(f"{base}/progress/support/")
    press(page, "main a[href$='/progress/support/new/']")
    expect(page).to_have_url(f"{base}/progress/support/new/")
    page.locator("#id_title").fill("Treaty ratification assistance")
    page.locator("#id_amount").fill("25000")
    page.locator("#id_currency").fill("eur")
    page.locator("#id_starts_on").fill("2026-01-01")
    page.locator("#id_ends_on").fill("2026-12-31")
    page.locator("#id_recommendations").select_option(str(recommendation.pk))
    page.locator("#id_measures").select_option(str(measure.pk))
    press(page, "main form[method=post] button[type=submit]")
    expect(page).to_have_url(f"{base}/progress/support/")
    projects = page.locator("section[aria-labelledby=projects-heading]")
    expect(projects).to_contain_text("Treaty ratification assistance")
    project = SupportProject.objects.get()
    assert (project.partner_id, project.currency) == (
        partner.memberships.get().institution_id,
        "EUR",
    )
    assert list(project.recommendations.all()) == [recommendation]
    assert list(project.measures.all()) == [measure]

    # An anonymous visitor searches the portal, opens the recommendation and its follow-up...
    become(page, base, None, language)
    page.goto(f"{base}/recommendations/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    search = page.locator("input[name=q]")
    search.fill("Optional Protocol")
    search.press("Enter")
    # The results are swapped in by htmx, which then names the search in the address: a click
    # before that lands on the list being replaced (the only recommendation is listed either way).
    expect(page).to_have_url(re.compile(r"[?&]q=Optional"))
    expect(page.locator("#results article")).to_have_count(1)
    press(page, f"#results article a[href$='/recommendations/{recommendation.pk}/']")
    expect(page).to_have_url(f"{base}/recommendations/{recommendation.pk}/")
    press(page, f"main a[href$='/progress/recommendations/{recommendation.pk}/']")
    expect(page).to_have_url(follow_up)
    expect(page.get_by_text("The bill is tabled; it is not adopted yet.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Draft the ratification bill")
    expect(page.locator("main")).not_to_contain_text("Treaty ratification assistance")

    # ...and downloads the open data, which holds the recommendation.
    page.goto(f"{base}/open-data/")
    link = page.locator("main a[href$='/open-data/recommendations.csv']")
    link.focus()
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    download = caught.value
    assert download.suggested_filename == "recommendations.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any(
        "Ratify the Optional Protocol" in (value or "") for row in rows for value in row.values()
    )
