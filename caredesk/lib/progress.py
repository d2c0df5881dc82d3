"""A plain-text progress bar for long jobs (demo data, benchmarks)."""

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, *, stream=None, width: int = 30):
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.width = width
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        now = time.monotonic()
        if self.done >= self.total or now - self._last_draw >= (0.1 if self._tty else 2.0):
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        frac = self.done / self.total
        filled = int(self.width * frac)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.monotonic() - self.started
        line = f"{self.label:<14} [{bar}] {frac:6.1%} {self.done:,}/{self.total:,} {elapsed:6.1f}s"
        if self._tty:
            self.stream.write("\r" + line)
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.done < self.total:
            self.done = self.total
            self._draw()
