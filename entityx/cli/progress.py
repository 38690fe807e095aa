"""Batch events rendered for people on stderr: a Rich progress bar, then one summary line."""

from __future__ import annotations

import sys
from typing import Self

from entityx.batch import Advanced, Event, Finished, Report, Started, Warned
from entityx.cli.edge import say


class Progress:
    """A listener for :func:`entityx.batch.run_batch`; the bar shows only on a terminal."""

    def __init__(self, show_bar: bool) -> None:
        self.show_bar = show_bar and sys.stderr.isatty()
        self.bar = self.task = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Started) and self.show_bar and event.todo:
            self.start(event.todo)
        elif isinstance(event, Advanced) and self.bar is not None:
            self.bar.advance(self.task, event.documents)
            task = self.bar.tasks[0]  # the mean since the start: steadier than Rich's last steps
            rate = task.completed / task.elapsed if task.elapsed else 0
            self.bar.update(self.task, rate=f"{rate:.1f}" if rate else "…")
        elif isinstance(event, Warned) and self.bar is not None:
            from rich.text import Text

            self.bar.console.print(Text(f"Warning: {event.message}"))  # above the bar
        elif isinstance(event, Warned):
            say(f"Warning: {event.message}")
        elif isinstance(event, Finished):
            self.stop()
            say(summary(event.report))

    def start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        columns = (
            TextColumn("documents"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"),
            TimeRemainingColumn(),
        )
        self.bar = Bar(*columns, console=Console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("batch", total=total, rate="…")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def summary(report: Report) -> str:
    """``21 documents, 244 mentions, 208 entities, 0 failed, 1.5 s (14.0 docs/s) -> out.jsonl``;
    the documents' entities are counted document by document."""
    done = report.documents - report.skipped
    already = f" ({report.skipped} already there)" if report.skipped else ""
    rate = f" ({done / report.seconds:.1f} docs/s)" if done and report.seconds else ""
    return (
        f"{plural(report.documents, 'document')}{already}, {plural(report.mentions, 'mention')}, "
        f"{plural(report.entities, 'entity', 'entities')}, "
        f"{report.failed} failed, {report.seconds:.1f} s{rate} -> {'stdout' if str(report.output) == '-' else report.output}"
    )


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
