"""Why a batch cannot start or go on."""


class BatchError(Exception):
    """The batch cannot start or go on (no input, output unusable or locked, a worker died);
    the message says why, for the user. Nothing already in the output is lost."""


class BatchUsageError(BatchError):
    """The command asks for something that cannot be done (an output that is also an input)."""
