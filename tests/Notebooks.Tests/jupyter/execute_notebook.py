#!/usr/bin/env python3
"""Execute one notebook through a real Jupyter kernel with nbclient, the way `jupyter nbconvert --execute` does.

usage: execute_notebook.py NOTEBOOK OUTPUT [CELL_TIMEOUT_SECONDS]
Writes the executed notebook to OUTPUT (also when a cell fails), prints `seconds<TAB>N`, exits 1 on a cell error."""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    source, output = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=notebook.metadata.kernelspec.name,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
    )
    started = time.monotonic()
    status = 0
    try:
        client.execute()
    except CellExecutionError as error:
        print(error, file=sys.stderr)
        status = 1
    finally:
        nbformat.write(notebook, output)
        print(f"seconds\t{time.monotonic() - started:.1f}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
