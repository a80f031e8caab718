"""explainer: curated YAML facts in, a searchable static explainer site with charts out."""

__version__ = "0.1.0"
