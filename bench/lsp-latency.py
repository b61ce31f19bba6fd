#!/usr/bin/env python3
"""Times `defter lsp` as an editor sees it: from a change sent to the findings published.

A client speaks JSON-RPC over the server's stdin and stdout (Content-Length framing),
opens one record, then sends RUNS full-text changes that alternately break one of its
references (`assignee:` names nobody) and put it back, and records the time from each
`didChange` written to the `publishDiagnostics` for that document read. It also times
the start: `initialize` to the first findings of the opened record (loading the
repository included). See docs/performance.md ("defter lsp"); never run by the test suite.

    cargo build --release --bin defter
    bench/lsp-latency.py                                  # this repository's records/
    bench/lsp-latency.py --repo /var/tmp/defter-bench/c100000 --runs 50

Needs only Python 3.
"""

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", type=pathlib.Path, default=ROOT)
    ap.add_argument("--record", help="a request under records/ with an `assignee:` (default: the first)")
    ap.add_argument("--defter", type=pathlib.Path, default=ROOT / "target/release/defter")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--as-of", default="2026-11-30")
    args = ap.parse_args()
    repo = args.repo.resolve()
    if args.record:
        record = repo / args.record
    else:
        record = next(
            p for p in sorted((repo / "records/requests").rglob("*.md")) if re.search(r"^assignee: \S", p.read_text(), re.M)
        )
    text = record.read_text()
    broken = re.sub(r"^assignee: \S+", "assignee: nobody.here", text, count=1, flags=re.M)

    server = subprocess.Popen(
        [str(args.defter), "lsp", "--as-of", args.as_of],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=repo,
    )

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive():
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                sys.exit("the server stopped")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(server.stdout.read(length))

    uri = record.as_uri()

    def published():
        while True:
            m = receive()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]["diagnostics"]

    started = time.perf_counter()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": os.getpid(), "rootUri": repo.as_uri(), "capabilities": {}}})
    while receive().get("id") != 1:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    first = published()
    start_ms = (time.perf_counter() - started) * 1000

    times = []
    for version in range(2, args.runs + 2):
        sent = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version},
                         "contentChanges": [{"text": broken if version % 2 == 0 else text}]}})
        found = published()
        times.append((time.perf_counter() - sent) * 1000)
        wanted = version % 2 == 0
        if wanted != any(d.get("code") == "dangling-ref" for d in found):
            sys.exit(f"version {version}: unexpected findings {found}")

    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    while receive().get("id") != 2:
        pass
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait(timeout=30)

    times.sort()
    records = sum(1 for p in (repo / "records").rglob("*") if p.is_file() and not p.name.startswith("."))
    print(f"{records} files under records/, {record.relative_to(repo)} ({len(first)} findings when opened)")
    print(f"start (initialize → first findings, loading included): {start_ms:.0f} ms")
    print(f"edit → findings, {len(times)} edits: median {statistics.median(times):.1f} ms, "
          f"p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
