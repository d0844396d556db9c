"""The composition root: settings, the command line, and the wiring of the stages."""
