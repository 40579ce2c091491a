"""What the normalisers changed: a count and one sample per rule, for ``record.log``."""

from __future__ import annotations


class Changes:
    """Counts per rule (in first-seen order) plus the first sample of each."""

    __slots__ = ("counts", "samples")

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.samples: dict[str, str] = {}

    def add(self, rule: str, count: int, sample: str = "") -> None:
        if count <= 0:
            return
        self.counts[rule] = self.counts.get(rule, 0) + count
        if sample and rule not in self.samples:
            self.samples[rule] = sample

    def __bool__(self) -> bool:
        return bool(self.counts)

    def items(self):
        """(rule, count, sample) in the order the rules first fired."""
        return [(rule, n, self.samples.get(rule, "")) for rule, n in self.counts.items()]
