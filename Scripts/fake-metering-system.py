#!/usr/bin/env python3
"""A stand-in metering system (用电信息采集系统) speaking the interface docs/prepaid.md describes, for
trying `paygrid serve --metering-url` and for MeteringClientTests (an implementation that is not
PayGrid's). PUT /orders/{id} takes an order, GET /orders/{id} says how it stands; both want
`Authorization: Bearer TOKEN`. It refuses a top-up for meter M404 (422), fails with 500 for M500,
answers nonsense for MBAD, and confirms an order it took when asked. Prints its port, then serves.

    python3 Scripts/fake-metering-system.py --token s3cret [--port 0]
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

taken = {}
lock = threading.Lock()


def handler(token):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def order_id(self):
            parts = self.path.split("/")
            return unquote(parts[2]) if len(parts) == 3 and parts[1] == "orders" else None

        def authorized(self):
            if self.headers.get("Authorization") == "Bearer " + token:
                return True
            self.answer(401, json.dumps({"error": "unauthorized"}))
            return False

        def do_PUT(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not self.authorized():
                return
            order_id, order = self.order_id(), json.loads(body or b"{}")
            if order_id is None or order.get("id") != order_id:
                return self.answer(400, json.dumps({"error": "the body's id is not the path's"}))
            meter = order.get("meter_no")
            if meter == "M500":
                return self.answer(500, "")
            if meter == "MBAD":
                return self.answer(200, "<html>")
            if meter == "M404":
                return self.answer(422, json.dumps({"state": "refused", "reason": "无此表"}, ensure_ascii=False))
            with lock:
                taken.setdefault(order_id, order)
            self.answer(200, json.dumps({"state": "accepted"}))

        def do_GET(self):
            if not self.authorized():
                return
            order_id = self.order_id()
            if order_id == "_taken":  # what it took, for tests
                with lock:
                    return self.answer(200, json.dumps(taken, ensure_ascii=False))
            with lock:
                known = order_id in taken
            if not known:
                return self.answer(404, json.dumps({"state": "refused", "reason": "no such order"}))
            self.answer(200, json.dumps({"state": "confirmed"}))

    return Handler


def main():
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--token", required=True)
    options.add_argument("--port", type=int, default=0)
    arguments = options.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), handler(arguments.token))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
