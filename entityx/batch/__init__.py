"""``entityx batch``: thousands of articles in, one output file out, in parallel, losing nothing.

What lives where: :mod:`~entityx.batch.inputs` lists the input documents (streamed),
:mod:`~entityx.batch.plan` decides what a resume keeps, :mod:`~entityx.batch.work` processes one
chunk, :mod:`~entityx.batch.runner` is the interface a runner follows (where chunks are
processed), :mod:`~entityx.batch.pool` the default runner (forked workers) and signal handling,
:mod:`~entityx.batch.run` the orchestration, :mod:`~entityx.batch.events` what the caller is
told. Outputs are :mod:`entityx.sinks`.
"""

from entityx.batch.errors import BatchError, BatchUsageError
from entityx.batch.events import Advanced, Event, Finished, Report, Started, Warned
from entityx.batch.inputs import Item
from entityx.batch.run import output_format, run_batch
from entityx.batch.runner import Runner, Work, in_process
from entityx.sinks import Outcome

__all__ = [
    "Advanced", "BatchError", "BatchUsageError", "Event", "Finished", "Item", "Outcome",
    "Report", "Runner", "Started", "Warned", "Work", "in_process", "output_format", "run_batch",
]
