"""Adds or replaces one engine's entry in .venv/engines.json (written first by
write_engines_json.py), for engines installed outside the core venv: llama-server from its build
cache, mlx-openai-server and vllm-mlx from the engines venv.
Usage: record_engine.py ENGINES_JSON KIND VERSION EXECUTABLE [key=value ...]
       record_engine.py ENGINES_JSON KIND --missing REASON"""
import fcntl
import json
import os
import sys

from write_engines_json import write_json


def main() -> None:
    out, kind, *rest = sys.argv[1:]
    if rest[0] == "--missing":
        entry = {"installed": False, "reason": rest[1]}
    else:
        version, executable, *extra = rest
        entry = {"installed": True, "version": version, "executable": os.path.abspath(executable)}
        entry.update(dict(arg.split("=", 1) for arg in extra))
    # npm test runs the llama-server and engines-venv setups at the same time: without the lock
    # one read-modify-write could drop the other's entry.
    with open(out + ".lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(out, encoding="utf-8") as f:
                doc = json.load(f)
        except FileNotFoundError:
            doc = {"engines": {}}
        doc.setdefault("engines", {})[kind] = entry
        write_json(out, doc)


if __name__ == "__main__":
    main()
