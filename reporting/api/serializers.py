"""The reporting API's shapes: the committees' follow-up selections."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from plans.api.fields import IdListField
from plans.filters import MAX_ID
from recommendations.models import Document
from recommendations.policies import visible_recommendations
from reporting.models import FollowUpSelection


class FollowUpSelectionSerializer(serializers.ModelSerializer[FollowUpSelection]):
    document_symbol = serializers.CharField(source="document.symbol", read_only=True)
    mechanism = serializers.CharField(source="document.mechanism.code", read_only=True)
    recommendations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    paragraphs = serializers.SerializerMethodField()
    obligation: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = FollowUpSelection
        fields = [
            "id",
            "document",
            "document_symbol",
            "mechanism",
            "recommendations",
            "paragraphs",
            "due_on",
            "notes",
            "obligation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_paragraphs(self, obj: FollowUpSelection) -> list[str]:
        """The selected paragraphs' numbers, in paragraph order."""
        return [r.paragraph for r in obj.recommendations.all()]


class FollowUpSelectionInputSerializer(serializers.Serializer[Any]):
    document = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    recommendations = IdListField(visible_recommendations, allow_empty=False, max_length=500)
    due_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    def validate_document(self, value: int) -> Document:
        from reporting.selectors import treaty_body_documents

        document = treaty_body_documents().filter(pk=value).first()
        if document is None:
            raise serializers.ValidationError(_("No treaty body document with this id."))
        return document


class FollowUpSelectionUpdateSerializer(serializers.Serializer[Any]):
    recommendations = IdListField(visible_recommendations, allow_empty=False, max_length=500)
    due_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
