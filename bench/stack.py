"""The compose stack's throughput (issue 17), measured with wrk side by side in one run and given as two ratios:
- a cached case page through the proxy against nginx serving the same bytes as a static file (target: at least
  50 %): what the micro-cache costs over the fastest nginx can answer;
- the same page from Django alone (gunicorn, no proxy cache) against a constant body of the same size from Django on
  the same gunicorn settings (bench/constant_site.py; target: at least 90 %): what the app's page cache costs over
  Django's own floor.

tests/test_compose_stack.py runs it on the running stack (`make stack-test`)."""

import re
import subprocess
from dataclasses import dataclass

WRK = ["wrk", "-t2", "-c32"]
# page: (the floor it is measured against, the least share of it it should reach)
RATIOS = {"proxy": ("static", 0.50), "django": ("constant", 0.90)}
NAMES = {
    "proxy": "the case page through the proxy (micro-cache)",
    "static": "the same bytes as a static file from nginx",
    "django": "the case page from Django alone (page cache in Redis)",
    "constant": "a constant body of the same size from Django",
}


def requests_per_second(url, seconds):
    result = subprocess.run([*WRK, f"-d{seconds}s", url], capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise RuntimeError(f"wrk on {url} failed: {result.stderr}")
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if refused:  # a rate of errors would be no measure of the page
        raise RuntimeError(f"{url}: {refused.group(1)} answers were not 2xx or 3xx\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


@dataclass
class Throughput:
    rates: dict  # name: the best requests a second of the rounds
    seconds: int
    rounds: int

    def ratio(self, page):
        return self.rates[page] / self.rates[RATIOS[page][0]]

    def figures(self):
        return {
            "wrk": " ".join(WRK),
            "seconds": self.seconds,
            "rounds": self.rounds,
            "requests_per_second": {name: round(rate, 1) for name, rate in self.rates.items()},
            "ratios": {page: round(self.ratio(page), 3) for page in RATIOS},
            "targets": {page: least for page, (_, least) in RATIOS.items()},
        }

    def text(self):
        wrk = " ".join(WRK)
        lines = [f"Stack throughput ({wrk}, {self.seconds} s each, the best of {self.rounds} rounds):"]
        for page, (floor, least) in RATIOS.items():
            ratio = self.ratio(page)
            lines.append(
                f"  {NAMES[page]}: {self.rates[page]:,.0f}/s; {NAMES[floor]}: {self.rates[floor]:,.0f}/s: "
                f"{ratio:.1%} (target at least {least:.0%}: {'met' if ratio >= least else 'NOT MET'})"
            )
        return "\n".join(lines)


def throughput_ratios(*, proxy, static, django, constant, seconds=5, rounds=2):
    """Each URL loaded in turn, round after round, so the pairs share the machine's moment."""
    urls = {"static": static, "proxy": proxy, "constant": constant, "django": django}
    rates = dict.fromkeys(urls, 0.0)
    for _ in range(rounds):
        for name, url in urls.items():
            rates[name] = max(rates[name], requests_per_second(url, seconds))
    return Throughput(rates, seconds, rounds)
