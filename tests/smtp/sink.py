"""A real SMTP server on the loopback address for defter's notify tests (aiosmtpd).

Usage: python3 sink.py OUT_DIR [--refuse ADDRESS]... [--flaky ADDRESS]...
                        [--tls starttls|implicit --cert PEM --key PEM]

Listens on 127.0.0.1 at a free port and prints "PORT <n>" once it accepts connections.
Each message it accepts is written to OUT_DIR/<n>.json: the envelope, the raw message,
the headers as sent (RFC 2047 encoded words untouched) and decoded, every MIME part
decoded by Python's email package, and the TLS version the message came over (null when
plain). A --refuse address is refused for good (550); a --flaky address is refused for
now (451) the first time it is named, then taken. With --tls starttls the server offers
STARTTLS and takes no mail before it (530); with --tls implicit it speaks TLS from the
first byte (SMTPS); either with the certificate and key given.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, refuse, flaky):
        self.out, self.refuse, self.flaky = out, set(refuse), set(flaky)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address in self.flaky:
            self.flaky.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "text": part.get_content(),
            })
        raw_message = email.message_from_bytes(raw, policy=email.policy.compat32)
        tls = server.transport.get_extra_info("ssl_object")
        self.count += 1
        record = {
            "tls": tls.version() if tls is not None else None,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "raw_headers": {k: str(v) for k, v in raw_message.items()},
            "headers": {k: str(v) for k, v in message.items()},
            "content_type": message.get_content_type(),
            "parts": parts,
            "raw": raw.decode("ascii", errors="replace"),
        }
        path = os.path.join(self.out, "%03d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=1)
        os.replace(path + ".tmp", path)
        return "250 Message accepted"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--flaky", action="append", default=[])
    parser.add_argument("--tls", choices=["starttls", "implicit"])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    port = free_port()
    options = {}
    if args.tls:
        # A handshake the client gives up on (a certificate it does not trust) is what
        # some tests are for: not a traceback on the test's output.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.tls == "starttls":
            options = {"tls_context": context, "require_starttls": True}
        else:
            options = {"ssl_context": context}
    sink = Sink(args.out, args.refuse, args.flaky)
    controller = Controller(sink, hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("PORT %d" % port, flush=True)
    try:
        # Until the test ends it (or its standard input closes).
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
