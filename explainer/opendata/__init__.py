"""The facts as downloads: JSON, CSV, Data Package, Atom feed."""
