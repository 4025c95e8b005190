"""Reads a `pip install --dry-run --report` file and says whether the plan is acceptable.

Prints nothing and exits 0 when it is; otherwise prints the reason and exits 1. Plans that bring
torch or CUDA wheels are refused: gigabytes of downloads for engines that cannot run on Linux CPU.
"""
import json
import re
import sys

FORBIDDEN = re.compile(r"^(torch|torchvision|torchaudio|triton|nvidia-.*|cuda-.*|mlx-cuda.*)$", re.I)


def main(report_path: str) -> int:
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    names = [item["metadata"]["name"] for item in report.get("install", [])]
    # torch first: it is the reason that matters; the CUDA wheels come with it.
    bad = sorted({n for n in names if FORBIDDEN.match(n)}, key=lambda n: (not n.startswith("torch"), n))
    if bad:
        shown = ", ".join(bad[:6]) + (", ..." if len(bad) > 6 else "")
        print(f"needs torch/CUDA packages on Linux ({shown})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
