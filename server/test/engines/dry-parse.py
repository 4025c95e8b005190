# Dry parse: runs a Python console script (an engine's real entry point) with argparse patched so
# that it parses the given argv with the engine's own parser, prints the result and exits before
# anything starts. Exit 2 with argparse's message when the engine would refuse the argv.
import argparse
import json
import runpy
import sys

_parse_args = argparse.ArgumentParser.parse_args


def _dry(self, args=None, namespace=None):
    ns = _parse_args(self, args, namespace)
    print(json.dumps({k: v for k, v in vars(ns).items() if not callable(v)}, default=str))
    sys.exit(0)


argparse.ArgumentParser.parse_args = _dry
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
