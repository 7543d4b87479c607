"""Runs the scenarios in worker processes and enforces each one's timeout.

Scenarios whose memory is measured (`isolated`) get a fresh process each, so one scenario's peak
cannot hide another's; the others share one process, in order. A scenario that outlives its
timeout is reported as timed out, its worker killed, and the next scenario starts in a new one.
"""

import json
import queue
import subprocess
import sys
import threading
import time

from .worker import PROTOCOL

STARTUP_SECONDS = 120  # for a worker to set Django up and announce its first scenario


def batches(scenarios):
    """Consecutive shared scenarios go to one worker; an isolated one to a worker of its own."""
    groups = []
    for scenario in scenarios:
        if scenario.isolated or not groups or groups[-1][0].isolated:
            groups.append([scenario])
        else:
            groups[-1].append(scenario)
    return groups


class Runner:
    def __init__(self, options, log):
        self.options, self.log = options, log
        self.results = {}

    def run(self, scenarios, on_result=None):
        for group in batches(scenarios):
            pending = [scenario.key for scenario in group]
            while pending:
                self._worker(pending, {s.key: s for s in group}, on_result)
        return self.results

    def _worker(self, pending, by_key, on_result):
        """One worker for `pending`; returns when it ends. Finished scenarios leave `pending`."""
        command = [
            sys.executable, "-m", "bench.worker", *pending, "--runs", str(self.options.runs),
            "--budget", str(self.options.budget), "--timeout", str(self.options.timeout),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        lines = queue.Queue()
        threading.Thread(target=self._read, args=(process.stdout, lines), daemon=True).start()
        current, deadline, output = None, time.monotonic() + STARTUP_SECONDS, []
        try:
            while True:
                try:
                    line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    process.kill()
                    process.wait()
                    key = current or pending[0]
                    waited = self.options.timeout if current else STARTUP_SECONDS
                    self._finish(key, {"timed_out": waited}, pending, on_result)
                    self.log(f"    timed out after {waited:.0f} s")
                    return
                if line is None:  # the worker ended; if before its last scenario, that one failed
                    code = process.wait()
                    if pending:
                        failure = {"error": f"the worker exited with {code}", "traceback": "".join(output[-20:])}
                        self._finish(current or pending[0], failure, pending, on_result)
                    return
                if not line.startswith(PROTOCOL):
                    output.append(line)
                    sys.stderr.write(f"    | {line}")
                    continue
                message = json.loads(line[len(PROTOCOL) :])
                if message["event"] == "start":
                    current, deadline = message["scenario"], time.monotonic() + self.options.timeout
                    self.log(f"  {by_key[current].what} …")
                else:
                    self._finish(message["scenario"], message["result"], pending, on_result)
                    current, deadline = None, time.monotonic() + STARTUP_SECONDS
        except BaseException:  # interrupted: leave no worker behind
            process.kill()
            process.wait()
            raise

    def _finish(self, key, result, pending, on_result):
        self.results[key] = result
        pending.remove(key)
        if on_result:
            on_result(key, result)

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.put(line)
        lines.put(None)
