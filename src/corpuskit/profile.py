"""Where a build's time goes: seconds per stage and the wall-clock span of each phase.

``corpuskit build --profile FILE`` writes :meth:`StageClock.to_dict` as JSON;
``bench/run_bench.py`` joins the phases with its memory samples to report
throughput and peak memory per stage.

Stage seconds are summed over processes (CPU-bound work, so they say what one
core does per second); phases are wall-clock spans of the main process, so a
sampler outside the process can tell which phase a memory sample belongs to.
"""

from __future__ import annotations

import time
from collections import Counter


class StageClock:
    def __init__(self) -> None:
        self.seconds: Counter = Counter()  # stage → seconds, summed over processes
        self.phases: list[list] = []  # [name, start, end] in time.time()

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def merge(self, seconds: dict[str, float]) -> None:
        self.seconds.update(seconds)

    def mark(self, phase: str) -> None:
        """End the current phase (if any) and start ``phase``."""
        now = time.time()
        if self.phases and self.phases[-1][2] is None:
            self.phases[-1][2] = now
        self.phases.append([phase, now, None])

    def stop(self) -> None:
        if self.phases and self.phases[-1][2] is None:
            self.phases[-1][2] = time.time()

    def to_dict(self) -> dict:
        return {
            "stage_seconds": {k: round(v, 4) for k, v in sorted(self.seconds.items())},
            "phases": [{"phase": n, "start": s, "end": e} for n, s, e in self.phases],
        }
