#!/usr/bin/env python3
"""N clients sending GET requests to one URL for S seconds, each on its own keep-alive connection.

Usage: hammer.py URL CLIENTS SECONDS

Prints one line: requests=<n> statuses=<code:count,...> miss=<answers with X-Cache: MISS> max_seconds=<slowest>
"""
import http.client
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
clients = int(sys.argv[2])
seconds = float(sys.argv[3])
end = time.monotonic() + seconds
lock = threading.Lock()
statuses = Counter()
misses = 0
slowest = 0.0


def client():
    global misses, slowest
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=90)
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            connection.request("GET", url.path)
            response = connection.getresponse()
            response.read()
            status, miss = str(response.status), response.getheader("X-Cache") == "MISS"
        except (OSError, http.client.HTTPException) as ex:
            status, miss = type(ex).__name__, False
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=90)
        took = time.monotonic() - started
        with lock:
            statuses[status] += 1
            misses += miss
            slowest = max(slowest, took)


threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("requests=%d statuses=%s miss=%d max_seconds=%.3f" % (
    sum(statuses.values()), ",".join("%s:%d" % kv for kv in sorted(statuses.items())), misses, slowest))
