#!/usr/bin/env python3
"""An independent cross-check of the comparison's latency, sharing no code with it (Python standard library only).

Open model: orders arrive every 1/rate seconds whether or not earlier ones finished; each is timed from its scheduled
arrival through POST /orders and the long-poll GET /orders/{id}?waitForFinal=5s until it is CONFIRMED or CANCELLED.
Run it against a stack started with `./txlab up --no-zipkin` (order-service on 127.0.0.1:8081), after a warm-up run:

    python3 load-tests/independent-client.py choreography 20 20 > /dev/null   # warm-up
    python3 load-tests/independent-client.py choreography 20 30               # measure

Compare its p50 with the report's p50 for the same flow and rate (issue 13 asks them to agree within 20 %).
"""
import json
import random
import statistics
import sys
import threading
import time
import urllib.request
import uuid

BASE = 'http://127.0.0.1:8081'


def order_body(flow, locked=False):
    """One order of a random seeded customer for one unit of a random seeded SKU, at the catalogue's price; with
    locked, of a seeded product under a semantic lock (LOCKED-0001..0100 at 10.00; adr/0044)."""
    if locked:
        sku, price = 'LOCKED-%04d' % random.randint(1, 100), 10
    else:
        # The seed catalogue's price of SKU-n is 10.00 + n mod 90; orders at another price are refused (422).
        n = random.randint(1, 1000)
        sku, price = 'SKU-%04d' % n, 10 + n % 90
    return {'customerId': 'C-%04d' % random.randint(1, 1000), 'flow': flow,
            'lines': [{'sku': sku, 'quantity': 1, 'unitPrice': price}]}


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: independent-client.py <flow> <orders per second> <seconds>')
    flow, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    results, lock = [], threading.Lock()

    def one(scheduled):
        body = json.dumps(order_body(flow)).encode()
        try:
            request = urllib.request.Request(BASE + '/orders', body, {'Content-Type': 'application/json',
                                                                      'Idempotency-Key': str(uuid.uuid4())})
            order = json.load(urllib.request.urlopen(request, timeout=30))
            while order['status'] == 'PENDING':
                order = json.load(urllib.request.urlopen(
                    '%s/orders/%s?waitForFinal=5s' % (BASE, order['id']), timeout=30))
            elapsed = (time.monotonic() - scheduled) * 1000
        except Exception:  # counted as failed, not timed
            elapsed = None
        with lock:
            results.append(elapsed)

    start = time.monotonic() + 0.5
    threads = []
    for i in range(int(rate * seconds)):
        scheduled = start + i / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=one, args=(scheduled,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    timed = sorted(r for r in results if r is not None)
    if not timed:
        sys.exit('%s: no order finished (%d failed)' % (flow, len(results)))
    print('%s: %d orders, %d failed, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms' % (
        flow, len(timed), results.count(None), statistics.median(timed),
        timed[int(len(timed) * 0.9)], timed[min(len(timed) - 1, int(len(timed) * 0.99))]))


if __name__ == '__main__':
    main()
