# Dry parse: runs a Python console script (an engine's real entry point) with its argument parser
# patched so that it parses the given argv with the engine's own parser, prints the result and
# exits before anything starts. Exit 2 with the parser's message when the engine would refuse the
# argv. argparse (mlx_lm.server, vllm-mlx) and Click (mlx-openai-server) are both covered.
import argparse
import json
import runpy
import sys

_parse_args = argparse.ArgumentParser.parse_args


def _print_and_exit(values):
    print(json.dumps({k: v for k, v in values.items() if not callable(v)}, default=str))
    sys.exit(0)


def _dry(self, args=None, namespace=None):
    _print_and_exit(vars(_parse_args(self, args, namespace)))


argparse.ArgumentParser.parse_args = _dry

try:
    import click

    _invoke = click.Command.invoke

    def _dry_invoke(self, ctx):
        # A group runs its own (setup) callback and goes on to the subcommand; the command that
        # would do the work only reports what Click parsed for it.
        if isinstance(self, click.Group):
            return _invoke(self, ctx)
        _print_and_exit(ctx.params)

    click.Command.invoke = _dry_invoke
except ImportError:
    pass

script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
