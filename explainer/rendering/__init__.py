"""What every output stage shares: templates, safe markup, the one writer."""
