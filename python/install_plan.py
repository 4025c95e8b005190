"""Reads a `pip install --dry-run --report` file and says whether the plan is acceptable.

Prints nothing and exits 0 when it is; otherwise prints the reason and exits 1. Plans that bring
torch or CUDA wheels are refused: gigabytes of downloads for engines that cannot run on Linux CPU.
Works on a full plan (every package to install) and on a --no-deps plan, where the requested
package's own declared requirements are checked.
"""
import json
import re
import sys

FORBIDDEN = re.compile(r"^(torch|torchvision|torchaudio|triton|nvidia-.*|cuda-.*|mlx-cuda.*)$", re.I)
REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def ordered(names):
    # torch first: it is the reason that matters; the CUDA wheels come with it.
    return sorted(set(names), key=lambda n: (not n.lower().startswith("torch"), n.lower()))


def main(report_path: str) -> int:
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    items = report.get("install", [])
    bad = ordered(i["metadata"]["name"] for i in items if FORBIDDEN.match(i["metadata"]["name"]))
    direct = []
    for item in items:
        if not item.get("requested"):
            continue
        for req in item["metadata"].get("requires_dist", []):
            if "extra ==" in req:
                continue
            m = REQ_NAME.match(req)
            if m and FORBIDDEN.match(m.group(1)):
                direct.append(m.group(1))
    if direct:
        print(f"it requires {', '.join(ordered(direct))} (torch) on Linux")
        return 1
    if bad:
        shown = ", ".join(bad[:6]) + (", ..." if len(bad) > 6 else "")
        print(f"it needs torch/CUDA packages on Linux ({shown})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
