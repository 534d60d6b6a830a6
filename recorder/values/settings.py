"""How values are recorded: the value mode and the size budgets, from flags, API and environment.

``ValueSettings`` is one frozen value per session, resolved like the policy: environment variables
first, explicit arguments (command-line flags, API keywords) win; a bad value is a usage error
naming the variable. It is written into the trace metadata, so a trace says how its values were
cut.

==========================  ==============================  ======================================
setting                     flag / API keyword              environment variable
==========================  ==============================  ======================================
value mode                  ``--value-repr {safe,repr}``    ``CODETRACER_VALUE_REPR``
records per value           ``--max-value-nodes N``         ``CODETRACER_MAX_VALUE_NODES``
characters per text         ``--max-value-text N``          ``CODETRACER_MAX_VALUE_TEXT``
elements per container      ``--max-value-elements N``      ``CODETRACER_MAX_VALUE_ELEMENTS``
container depth             ``--max-value-depth N``         ``CODETRACER_MAX_VALUE_DEPTH``
==========================  ==============================  ======================================

``safe`` (the default) runs none of the program's code to record a value; ``repr`` calls
``repr()`` on objects the encoder does not know, which can change what the program does (see the
README).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from recorder.errors import ErrorCode, usage
from recorder.structs import as_dict, struct
from recorder.structs import field as struct_field
from recorder.values.limits import EncodeLimits

__all__ = ["ENV_VARS", "VALUE_MODES", "ValueSettings", "resolve_value_settings"]

VALUE_MODES: tuple[str, ...] = ("safe", "repr")

#: setting -> environment variable
ENV_VARS: dict[str, str] = {
    "value_repr": "CODETRACER_VALUE_REPR",
    "max_nodes": "CODETRACER_MAX_VALUE_NODES",
    "max_text": "CODETRACER_MAX_VALUE_TEXT",
    "max_elements": "CODETRACER_MAX_VALUE_ELEMENTS",
    "max_depth": "CODETRACER_MAX_VALUE_DEPTH",
}


@struct(frozen=True)
class ValueSettings:
    """The value mode and the per-value budgets (:class:`EncodeLimits`)."""

    value_repr: str = "safe"
    limits: EncodeLimits = struct_field(default_factory=EncodeLimits)

    @property
    def runs_repr(self) -> bool:
        return self.value_repr == "repr"

    def to_json(self) -> dict[str, object]:
        return {"value_repr": self.value_repr, **as_dict(self.limits)}


def _number(source: str, value: object, minimum: int) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < minimum:
        raise usage(ErrorCode.INVALID_ARGUMENT,
                    f"{source} must be a whole number >= {minimum}, not {value!r}",
                    variable=source, value=str(value))
    return int(text)


def resolve_value_settings(
    env: Mapping[str, str] | None = None, **overrides: object,
) -> ValueSettings:
    """Settings from ``env`` (default ``os.environ``); ``overrides`` (None: not given) win."""
    environ = os.environ if env is None else env
    given: dict[str, tuple[str, object]] = {}
    for field, var in ENV_VARS.items():
        if environ.get(var, "") != "":
            given[field] = (var, environ[var])
    for field, value in overrides.items():
        if field not in ENV_VARS:
            raise usage(ErrorCode.INVALID_ARGUMENT, f"unknown value setting {field!r}",
                        accepted=", ".join(ENV_VARS))
        if value is not None:
            flag = "--value-repr" if field == "value_repr" else "--" + field.replace(
                "max_", "max-value-")
            given[field] = (flag, value)
    mode = "safe"
    if "value_repr" in given:
        source, value = given.pop("value_repr")
        mode = str(value).strip().lower()
        if mode not in VALUE_MODES:
            raise usage(ErrorCode.INVALID_ARGUMENT,
                        f"{source} must be 'safe' or 'repr', not {value!r}",
                        variable=source, value=str(value))
    numbers = {field: _number(source, value, 0 if field == "max_depth" else 1)
               for field, (source, value) in given.items()}
    return ValueSettings(mode, EncodeLimits(**numbers))
