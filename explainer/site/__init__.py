"""The site engine: its configuration, running it, publishing the result."""
