"""Consultations on the plan (who took part, on which recommendations) and their documents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from plans import documents, policies
from plans.models import Consultation, ConsultationDocument
from tracker.audit import audited
from tracker.models import User

from ._common import _assign, _ids, _invalid, _save, _set_links, _split, _validate

CONSULTATION_FIELDS = ("held_on", "title", "summary")
CONSULTATION_LINKS = ("participants", "recommendations")


def _check(consultation: Consultation, links: dict[str, Any], changed: list[str] | None) -> None:
    if "participants" in links and not _ids(links["participants"]):
        raise _invalid({"participants": [_("Name at least one participating institution.")]})
    _validate(consultation, only=changed)


@audited
@transaction.atomic
def consultation_create(
    *,
    actor: User | None,
    held_on: date,
    title: str,
    participants: Iterable[Any],
    recommendations: Iterable[Any] = (),
    summary: str = "",
) -> Consultation:
    """Record a consultation: its date, title, the participating institutions (ministries, the
    NHRI, civil society; objects or ids), the recommendations discussed and a summary.

    Raises ``PermissionDenied`` unless the secretariat asks, ``ApplicationError`` with the fields
    for a value it refuses (no participant, say).
    """
    if actor is not None:
        policies.ensure_can_edit_consultation(actor)
    consultation = Consultation(held_on=held_on, title=title.strip(), summary=summary.strip())
    links = {"participants": list(participants), "recommendations": list(recommendations)}
    _check(consultation, links, None)
    consultation.save()
    _set_links(consultation, links)
    return consultation


@audited
@transaction.atomic
def consultation_update(
    *, actor: User | None, consultation: Consultation, **changes: Any
) -> Consultation:
    """Change a consultation (``CONSULTATION_FIELDS``, ``CONSULTATION_LINKS``); only what differs
    is written. Errors as for ``consultation_create``."""
    if actor is not None:
        policies.ensure_can_edit_consultation(actor, consultation)
    fields, links = _split(changes, CONSULTATION_FIELDS, CONSULTATION_LINKS)
    for name in ("title", "summary"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    changed = _assign(consultation, fields)
    _check(consultation, links, changed)
    _save(consultation, changed)
    _set_links(consultation, links)
    return consultation


def _delete_files_on_commit(names: list[str]) -> None:
    storage = ConsultationDocument._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@audited
@transaction.atomic
def consultation_delete(*, actor: User | None, consultation: Consultation) -> None:
    """Delete a consultation with its documents (their files go once the deletion is committed).
    Raises ``PermissionDenied`` unless the secretariat asks."""
    if actor is not None:
        policies.ensure_can_edit_consultation(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    names = [name for name in consultation.documents.values_list("file", flat=True) if name]
    consultation.delete()
    _delete_files_on_commit(names)


def _safe_stem(name: str) -> str:
    stem = unicodedata.normalize("NFKC", PurePath(name or "document").stem)
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.")
    return (stem or "document")[:100]


@audited
@transaction.atomic
def consultation_document_add(
    *, actor: User | None, consultation: Consultation, file: UploadedFile, title: str = ""
) -> ConsultationDocument:
    """Keep a document of a consultation (minutes, a submission): PDF, Word, Excel, OpenDocument
    text, PNG or JPEG, told from its content, up to ``plans.documents.max_bytes()``. It is stored
    under a name of its own (the original name's stem and the extension of its real type) in a
    random directory, and served only to those who may read the consultation. ``title``
    defaults to the file's name.

    Raises ``PermissionDenied`` unless the secretariat asks, ``ApplicationError`` with the
    ``file`` field for a file too large or of a type not accepted.
    """
    if actor is not None:
        policies.ensure_can_edit_consultation(actor, consultation)
    limit = documents.max_bytes()
    if file.size is None or file.size > limit:
        raise _invalid({"file": [_("The file is larger than %s.") % filesizeformat(limit)]})
    if file.size == 0:
        raise _invalid({"file": [_("The file is empty.")]})
    kind = documents.sniff(file)
    if kind is None:
        accepted = ", ".join(t.label for t in documents.ACCEPTED)
        raise _invalid({"file": [_("This type of file is not accepted: %s only.") % accepted]})
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    name = f"{_safe_stem(file.name or '')}.{kind.extension}"
    document = ConsultationDocument(
        consultation=consultation,
        title=(title.strip() or PurePath(file.name or name).name)[:300],
        content_type=kind.content_type,
        size=file.size,
    )
    _validate(document, only=["title"])
    document.file.save(name, file, save=False)
    try:
        document.save()
    except BaseException:
        # No row names the stored file: it goes too.
        document.file.storage.delete(document.file.name or "")
        raise
    return document


@audited
@transaction.atomic
def consultation_document_delete(*, actor: User | None, document: ConsultationDocument) -> None:
    """Delete a document of a consultation; its file goes once the deletion is committed.
    Raises ``PermissionDenied`` unless the secretariat asks."""
    if actor is not None:
        policies.ensure_can_edit_consultation(actor, document.consultation)
    document = ConsultationDocument.objects.select_for_update().get(pk=document.pk)
    name = document.file.name
    document.delete()
    if name:
        _delete_files_on_commit([name])
