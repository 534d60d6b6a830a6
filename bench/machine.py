"""What the report says about the machine and the software a run measured."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from ``/proc/cpuinfo`` (or what ``platform`` knows elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor() or "unknown"


def memory_total() -> str:
    """Total RAM as ``23.5 GiB``, from ``/proc/meminfo``."""
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            kib = int(line.split()[1])
            return f"{kib / 1024 / 1024:.1f} GiB"
    return "unknown"


def load_average() -> str:
    """The 1-minute load average when the run started (other work on a shared machine)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def now_utc() -> str:
    """The current time, ISO 8601 in UTC, to the second."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe() -> dict[str, str]:
    """Machine facts for the report header."""
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count() or "unknown"),
        "memory": memory_total(),
        "os": f"{platform.system()} {platform.release()}",
        "load": load_average(),
    }
