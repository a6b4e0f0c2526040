#!/usr/bin/env python3
"""Execute one notebook through a real Jupyter kernel with nbclient, the way `jupyter nbconvert --execute` does,
answering the kernel's input prompts the way a person would type them.

usage: execute_notebook.py NOTEBOOK OUTPUT [CELL_TIMEOUT_SECONDS]
Answers come from the notebook's metadata, "threadbook": {"inputs": {"<prompt>": "<answer>"}}.
Writes the executed notebook to OUTPUT (also when a cell fails), prints `seconds<TAB>N`, exits 1 on a cell error."""
import asyncio
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


class AnsweringClient(NotebookClient):
    """nbclient turns stdin off; this client turns it on and answers input_request messages."""

    def __init__(self, notebook, answers, **kwargs):
        super().__init__(notebook, **kwargs)
        self.answers = answers
        self.unanswered = []
        self._stdin_task = None

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        client.allow_stdin = True
        self._stdin_task = asyncio.ensure_future(self._answer_inputs(client))
        return client

    async def _answer_inputs(self, client):
        while True:
            message = await client.stdin_channel.get_msg()
            if message["header"]["msg_type"] != "input_request":
                continue
            prompt = message["content"].get("prompt", "").strip()
            answer = self.answers.get(prompt)
            if answer is None:
                self.unanswered.append(prompt)
                answer = ""
            client.input(answer)


def main() -> int:
    source, output = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    notebook = nbformat.read(source, as_version=4)
    answers = {k.strip(): v for k, v in notebook.metadata.get("threadbook", {}).get("inputs", {}).items()}
    client = AnsweringClient(
        notebook,
        answers,
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
    if client.unanswered:
        print(f"unanswered input prompts: {client.unanswered}", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
