"""Size limits for one encoded value (:class:`EncodeLimits`).

The encoder runs for every visible variable at every line step, so a single value must never cost
more than a bounded amount of time and trace space, whatever the program keeps in its variables.
The limits here bound the *shape* of the produced record; what gets cut is always marked in the
record itself (see :mod:`recorder.values` for the marker formats).
"""

from __future__ import annotations

from recorder.errors import ErrorCode, usage
from recorder.structs import field_names, struct

#: A marker suffix (``"… <+12345 chars>"``) or big-int summary adds at most this many characters
#: beyond ``max_text``. Consumers and tests use it as the slack when checking text sizes.
MARKER_SLACK = 40


@struct(frozen=True, slots=True)
class EncodeLimits:
    """Bounds applied to every value the encoder produces.

    ``max_depth``: how many container levels are expanded. The value itself is at depth 0; a
    container found at depth ``max_depth`` is replaced by a one-line summary marker.
    ``max_elements``: elements (or dict entries) shown per container; the rest is summarised by one
    trailing marker element.
    ``max_text``: characters kept from a string, a ``repr`` or a big integer's decimal text.
    ``max_nodes``: records produced for one top-level value in total, so that wide *and* deep values
    (64 ** 4 leaves at the default depth and width) stay bounded; when the budget runs out, the
    remaining elements of each open container are summarised by its trailing marker.
    """

    # The defaults keep traces of real programs usable (measured with their site-packages traced:
    # pygments' HTML formatter on a 1 KB file wrote 943 MB with 4/64/1000/512, 143 MB with these;
    # markdown 101 MB and 14 MB), while every visible variable is still there at every step.
    max_depth: int = 2
    max_elements: int = 10
    max_text: int = 160
    max_nodes: int = 40

    def __post_init__(self) -> None:
        # Limits come from configuration: a bad one is the caller's mistake, reported as usage.
        for name in field_names(self):
            value = getattr(self, name)
            minimum = 0 if name == "max_depth" else 1
            if type(value) is not int or value < minimum:
                raise usage(
                    ErrorCode.INVALID_ARGUMENT,
                    f"EncodeLimits.{name} must be an int >= {minimum}",
                    field=name,
                    value=repr(value),
                )
