"""The job worker's lower CPU priority, made to hold on Linux's autogroup scheduler too.

``nice`` alone is not enough on most Linux machines. With autogroup scheduling
(``/proc/sys/kernel/sched_autogroup_enabled``, on by default in desktop and
many server kernels) every session is a scheduling group of its own: the
kernel first shares the CPU fairly between groups and only then, inside a
group, by nice value. A worker started in a session of its own (a systemd
service, a supervisor, ``setsid``, a Procfile runner that starts each process
that way) is alone in its group, so its ``nice`` 10 counts for nothing
against the web process in another group: measured on 2 cores, a busy
worker at nice 10 in its own session took as much CPU as each of two
processes at nice 0 in theirs (2.6 s of 4 s each), and none of it once its
group was lowered too (0.45 s against 3.7 s).

So a worker that leads its own session lowers its group as well. One that
does not (the child of ``linkgap serve``, a process started from a shell)
shares its group with its parent, where ``nice`` already works, and the
group is left alone: lowering it would lower the web process with it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

#: The kernel's file for the calling process's scheduling group (absent without autogroup).
AUTOGROUP = Path("/proc/self/autogroup")


def lower_priority(nice: int, autogroup: Path = AUTOGROUP) -> bool:
    """Lower this process's CPU priority by ``nice``; its session's group too when it leads it.

    Returns whether the group was lowered. A kernel without autogroup, or one
    that refuses the write, leaves the plain ``nice`` in place, which is then
    all there is to do.
    """
    if nice <= 0:
        return False
    value = os.nice(nice)
    if os.getsid(0) != os.getpid() or not autogroup.exists():
        return False
    try:
        autogroup.write_text(str(value))
    except OSError as error:
        log.info("could not lower the worker's scheduling group to nice %d: %s", value, error)
        return False
    log.info("worker leads its own session: its scheduling group lowered to nice %d", value)
    return True
