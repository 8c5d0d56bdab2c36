"""Run one build and write what it cost as JSON: ``python measure.py RESULT.json COMMAND...``.

The build benchmark starts every build through this small wrapper process, so that the
figures belong to that one build and nothing else: after the command ends the wrapper reads
``getrusage(RUSAGE_CHILDREN)``, which covers the command and every process it started and
waited for (Sphinx's ``-j`` workers, Pagefind), and nothing the benchmark itself did before.

- ``wall``: seconds from starting the command to its end.
- ``cpu``: user + system seconds of the command and all its waited-for descendants.
- ``maxrss_kib``: the largest resident set of any **single** process of that tree (Linux reports
  it in KiB). With ``-j N`` Sphinx forks worker processes: each counts its pages shared with the
  parent (copy-on-write), and the figure is the largest of them or the parent, not the sum of
  processes alive at once. The memory the tree used together is between that and N times it.

The command's output goes where the wrapper's goes (the benchmark captures it).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run ``argv[1:]``, write its costs to the file ``argv[0]``, return its exit status."""
    result, command = Path(argv[0]), argv[1:]
    start = time.perf_counter()
    returncode = subprocess.run(command, check=False).returncode
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    costs = {
        "returncode": returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,
    }
    result.write_text(json.dumps(costs))
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
