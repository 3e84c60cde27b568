"""``conv-anim list`` and ``conv-anim info``: the catalogue and the arithmetic, as text.

Neither imports matplotlib: they answer instantly.
"""

from __future__ import annotations

import argparse

from conv_anim import catalog, request
from conv_anim.cli.messages import CliError, library_errors, options_of
from conv_anim.cli.parser import figure_name
from conv_anim.explain import info_lines


def run_list(args: argparse.Namespace) -> int:
    """Run ``conv-anim list``: print the catalogue, grouped by section."""
    print("\n".join(catalog_lines()))
    return 0


def catalog_lines() -> list[str]:
    """The catalogue as text: a title per section, then one line per figure.

    Each line gives the name, the caption and, for animations, the figure in the
    paper's symbols and the frame count.
    """
    figures = catalog.everything()
    width = max(len(figure.name) for figure in figures)
    lines: list[str] = []
    for section, title in catalog.SECTIONS.items():
        members = [figure for figure in figures if figure.section == section]
        if not members:
            continue
        lines += [*([""] if lines else []), f"{title}:"]
        lines += [f"  {figure.name:<{width}}  {_summary(figure)}" for figure in members]
    return lines


def _summary(figure: catalog.PaperAnimation | catalog.PaperStatic) -> str:
    if isinstance(figure, catalog.PaperStatic):
        return figure.caption
    return f"{figure.caption}: {figure.parameters}; {figure.frames} frames"


def run_solve(args: argparse.Namespace) -> int:
    """Run ``conv-anim solve``: print the convolutions that map one size to another."""
    from conv_anim.solve import solve_lines

    with library_errors():
        lines = solve_lines(
            args.input_size, args.output_size, kernel_size=args.kernel_size,
            stride=args.stride, padding=args.padding, dilation=args.dilation,
            transposed=args.transposed, limit=args.limit,
        )
    print("\n".join(lines))
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Run ``conv-anim info``: print the arithmetic of a convolution, without drawing:
    one given by options, or a figure of the catalogue by name."""
    if args.name is None:
        with library_errors():
            spec = request.build_spec(options_of(args))
        op = args.op or "conv"
        if spec.transposed and op != "conv":
            raise CliError(f"--op {op} does not apply with --transposed: pooling has no "
                           f"transpose (expected --op conv)")
        with library_errors():  # e.g. pooling that changes the channels
            lines = info_lines(spec, op)
        print("\n".join(lines))
        return 0
    given = [f"--{name.replace('_', '-')}" for name, value in vars(args).items()
             if name not in ("name", "command", "handler", "transposed") and value is not None]
    if given or args.transposed:
        raise CliError(f"{(given or ['--transposed'])[0]} does not apply with a figure NAME: "
                       f"give a NAME or the options, not both")
    figure = figure_name(args.name)
    if isinstance(figure, catalog.PaperStatic):
        print(f"{figure.name}: {figure.caption} (a static figure: conv-anim paper "
              f"{figure.name} -o FILE.png)")
        return 0
    lines = [f"{figure.name}: {figure.caption}"]
    if figure.layers:
        lines += [f"layer {n}: {spec_line}" for n, spec_line in
                  enumerate((info_lines(layer)[0] for layer in figure.layers), 1)]
        lines.append(f"command: {figure.command}")
    else:
        body = info_lines(figure.spec, figure.op or "conv")
        lines += [body[0], f"python: {figure.python}", f"command: {figure.command}", *body[3:]]
    print("\n".join(lines))
    return 0


__all__ = ["catalog_lines", "run_info", "run_list", "run_solve"]
