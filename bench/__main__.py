"""python -m bench [args]: run every benchmark module in bench/ (each has main(argv)), passing the args on."""

import importlib
import pkgutil
import sys

import bench


def main():
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    for name in names:
        print(f"== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main(sys.argv[1:])


if __name__ == "__main__":
    main()
