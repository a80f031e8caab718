"""The `explainer` command: a thin shell over the pipeline's stages.

It reads the arguments and hands each command a small options object
(`explainer.commands.options`); the commands never see argparse, and nothing imports this
module. Exit codes: 0 success, 1 invalid data (or a failed build; with `--strict`, a warning
too), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from explainer import __version__
from explainer.commands.options import BuildOptions, ServeOptions, ValidateOptions
from explainer.commands.reporting import EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_verdict

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main", "validate_command"]
ARCHIVE_HELP = "folder of archived source texts (default: site.yaml's archive, else DATA/archive)"
STRICT_HELP = "count warnings as errors (exit 1)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="Turn curated YAML facts into a searchable static explainer site.",
    )
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def data_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--data", default="data", metavar="DIR", help="the data folder (default: data)")

    validate = commands.add_parser("validate", help="check a data folder; exit 0 valid, 1 invalid")
    data_option(validate)
    validate.add_argument("--archive", metavar="DIR", help=ARCHIVE_HELP)
    validate.add_argument(
        "--no-cache", action="store_true", help="parse every file again instead of using the parse cache"
    )
    validate.add_argument("--strict", action="store_true", help=STRICT_HELP)

    build = commands.add_parser("build", help="validate, generate pages and charts, build the static site")
    data_option(build)
    build.add_argument("--out", default="site", metavar="DIR", help="where the site goes (default: site)")
    build.add_argument("--archive", metavar="DIR", help=ARCHIVE_HELP)
    build.add_argument(
        "--keep-build",
        metavar="DIR",
        help="also keep the generated folder (Markdown + mkdocs.yml) here, also when MkDocs fails",
    )
    build.add_argument("--strict", action="store_true", help=STRICT_HELP + "; nothing is built")
    build.add_argument(
        "--versions",
        metavar="DIR",
        default=os.environ.get("EXPLAINER_VERSIONS") or None,
        help="a folder of the embeds' earlier versions (embed/<chart>/v/<version>/) to keep in the site "
        "(default: $EXPLAINER_VERSIONS, else only those of the --out folder)",
    )

    serve = commands.add_parser("serve", help="live preview that rebuilds when a file changes")
    data_option(serve)
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.add_argument("--archive", metavar="DIR", help=ARCHIVE_HELP)
    serve.add_argument(
        "--strict", action="store_true", help=STRICT_HELP + "; the preview keeps its last version without any"
    )

    new = commands.add_parser(
        "new",
        help="write a commented skeleton record, stance, figure or claim to fill in",
        description="explainer new KIND ID: a new record (actor, event, question, place or source). "
        "explainer new stance QUESTION ACTOR, new figure EVENT, new claim EVENT: a new item appended "
        "to that record's list, the rest of its file untouched.",
    )
    new.add_argument("kind", metavar="KIND", help="actor, event, question, place or source; or stance, figure, claim")
    new.add_argument("id", metavar="ID", help="the new record's id (its file name and URL); or the question or event")
    new.add_argument("actor", metavar="ACTOR", nargs="?", help="for a stance: the actor whose position it is")
    data_option(new)

    schema = commands.add_parser(
        "schema", help="write JSON Schema for each record kind, with the data folder's ids for autocompletion"
    )
    schema.add_argument("--out", default="schema", metavar="DIR", help="where to write (default: schema)")
    schema.add_argument(
        "--data", default="data", metavar="DIR", help="the data folder whose ids are offered (default: data)"
    )

    init = commands.add_parser("init", help="start a new explainer in a new folder, with an example of every record")
    init.add_argument("dir", metavar="DIR", help="the new explainer's folder (new or empty)")
    init.add_argument("--force", action="store_true", help="use a folder that is not empty: only add missing files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `explainer validate | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except Exception as exc:  # an internal error: say so plainly, traceback only on request
        if args.debug:
            traceback.print_exc()
        print(f"explainer: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("explainer: please report it with the output of --debug", file=sys.stderr)
        return 70


def validate_command(options: ValidateOptions) -> int:
    from explainer.checking.validate import check_data

    result = check_data(
        options.data_dir, shown_dir=options.data, archive_dir=options.archive_dir, use_cache=options.use_cache
    )
    if not print_verdict(result.report, strict=options.strict):
        return EXIT_INVALID
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    print(f"{options.data}: valid ({counts})")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    return validate_command(
        ValidateOptions(data=args.data, archive=args.archive, use_cache=not args.no_cache, strict=args.strict)
    )


def _build(args: argparse.Namespace) -> int:
    from explainer.commands.build import build_command

    options = BuildOptions(
        data=args.data,
        out=args.out,
        archive=args.archive,
        keep_build=args.keep_build,
        strict=args.strict,
        versions=args.versions,
    )
    return build_command(options)


def _serve(args: argparse.Namespace) -> int:
    from explainer.commands.serve import serve_command

    return serve_command(ServeOptions(data=args.data, port=args.port, archive=args.archive, strict=args.strict))


def _new(args: argparse.Namespace) -> int:
    from explainer.commands.skeletons import ITEM_KINDS, SkeletonError, write_item, write_skeleton

    try:
        if args.kind in ITEM_KINDS:
            path, line = write_item(args.kind, args.id, Path(args.data), args.actor)
            print(f"added a {args.kind} to {path} at line {line}: replace each <...>, then run `explainer validate`")
            return EXIT_OK
        if args.actor is not None:
            raise SkeletonError(f"a new {args.kind} takes one id: explainer new {args.kind} ID")
        path = write_skeleton(args.kind, args.id, Path(args.data))
    except SkeletonError as exc:
        print(f"explainer new: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path}: replace each <...>, then run `explainer validate`")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from explainer.commands.schema import schema_files

    data = Path(args.data)
    if not data.is_dir():
        print(f"explainer schema: note: no data folder at {args.data}: references list no ids", file=sys.stderr)
    for path in schema_files(data if data.is_dir() else None, Path(args.out)):
        print(f"wrote {path}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from explainer.commands.init import init_command

    return init_command(args.dir, force=args.force)


_COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "new": _new, "schema": _schema, "init": _init}
