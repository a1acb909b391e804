#!/usr/bin/env python3
"""An https receiver that requires a client certificate issued by your CA (mutual TLS; standard library only).

    SERVER_CERT=server.pem SERVER_KEY=server.key CLIENT_CA=ca.pem PORT=3443 python3 receive_mtls.py

The TLS handshake refuses a client without a certificate from CLIENT_CA, so only Causeloop (holding client.pem and
client.key, set as the webhook's auth) gets an answer. Answers 204 and prints the client certificate's common name.
"""
import os
import ssl
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        subject = dict(field[0] for field in self.connection.getpeercert()["subject"])
        self.send_response(204)
        self.end_headers()
        print(f"verified {self.headers.get('webhook-id', '?')} from {subject.get('commonName')}", flush=True)

    def log_message(self, *args):
        pass


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.environ["SERVER_CERT"], os.environ["SERVER_KEY"])
context.load_verify_locations(os.environ["CLIENT_CA"])
context.verify_mode = ssl.CERT_REQUIRED  # no client certificate from CLIENT_CA, no connection

server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3443"))), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("ready", flush=True)
server.serve_forever()
