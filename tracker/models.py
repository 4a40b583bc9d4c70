"""Identity, institutions, memberships and countries: the shared core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.settings import CONSTANTS as KNOX

from . import audit
from .languages import localized
from .roles import Role

if TYPE_CHECKING:
    from collections.abc import Iterable


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


@audit.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person (or a service account) who signs in. Rights come from memberships, not from the row."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    def roles(self) -> set[str]:
        """The roles this user holds in any institution (cached on the instance)."""
        cached: set[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(self.memberships.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles().intersection(roles))

    def institution_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        qs = self.memberships.all()
        if roles is not None:
            qs = qs.filter(role__in=list(roles))
        return set(qs.values_list("institution_id", flat=True))


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or government agency")
    PARLIAMENT = "parliament", _("Parliament")
    JUDICIARY = "judiciary", _("Judiciary")
    INDEPENDENT_BODY = "independent_body", _("Independent State body")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    NHRI = "nhri", _("National human rights institution")
    CSO = "cso", _("Civil society organisation")
    DEVELOPMENT_PARTNER = "development_partner", _("Development partner")
    UN_ENTITY = "un_entity", _("United Nations entity")
    SECRETARIAT = "secretariat", _("NMRF secretariat")


@audit.track()
class Institution(TimeStampedModel):
    """A body that takes part in follow-up: a ministry that implements, an NHRI that assesses, ..."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="institution_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


@audit.track()
class Membership(TimeStampedModel):
    """A user's role in one institution. The institution gives the scope of the role."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.institution}"


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    GRULAC = "grulac", _("Latin American and Caribbean States")
    WEOG = "weog", _("Western European and other States")


class Country(models.Model):
    """A State (ISO 3166-1), as reviewed by the UPR or recommending in it."""

    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, blank=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per UN language code."))
    regional_group = models.CharField(
        _("UN regional group"), max_length=32, choices=RegionalGroup.choices, blank=True
    )
    is_un_member = models.BooleanField(_("UN Member State"), default=False)

    class Meta:
        ordering = ["iso3"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.iso3


class DemoRecord(models.Model):
    """A row that ``load_demo_data`` created, of any model: ``load_demo_data --reset`` deletes
    exactly the rows listed here, and nothing else. Written by the demo steps (``tracker.demo``).

    One table for every model, rather than a flag on each: the demo grows with each app (plans,
    measures, reports) without a column and a migration per model, and real rows stay free of
    demo bookkeeping. Rows of models with integer primary keys only.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("model"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField(_("row id"))
    step = models.CharField(_("demo step"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo data row")
        verbose_name_plural = _("demo data rows")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="demo_record_unique_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} ({self.step})"


class ApiKeyScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiKey(models.Model):
    """A key for the REST API (django-rest-knox): only its hash is stored (``digest``), with the
    first characters (``token_key``) to find it. It acts as its user, a person or a service
    account with its memberships, and sees exactly what that user sees; a ``read`` key never
    writes. Made and revoked by the secretariat (``tracker.services.api_key_create``); revoking
    deletes the row, so a revoked key matches nothing.

    The first five fields are those of knox's ``AbstractAuthToken`` (``KNOX_TOKEN_MODEL`` names
    this model), written out so that they are typed.
    """

    digest = models.CharField(max_length=KNOX.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(
        max_length=KNOX.MAXIMUM_TOKEN_PREFIX_LENGTH + KNOX.TOKEN_KEY_LENGTH, db_index=True
    )
    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="auth_token_set"
    )
    created = models.DateTimeField(_("made"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiKeyScope.choices)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key})"
