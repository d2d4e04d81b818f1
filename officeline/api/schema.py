"""OpenAPI post-processing: every operation documents the error answers it can give."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Stable error code the client can act on."},
        "message": {"type": "string", "description": "What is wrong, naming the field."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
ERROR_ANSWERS = {
    "400": "The input is not valid; `errors` names each field.",
    "401": "No valid credentials.",
    "403": "Not allowed for this user.",
    "404": "No such object (or not yours).",
    "405": "Method not allowed.",
    "406": "The requested format cannot be given.",
    "415": "The body is in a format the API does not read (send JSON).",
    "429": "Too many requests.",
}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_ANSWERS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
