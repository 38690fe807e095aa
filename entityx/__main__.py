"""``python -m entityx``."""

from entityx.cli import main

main()
