"""Writes .venv/engines.json: which engines this venv holds, with versions, for tests and the
engine finder. Usage: write_engines_json.py OUT [name=reason ...] (reasons for skipped engines)."""
import glob
import json
import os
import sys
from importlib import metadata

ENGINES = {
    # engine kind -> (distribution, console script)
    "mlx-lm": ("mlx-lm", "mlx_lm.server"),
    "mlx-openai-server": ("mlx-openai-server", "mlx-openai-server"),
    "vllm-mlx": ("vllm-mlx", "vllm-mlx"),
}
TOOLS = ["mlx", "huggingface_hub", "transformers", "safetensors", "numpy", "gguf"]


def version(dist: str):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def argv_check(venv_dir: str, dist: str, script: str):
    """The --no-deps copy in .venv/argv-check, if setup-python.sh kept one (only its CLI works)."""
    exe = os.path.join(venv_dir, "argv-check", "bin", script)
    sites = glob.glob(os.path.join(venv_dir, "argv-check", "lib", "python*", "site-packages"))
    for d in metadata.distributions(path=sites):
        if d.metadata["Name"].lower() == dist and os.path.exists(exe):
            return {"version": d.version, "executable": exe}
    return None


def write_json(out: str, doc: dict) -> None:
    """Replaces `out` in one step, so a reader never sees half a file."""
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(out + ".tmp", out)


def main() -> None:
    out = sys.argv[1]
    reasons = dict(arg.split("=", 1) for arg in sys.argv[2:])
    bin_dir = os.path.dirname(sys.executable)
    engines = {}
    for kind, (dist, script) in ENGINES.items():
        v = version(dist)
        exe = os.path.join(bin_dir, script)
        if v and os.path.exists(exe):
            engines[kind] = {"installed": True, "version": v, "executable": exe}
        else:
            engines[kind] = {"installed": False, "reason": reasons.get(kind, "not installed")}
            check = argv_check(os.path.dirname(os.path.abspath(out)), dist, script)
            if check:
                engines[kind]["argvCheck"] = check
    # Built outside this venv: scripts/setup-llama-server.sh replaces this entry when it runs.
    engines["llama-server"] = {"installed": False, "reason": "not built yet (scripts/setup-llama-server.sh)"}
    doc = {
        "python": sys.executable,
        "pythonVersion": ".".join(map(str, sys.version_info[:3])),
        "engines": engines,
        "tools": {t: version(t) for t in TOOLS},
    }
    write_json(out, doc)


if __name__ == "__main__":
    main()
