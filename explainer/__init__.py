"""explainer: curated YAML facts in, a searchable static explainer site with charts out."""

from __future__ import annotations

_DISTRIBUTION = "explainer"


def __getattr__(name: str) -> str:
    """`__version__`: the installed package's version (pyproject.toml's, through its metadata).

    Looked up on first use, not at import: importlib.metadata costs more than most of a warm
    `explainer validate`, and every worker process imports this package.
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version(_DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
