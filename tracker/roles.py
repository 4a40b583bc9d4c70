"""The roles a person can hold in an institution. Roles are data: a Membership row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("NMRF secretariat")
    FOCAL_POINT = "focal_point", _("Institution focal point")
    VALIDATOR = "validator", _("Institution validator")
    NHRI = "nhri", _("National human rights institution")
    CSO = "cso", _("Civil society organisation")
    PARTNER = "partner", _("Development partner")


# Roles that act for a State institution on the implementation plan.
INSTITUTION_ROLES = frozenset({Role.FOCAL_POINT, Role.VALIDATOR})
# Roles independent of the government: they read, comment and assess.
INDEPENDENT_ROLES = frozenset({Role.NHRI, Role.CSO})
