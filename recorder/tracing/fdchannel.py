"""The channel that stands in for file descriptor 1 and/or 2 while ``proxies+fd`` records.

:func:`open_channels` looks at what fd 1 and fd 2 are and makes, for each, the channel the
program will write into instead:

* a **pty** when the original is a terminal: its window size and termios are copied so
  ``isatty()``, ``os.get_terminal_size()``, colours and C line buffering behave as before. Output
  post-processing (``OPOST``, e.g. ``\\n`` to ``\\r\\n``) is switched off on the inner terminal
  only, so it happens once, on the real terminal, and the bytes that reach it are the untraced
  ones;
* a **pipe** otherwise (a file, a pipe, ``/dev/null``, a socket);
* **one channel for both** when fd 1 and fd 2 are one open file description (``2>&1``, or the
  terminal a shell opened once): their relative order is kept. Sharing is recognised by the same
  device and inode, and for a regular file also the same offset and status flags (a heuristic:
  the kernel does not tell a process portably).

A descriptor that is not open is left alone (writes to it fail as they would untraced).
:meth:`Channel.install` points the fds at the channel; :meth:`Channel.restore` puts the originals
back. Every descriptor made here is non-inheritable except fds 1/2 themselves, so a child the
program starts inherits the channel exactly as it would have inherited the originals.
"""

from __future__ import annotations

import contextlib
import os
import stat

from recorder.structs import field, struct

__all__ = ["Channel", "open_channels"]


@struct()
class Channel:
    """One redirected destination: ``targets`` (1, 2 or both) now write into ``write_fd``.

    ``read_fd`` is the recorder's end; ``saved_fd`` a duplicate of the original descriptor, where
    every byte read is forwarded. ``kind``/``name`` say how unattributed bytes are recorded
    (stdout when the channel carries both streams).
    """

    targets: tuple[int, ...]
    read_fd: int
    write_fd: int
    saved_fd: int
    is_pty: bool
    installed: bool = False
    closed: list[int] = field(default_factory=list)
    identity: tuple[int, int] | None = None  # (device, inode) of the write end

    @property
    def kind(self) -> int:
        return 0 if 1 in self.targets else 2

    @property
    def name(self) -> str:
        return "stdout" if 1 in self.targets else "stderr"

    def install(self) -> None:
        """Point the target fds at the channel (inheritable, as 1 and 2 always are)."""
        info = os.fstat(self.write_fd)
        self.identity = (info.st_dev, info.st_ino)
        for target in self.targets:
            os.dup2(self.write_fd, target)
        self.installed = True
        # Only fds 1/2 keep the write end open now: the reader sees EOF once they are restored
        # and every child holding a copy has ended.
        self._close(self.write_fd)

    def restore(self) -> None:
        """Point the target fds back at the originals; idempotent.

        A target the program has pointed elsewhere meanwhile (``dup2`` over fd 1, ``close``) is
        left as the program made it.
        """
        if self.installed:
            self.installed = False
            for target in self.targets:
                if self._still_ours(target):
                    os.dup2(self.saved_fd, target)

    def _still_ours(self, target: int) -> bool:
        try:
            info = os.fstat(target)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self.identity

    def close_all(self) -> None:
        """Release the recorder's descriptors (after the reader ended or was given up)."""
        for fd in (self.write_fd, self.read_fd, self.saved_fd):
            self._close(fd)

    def _close(self, fd: int) -> None:
        if fd not in self.closed:
            self.closed.append(fd)
            with contextlib.suppress(OSError):
                os.close(fd)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _shared(a: int, b: int) -> bool:
    """Whether fds ``a`` and ``b`` look like one open file description (module docstring)."""
    sa, sb = os.fstat(a), os.fstat(b)
    if (sa.st_dev, sa.st_ino) != (sb.st_dev, sb.st_ino):
        return False
    if not stat.S_ISREG(sa.st_mode):
        return True
    import fcntl

    try:
        same_offset = os.lseek(a, 0, os.SEEK_CUR) == os.lseek(b, 0, os.SEEK_CUR)
        return same_offset and fcntl.fcntl(a, fcntl.F_GETFL) == fcntl.fcntl(b, fcntl.F_GETFL)
    except OSError:
        return False


def _copy_terminal(original: int, inner: int) -> None:
    """Window size and termios of ``original`` onto the pty slave ``inner`` (best effort)."""
    import fcntl
    import termios

    with contextlib.suppress(OSError, termios.error):
        attrs = termios.tcgetattr(original)
        attrs[1] &= ~termios.OPOST  # post-processing happens once, on the real terminal
        termios.tcsetattr(inner, termios.TCSANOW, attrs)
    with contextlib.suppress(OSError):
        size = fcntl.ioctl(original, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(inner, termios.TIOCSWINSZ, size)


def _channel(targets: tuple[int, ...]) -> Channel:
    original = targets[0]
    saved = os.dup(original)  # non-inheritable: children get fds 1/2, never this one
    made: Channel | None = None
    try:
        if os.isatty(original):
            read_fd, write_fd = os.openpty()
            made = Channel(targets, read_fd, write_fd, saved, is_pty=True)
            _copy_terminal(original, write_fd)
        else:
            read_fd, write_fd = os.pipe()
            made = Channel(targets, read_fd, write_fd, saved, is_pty=False)
    finally:
        if made is None:
            os.close(saved)
    return made


def open_channels() -> list[Channel]:
    """The channels for fds 1 and 2 (not installed yet); see the module docstring."""
    open_fds = [fd for fd in (1, 2) if _is_open(fd)]
    if len(open_fds) == 2 and _shared(1, 2):
        return [_channel((1, 2))]
    channels: list[Channel] = []
    done = False
    try:
        for fd in open_fds:
            channels.append(_channel((fd,)))
        done = True
    finally:
        if not done:
            for channel in channels:
                channel.close_all()
    return channels
