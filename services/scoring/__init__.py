"""Safe-unit creation: assessment, naming, re-inspection and title removal."""
