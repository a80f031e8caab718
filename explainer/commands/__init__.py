"""The `explainer` command and its subcommands."""
