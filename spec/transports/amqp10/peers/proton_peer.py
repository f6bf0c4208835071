"""An independent AMQP 1.0 peer for the specs: Apache Qpid Proton (Debian's python3-qpid-proton).

Run with Debian's /usr/bin/python3. Mutual TLS with the certificates given as files.

  send    --port P --address A --count N   sends N messages, prints {"outcomes": [...]} once all are settled
  receive --port P --address A --count N   listens on 127.0.0.1:P, accepts N messages, prints one JSON line each

Message i has body "message i ✓" + i bytes of 0x00..0xff (as hex in the output), message-id "proton-i",
and application-properties {"index": i, "name": "proton ✓", "even": i % 2 == 0, "ratio": i + 0.5}.
"""
import argparse
import json
import sys

from proton import Message, SSLDomain
from proton.handlers import MessagingHandler
from proton.reactor import Container


def body_of(i):
    return ("message %d ✓" % i).encode("utf-8") + bytes(range(256))[: i % 256] * (1 + i // 256)


def properties_of(i):
    return {"index": i, "name": "proton ✓", "even": i % 2 == 0, "ratio": i + 0.5}


def ssl_domain(mode, args):
    domain = SSLDomain(mode)
    domain.set_credentials(args.cert, args.key, None)
    domain.set_trusted_ca_db(args.ca)
    domain.set_peer_authentication(SSLDomain.VERIFY_PEER, args.ca)
    return domain


def emit(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


class Sender(MessagingHandler):
    def __init__(self, args):
        super().__init__(auto_settle=True)
        self.args = args
        self.sent = 0
        self.outcomes = []

    def on_start(self, event):
        connection = event.container.connect(
            "amqps://127.0.0.1:%d" % self.args.port,
            ssl_domain=ssl_domain(SSLDomain.MODE_CLIENT, self.args),
            sasl_enabled=False,
        )
        event.container.create_sender(connection, self.args.address)

    def on_sendable(self, event):
        while event.sender.credit and self.sent < self.args.count:
            i = self.sent
            message = Message(id="proton-%d" % i, body=body_of(i), properties=properties_of(i), inferred=True)
            event.sender.send(message)
            self.sent += 1

    def settled(self, event, outcome):
        self.outcomes.append(outcome)
        if len(self.outcomes) == self.args.count:
            first = Message(id="proton-0", body=body_of(0), properties=properties_of(0), inferred=True)
            emit({"outcomes": self.outcomes, "firstEncodedHex": first.encode().hex()})
            event.connection.close()

    def on_accepted(self, event):
        self.settled(event, "accepted")

    def on_rejected(self, event):
        self.settled(event, "rejected")

    def on_released(self, event):
        self.settled(event, "released")


class Receiver(MessagingHandler):
    def __init__(self, args):
        super().__init__(prefetch=16, auto_accept=False)
        self.args = args
        self.received = 0
        self.acceptor = None

    def on_start(self, event):
        self.acceptor = event.container.listen(
            "127.0.0.1:%d" % self.args.port, ssl_domain=ssl_domain(SSLDomain.MODE_SERVER, self.args)
        )
        emit({"listening": self.args.port})

    def on_link_opening(self, event):
        if event.link.is_receiver:
            event.link.target.copy(event.link.remote_target)

    def on_message(self, event):
        message = event.message
        body = message.body
        emit(
            {
                "id": message.id,
                "bodyHex": bytes(body).hex() if isinstance(body, (bytes, memoryview)) else None,
                "bodyKind": type(body).__name__,
                "properties": message.properties,
                "address": event.link.target.address,
            }
        )
        # Accepted here rather than after this handler: the last one's outcome must precede the detach below.
        self.accept(event.delivery)
        self.received += 1
        if self.received == self.args.count:
            event.receiver.close()
            event.connection.close()
            self.acceptor.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["send", "receive"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ca", required=True)
    args = parser.parse_args()
    Container(Sender(args) if args.mode == "send" else Receiver(args)).run()


if __name__ == "__main__":
    main()
