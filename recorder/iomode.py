"""The I/O capture modes and every spelling of them that is accepted: the one place they live.

Three modes (``--io-capture``, ``CODETRACER_CAPTURE_IO``, the API's ``io_capture=``):

* ``off``: no ``Event`` for stdout, stderr or stdin;
* ``proxies`` (the default): the ``sys.stdout``/``sys.stderr``/``sys.stdin`` proxies of
  :mod:`recorder.tracing.streams`;
* ``proxies+fd``: the proxies, and file descriptors 1 and 2 redirected through a channel
  (:mod:`recorder.tracing.fdcapture`), so writes that bypass ``sys.stdout`` are recorded too.

``CODETRACER_CAPTURE_IO`` takes what ``codetracer-python-recorder`` 0.3.0 takes, in any case and
with blanks around: an empty value (the default), ``0/off/false/disable/disabled/none``,
``1/on/true/enable/enabled`` (proxies), or tokens joined by ``,`` or ``+``: ``proxies``/``proxy``
and ``fd``/``mirror``/``fallback`` (fd capture always comes with the proxies). Anything else is
``ERR_INVALID_POLICY_VALUE``. Whoever maps another configuration (a trace filter's ``[io]``
section) onto this setting calls :func:`parse_io_capture`.
"""

from __future__ import annotations

from recorder.errors import ErrorCode, usage

__all__ = ["DEFAULT_IO_CAPTURE", "IO_CAPTURE_MODES", "OFF", "PROXIES", "PROXIES_FD",
           "parse_io_capture"]

OFF = "off"
PROXIES = "proxies"
PROXIES_FD = "proxies+fd"
#: The canonical modes (``--io-capture``'s choices), weakest first.
IO_CAPTURE_MODES = (OFF, PROXIES, PROXIES_FD)
DEFAULT_IO_CAPTURE = PROXIES

_OFF_WORDS = frozenset({"0", "off", "false", "disable", "disabled", "none"})
_ON_WORDS = frozenset({"1", "on", "true", "enable", "enabled"})
_PROXY_TOKENS = frozenset({"proxies", "proxy"})
_FD_TOKENS = frozenset({"fd", "mirror", "fallback"})


def parse_io_capture(value: str, source: str = "CODETRACER_CAPTURE_IO") -> str:
    """The canonical mode for ``value`` (see the module docstring); ``source`` names it in errors.

    Raises ``UsageError`` ``ERR_INVALID_POLICY_VALUE`` for a value that is not accepted.
    """
    word = value.strip().lower()
    if not word:
        return DEFAULT_IO_CAPTURE
    if word in _OFF_WORDS:
        return OFF
    if word in _ON_WORDS:
        return PROXIES
    proxies = fd = False
    for token in word.replace("+", ",").split(","):
        token = token.strip()
        if token in _PROXY_TOKENS:
            proxies = True
        elif token in _FD_TOKENS:
            fd = True
        elif token:
            raise usage(
                ErrorCode.INVALID_POLICY_VALUE,
                f"{source} does not accept {value!r}: use off, proxies or proxies+fd (also "
                "0/1, on/off, and proxies,fd)", variable=source, value=value)
    if fd:
        return PROXIES_FD
    if proxies:
        return PROXIES
    raise usage(ErrorCode.INVALID_POLICY_VALUE,
                f"{source} must enable proxies or fd, not {value!r}",
                variable=source, value=value)
