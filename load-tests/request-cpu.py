#!/usr/bin/env python3
"""The CPU price of one kind of request on a running local stack, per component, net of what the stack burns idle.

What it answers: how much of a lane's CPU per order is the price of a single HTTP request through a service, of a
read by key, of a whole order of one flow, and how much is the stack's background spread over the orders
(adr/0043). The comparison's figures include the load generator and the idle stack; these do not. Standard library
only; the client's own CPU is not counted (it is not a stack component).

Run it from the repository root against a stack started with `./txlab up --no-zipkin`:

    python3 load-tests/request-cpu.py 20 60 liveness read cockroach choreography

For each kind, in turn: a warm-up at the rate (discarded; as long as a window unless --warmup-seconds), a window
with no requests, a window at the rate. A component's price is (its CPU in the loaded window - its CPU in the idle
window) / requests, from utime + stime (+ reaped children) of its whole process tree in /proc, so a PostgreSQL
cluster counts its backends.
Kinds:
  liveness   GET /actuator/health/liveness on order-service: HTTP, Spring MVC and Jackson, no database;
  read       GET /orders/{id} of one final order: the same plus one read by primary key;
  <flow>     POST /orders of that flow, then GET /orders/{id}?waitForFinal=5s until final: a whole order;
  <flow>+prefer-wait    the same, the POST sending Prefer: wait=5 (RFC 7240): order-service answers it once the
             order is final (adr/0048), so an order takes one request instead of a POST and a long-poll;
  <flow>+semantic-lock  the same for a product under a semantic lock (LOCKED-nnnn; adr/0044): in the orchestration
             flow, its stock is held as PENDING and settled by one more step once the order is confirmed.
Requests go one after another on one kept-alive connection, paced to the rate (closed loop: a slow answer delays the
next request; the achieved rate is printed). Figures of one run are a direction; repeat a kind to see its spread.
"""
import argparse
import http.client
import importlib.util
import json
import os
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
HOST, PORT = '127.0.0.1', 8081
FLOWS = ('choreography', 'outbox', 'orchestration', 'twopc', 'cockroach')
LOCKED = '+semantic-lock'
PREFER_WAIT = '+prefer-wait'


def sibling(name):
    """Another script of this folder as a module (their names have hyphens, so a plain import cannot load them)."""
    spec = importlib.util.spec_from_file_location(name.replace('-', '_'), os.path.join(HERE, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sys.dont_write_bytecode = True  # loading the siblings leaves no __pycache__ in the work tree
# A component's CPU counted as cpu-windows.py (and the comparison) counts it; orders built as independent-client.py's.
WINDOWS = sibling('cpu-windows')
CLIENT = sibling('independent-client')


HZ = WINDOWS.HZ


def snapshot(pids):
    return WINDOWS.snapshot(pids)[0]


class Client:
    def __init__(self):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def call(self, method, path, body=None, prefer=None):
        headers = {}
        if body is not None:
            headers = {'Content-Type': 'application/json', 'Idempotency-Key': str(uuid.uuid4())}
            body = json.dumps(body).encode()
        if prefer is not None:
            headers['Prefer'] = prefer
        self.conn.request(method, path, body, headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError('%s %s -> %d %s' % (method, path, response.status, data[:200]))
        return json.loads(data) if data else None

    def order(self, flow, locked=False, prefer_wait=False):
        order = self.call('POST', '/orders', CLIENT.order_body(flow, locked), 'wait=5' if prefer_wait else None)
        requests = 1
        while order['status'] == 'PENDING':
            order = self.call('GET', '/orders/%s?waitForFinal=5s' % order['id'])
            requests += 1
        return order, requests


def request_of(kind, client):
    """A callable that sends one request of the kind and returns how many HTTP requests it took."""
    if kind == 'liveness':
        return lambda: (client.call('GET', '/actuator/health/liveness'), 1)[1]
    if kind == 'read':
        order, _ = client.order('cockroach')
        path = '/orders/%s' % order['id']
        return lambda: (client.call('GET', path), 1)[1]
    if kind in FLOWS:
        return lambda: client.order(kind)[1]
    if kind.endswith(LOCKED) and kind[:-len(LOCKED)] in FLOWS:
        return lambda: client.order(kind[:-len(LOCKED)], locked=True)[1]
    if kind.endswith(PREFER_WAIT) and kind[:-len(PREFER_WAIT)] in FLOWS:
        return lambda: client.order(kind[:-len(PREFER_WAIT)], prefer_wait=True)[1]
    sys.exit('unknown kind %r: liveness, read, one of %s, or a flow followed by %s or %s'
             % (kind, ', '.join(FLOWS), LOCKED, PREFER_WAIT))


def paced(send, rate, seconds):
    """Sends at the rate for the seconds; returns (units sent, HTTP requests, seconds taken)."""
    start, units, requests = time.monotonic(), 0, 0
    while True:
        due = start + units / rate
        if due >= start + seconds:
            break
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        requests += send()
        units += 1
    return units, requests, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description='The CPU price of one kind of request on a running local stack, '
                                     'per component, net of the idle stack (adr/0043).')
    parser.add_argument('rate', type=float, help='requests (or orders) per second')
    parser.add_argument('seconds', type=float, help='length of the idle and of the loaded window')
    parser.add_argument('kinds', nargs='+', help='liveness, read, a flow, <flow>+prefer-wait or <flow>+semantic-lock')
    parser.add_argument('--warmup-seconds', type=float,
                        help='warm-up before each kind, at the rate (default: the window length); make it minutes '
                             'to price code the JIT has finished compiling, e.g. when comparing C1 with C2')
    args = parser.parse_args()
    rate, seconds, kinds = args.rate, args.seconds, args.kinds
    warmup = seconds if args.warmup_seconds is None else args.warmup_seconds
    pids = WINDOWS.components()
    if 'order-service' not in pids:
        sys.exit('order-service is not running: start the stack with ./txlab up --no-zipkin (from the repository root)')
    client = Client()
    for kind in kinds:
        send = request_of(kind, client)
        print('%s: warm-up %.0f s at %.0f/s ...' % (kind, warmup, rate), file=sys.stderr, flush=True)
        paced(send, rate, warmup)
        before = snapshot(pids)
        time.sleep(seconds)
        idle = snapshot(pids)
        units, requests, took = paced(send, rate, seconds)
        loaded = snapshot(pids)
        print('\n%s: %d in %.1f s (%.1f/s, %d HTTP requests); CPU ms per %s, net of the idle window:'
              % (kind, units, took, units / took, requests, 'order' if kind in FLOWS or kind.endswith(LOCKED) or kind.endswith(PREFER_WAIT) else 'request'))
        total, total_idle, gross = 0.0, 0.0, 0.0
        for name in pids:
            gross += (loaded[name] - idle[name]) * 1000.0 / HZ / units
            idle_ms = (idle[name] - before[name]) * 1000.0 / HZ * took / seconds
            price = ((loaded[name] - idle[name]) * 1000.0 / HZ - idle_ms) / units
            total += price
            total_idle += idle_ms
            if abs(price) >= 0.05:
                print('  %-22s %6.2f' % (name, price))
        print('  %-22s %6.2f   (idle stack: %.1f %% of one core, %.2f ms per unit at this rate)'
              % ('total', total, total_idle / took / 10, total_idle / units))
        print('  %-22s %6.2f   (the loaded window, idle stack included, load generator not)' % ('gross', gross))


if __name__ == '__main__':
    main()
