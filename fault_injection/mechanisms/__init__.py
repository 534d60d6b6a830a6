"""Real faults, next to the simulated ones of :mod:`fault_injection.injector`.

Each mechanism makes the operating system itself fail the recorder, and each is usable from Python
(a context manager or a command builder) and from the command line (``python -m fault_injection
<mechanism> ... -- COMMAND``). Each says clearly when it cannot run here: ``unavailable_reason()``
returns a sentence such as "needs root (running as uid 1000)" or None when it can run, and the
Python API raises :class:`~fault_injection.errors.MechanismUnavailable` with that sentence.

============  ==========================================  ============================
mechanism     real fault                                  needs
============  ==========================================  ============================
tmpfs         ENOSPC: a small tmpfs mounted for the run   root, ``mount``
privileges    EACCES: run as nobody via ``setpriv``       root, ``setpriv``
rlimit        EFBIG: ``RLIMIT_FSIZE`` (SIGXFSZ ignored)   Linux/POSIX ``resource``
readonly      EROFS: a read-only bind mount               root, ``mount``
sigint        a real SIGINT raised at a seam              the main thread
strace        any errno at any syscall, any program       ``strace`` and ptrace
============  ==========================================  ============================
"""

from __future__ import annotations

from fault_injection.mechanisms import privileges, readonly, rlimit, sigint, strace, tmpfs

MECHANISMS = {
    "tmpfs": tmpfs,
    "privileges": privileges,
    "rlimit": rlimit,
    "readonly": readonly,
    "sigint": sigint,
    "strace": strace,
}


def availability() -> dict[str, str | None]:
    """Each mechanism's name with the reason it cannot run here (None: it can)."""
    return {name: module.unavailable_reason() for name, module in MECHANISMS.items()}
