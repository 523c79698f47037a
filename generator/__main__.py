"""`python -m generator` → the makecase command line (generator.cli)."""
from generator.cli import main

main()
