"""The API's schema tells the truth about errors and sign-in (drf-spectacular).

- ``AutoSchema``: an operation that an anonymous client may call (its permissions let an anonymous
  request through) lists no-authentication (``{}``) among its security requirements, so clients
  and tools know that a key is optional there.
- ``error_responses`` (a post-processing hook): every operation documents the errors the API
  answers with, in the one error shape (``Error``): 400 (bad parameters or body), 401 (a wrong,
  expired or revoked key), 403 (not allowed), 404 (no such object, or a page past the end),
  409 (a conflict, such as a change to an adopted plan) on writes, 412 (a stale ``If-Match``)
  where a write may send one, 413 (a body past the upload limit) on uploads, and 429 (past the
  request limit, with ``Retry-After``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

ERROR = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "message": {"type": "string", "description": "What went wrong, for a person."},
        "extra": {
            "type": "object",
            "description": "Details: `fields` maps each field or parameter to its errors.",
            "properties": {
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                }
            },
            "additionalProperties": True,
        },
    },
    "required": ["message", "extra"],
}

DESCRIPTIONS = {
    "400": "Bad parameters or body: `extra.fields` names each one with its errors.",
    "401": "The API key is unknown, expired or revoked.",
    "403": "Not allowed for this account or key (a read key never writes).",
    "404": "No such object, or not visible to this account; or a page past the end.",
    "409": "The change conflicts with the object's state (e.g. an adopted plan is frozen).",
    "412": "The object changed since the version named by If-Match.",
    "413": "The body is larger than the upload limit.",
    "429": "Too many requests: wait the seconds of Retry-After.",
}
WRITES = {"post", "put", "patch", "delete"}
NO_NUL = "^[^\\u0000]*$"


class _AnonymousRequest:
    user = AnonymousUser()
    auth = None
    query_params: dict[str, str] = {}

    def __init__(self, method: str) -> None:
        self.method = method


class AutoSchema(BaseAutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        if {} not in auths and self._anonymous_may_call():
            auths.append({})
        return auths

    def _anonymous_may_call(self) -> bool:
        request = _AnonymousRequest(self.method)
        try:
            return all(
                permission.has_permission(request, self.view)  # type: ignore[arg-type]
                for permission in self.view.get_permissions()
            )
        except Exception:
            return False


def _json(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Add the error responses and the ``Error`` component to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "array":
                    schema = schema.get("items", {})
                if schema.get("type") == "string" and not (
                    {"enum", "format", "pattern"} & set(schema)
                ):
                    # Text parameters refuse the NUL character (a 400), as PostgreSQL does.
                    schema["pattern"] = NO_NUL
            codes = ["400", "401", "403", "404", "429"]
            if method in WRITES:
                codes += ["409", "412"]
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                codes.append("413")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _json(DESCRIPTIONS[code]))
            if "429" in responses:
                responses["429"].setdefault(
                    "headers",
                    {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait before asking again.",
                        }
                    },
                )
    return result
