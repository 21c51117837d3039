"""Time reading generated CMIF files of 10^3, 10^4 and 10^5 letters; print time and memory as JSON.

Run as a script, not collected by pytest:  .venv/bin/python tests/benchmarks/bench_import.py
Each file is made up (seeded, so every run reads the same bytes) and written with the
CMIF writer into a temporary folder. Each read runs in a fresh Python process, so that its
peak resident memory (ru_maxrss) is the read's own and not what an earlier, larger size
left behind; the Python-side peak (tracemalloc) is measured in a second run, since
tracing slows the reader down. libxml2's own memory shows only in ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run from anywhere: the package of this source tree and the generator beside this file.
sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from made_up import letters  # noqa: E402

from dashboard.formats import cmif  # noqa: E402
from dashboard.letters import Metadata  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
__all__ = ["letters"]  # tests make their larger corpora with it

# Run in the child process: read every letter (or, with "corpus", build the whole corpus
# the way the app opens a file), report seconds, peaks and counts.
READ = """\
import json, resource, sys, time, tracemalloc
from pathlib import Path
from dashboard.formats import cmif
path, traced = Path(sys.argv[1]), sys.argv[2] == "traced"
if sys.argv[2] == "corpus":
    from dashboard.corpora import open_corpus  # pandas and the model load before the clock
if traced:
    tracemalloc.start()
began = time.perf_counter()
if sys.argv[2] == "corpus":
    corpus, report = open_corpus(path)
    count, notices = len(corpus.messages), len(report.problems)
else:
    source = cmif.read(path)
    count = sum(1 for _ in source.letters)
    notices = len(source.notices)
seconds = time.perf_counter() - began
result = {"letters": count, "notices": notices, "seconds": seconds}
if traced:
    result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
result["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(result))
"""

def measure(path: Path, how: str) -> dict:
    run = [sys.executable, "-c", READ, str(path), how]
    return json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--corpus", action="store_true", help="also time open_corpus: reading and the model"
    )
    arguments = parser.parse_args()
    sizes = arguments.sizes
    megabyte = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        empty = Path(folder) / "none.xml"
        cmif.write(Metadata(title="Benchmark"), letters(1), empty)
        baseline = measure(empty, "plain")["maxrss"]
        for size in sizes:
            path = Path(folder) / f"letters-{size}.xml"
            began = time.perf_counter()
            cmif.write(Metadata(title=f"{size} made-up letters"), letters(size), path)
            written = time.perf_counter() - began
            plain, traced = measure(path, "plain"), measure(path, "traced")
            assert plain["letters"] == size, plain
            report = {
                "letters": size,
                "file_mb": round(path.stat().st_size / megabyte, 1),
                "write_s": round(written, 2),
                "read_s": round(plain["seconds"], 2),
                "read_us_per_letter": round(plain["seconds"] / size * 1e6, 1),
                "maxrss_mb": round(plain["maxrss"] / megabyte, 1),
                "maxrss_over_import_mb": round((plain["maxrss"] - baseline) / megabyte, 1),
                "tracemalloc_peak_mb": round(traced["tracemalloc_peak"] / megabyte, 2),
                "notices": plain["notices"],
            }
            if arguments.corpus:
                opened = measure(path, "corpus")
                report["open_corpus_s"] = round(opened["seconds"], 2)
                # The whole process, pandas and the model's tables included.
                report["open_corpus_maxrss_mb"] = round(opened["maxrss"] / megabyte, 1)
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
