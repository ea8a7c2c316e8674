"""Load, validate and compile a policy: rejected whole, with every problem named by key path.

A user's policy file is laid over the shipped default (``default_policy.yaml``): mappings
merge key by key, lists and scalars replace, and ``null`` removes a shipped entry. The
version is a content hash of the *effective* document, so reformatting a file or restating a
default does not change it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from fairlane.errors import FieldProblem, PolicyInvalid
from fairlane.policy.compile import compile_document
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.conditions import suggest
from fairlane.policy.schema import PolicyDocument

__all__ = ["default_policy", "load_policy", "load_policy_text", "shipped_default_mapping"]


def shipped_default_mapping() -> dict[str, Any]:
    text = resources.files("fairlane.policy").joinpath("default_policy.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


_DEFAULT: CompiledPolicy | None = None


def default_policy() -> CompiledPolicy:
    """The shipped policy (cached: it is immutable)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_policy_text("", source="(shipped default)")
    return _DEFAULT


def load_policy(path: Path) -> CompiledPolicy:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise PolicyInvalid(f"Policy file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise PolicyInvalid(f"Policy file {path} is not UTF-8 text (byte {exc.start}).") from exc
    return load_policy_text(text, source=str(path))


def load_policy_text(text: str, *, source: str = "(policy)") -> CompiledPolicy:
    """Parse YAML ``text`` over the shipped default; raise PolicyInvalid naming every problem."""
    overlay = _parse_yaml(text, source)
    merged = _merge(shipped_default_mapping(), overlay)
    try:
        document = PolicyDocument.model_validate(merged)
    except ValidationError as exc:
        raise PolicyInvalid(
            f"{source} is not a valid policy; nothing was applied.", _problems_from(exc)
        ) from None
    version = content_version(document)
    compiled, problems = compile_document(document, version)
    if compiled is None:
        raise PolicyInvalid(f"{source} is not a valid policy; nothing was applied.", problems)
    return compiled


def content_version(document: PolicyDocument) -> str:
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def _parse_yaml(text: str, source: str) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise PolicyInvalid(
            f"{source} is not valid YAML{where}: {problem}.",
            [
                FieldProblem(
                    (), f"YAML syntax{where}: {problem}", line=mark.line + 1 if mark else None
                )
            ],
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise PolicyInvalid(
            f"{source} must be a YAML mapping of sections (sla:, vip:, ...).",
            [FieldProblem((), "the document must be a mapping")],
        )
    return loaded


def _merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if value is None and key in merged:
            del merged[key]
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _problems_from(exc: ValidationError) -> list[FieldProblem]:
    problems = []
    for error in exc.errors():
        location = tuple(error["loc"])
        hint = None
        if error["type"] == "extra_forbidden":
            hint = suggest(str(location[-1]), _known_keys(location[:-1]))
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        message = message.removeprefix("Value error, ")
        problems.append(FieldProblem(location, message, suggestion=hint))
    return problems


def _known_keys(location: tuple[Any, ...]) -> list[str]:
    """Field names of the model found at ``location`` in the document schema."""
    node: Any = PolicyDocument
    for part in location:
        node = _step(node, part)
        if node is None:
            return []
    node = _unwrap_optional(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _step(node: Any, part: Any) -> Any:
    node = _unwrap_optional(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        field = node.model_fields.get(str(part))
        return None if field is None else field.annotation
    origin = typing.get_origin(node)
    args = typing.get_args(node)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None


def _unwrap_optional(node: Any) -> Any:
    if typing.get_origin(node) is typing.Annotated:
        node = typing.get_args(node)[0]
    args = typing.get_args(node)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _unwrap_optional(rest[0])
    return node
