"""The OpenAPI document: FastAPI's own, plus the two things it cannot tell from the code.

- Problem details are sent as `application/problem+json`; FastAPI files every declared response
  model under the route's media type, `application/json`.
- The original routes read their JSON bodies by hand (keys in any case, on a GET too), so FastAPI
  does not see them; `legacy_body` documents each one.
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from services.frontend.schemas import PROBLEM_JSON, Problem

JSON = "application/json"
PROBLEM_SCHEMA = {"$ref": f"#/components/schemas/{Problem.__name__}"}


def install_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _problems_as_problem_json(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problems_as_problem_json(document: dict[str, Any]) -> None:
    for path in document["paths"].values():
        for operation in path.values():
            for response in operation["responses"].values():
                content = response.get("content", {})
                if content.get(JSON, {}).get("schema") == PROBLEM_SCHEMA:
                    content[PROBLEM_JSON] = content.pop(JSON)


def legacy_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """`openapi_extra` for a route that reads `model` from its body by hand; the body may be left
    out when none of its fields is required."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})
    content = {JSON: {"schema": _inlined(schema, definitions)}}
    required = any(field.is_required() for field in model.model_fields.values())
    return {"requestBody": {"required": required, "description": description, "content": content}}


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    # A `$ref` to the model's own `$defs` would point into the OpenAPI document: inline it.
    if isinstance(node, dict):
        if "$ref" in node:
            return _inlined(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inlined(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(value, definitions) for value in node]
    return node
