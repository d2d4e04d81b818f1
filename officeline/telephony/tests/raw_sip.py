"""A bare SIP client over UDP for tests that send what no phone would: floods, garbage,
oversized or wrongly authenticated requests."""

from __future__ import annotations

import hashlib
import re
import socket
import uuid


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class RawSip:
    """One UDP socket on ``source`` (any 127.x.y.z address) talking to Kamailio."""

    def __init__(self, port: int, source: str = "127.0.0.1", host: str = "127.0.0.1") -> None:
        self.server = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((source, 0))
        self.source, self.local_port = self.sock.getsockname()

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RawSip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def receive(self, timeout: float = 1.0) -> str | None:
        self.sock.settimeout(timeout)
        try:
            data, _ = self.sock.recvfrom(65535)
        except TimeoutError:
            return None
        return data.decode(errors="replace")

    def request(
        self,
        method: str,
        uri: str,
        *,
        user: str = "probe",
        domain: str = "officeline.test",
        headers: str = "",
        call_id: str = "",
        cseq: int = 1,
        body: str = "",
        to_tag: str = "",
        contact: str = "",
    ) -> bytes:
        """``to_tag`` makes it a request within a dialog; ``contact`` replaces our own."""
        call_id = call_id or uuid.uuid4().hex
        branch = "z9hG4bK" + uuid.uuid4().hex[:16]
        return (
            f"{method} {uri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {self.source}:{self.local_port};branch={branch}\r\n"
            f"From: <sip:{user}@{domain}>;tag={call_id[:8]}\r\n"
            f"To: <sip:{user}@{domain}>{f';tag={to_tag}' if to_tag else ''}\r\n"
            f"Call-ID: {call_id}\r\n"
            f"CSeq: {cseq} {method}\r\n"
            f"Contact: <{contact or f'sip:{user}@{self.source}:{self.local_port}'}>\r\n"
            f"Max-Forwards: 70\r\n"
            f"{headers}"
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
        ).encode()

    def ask(self, message: bytes, timeout: float = 1.0) -> str | None:
        """Send one request and return the first final answer (1xx are skipped), or None."""
        self.send(message)
        while (answer := self.receive(timeout)) is not None:
            if not answer.startswith("SIP/2.0 1"):
                return answer
        return None

    def register(
        self,
        username: str,
        password: str,
        *,
        domain: str = "officeline.test",
        realm: str = "",
        contact: str = "",
    ) -> str | None:
        """REGISTER with digest credentials (for ``realm`` if given, else the challenge's)."""
        call_id = uuid.uuid4().hex
        uri = f"sip:{domain}"
        challenge = self.ask(
            self.request(
                "REGISTER", uri, user=username, domain=domain, call_id=call_id, contact=contact
            )
        )
        if challenge is None or not challenge.startswith("SIP/2.0 401"):
            return challenge
        found = re.search(r'realm="([^"]*)".*?nonce="([^"]*)"', challenge)
        assert found, challenge
        realm = realm or found.group(1)
        nonce = found.group(2)
        ha1 = _md5(f"{username}:{realm}:{password}")
        response = _md5(f"{ha1}:{nonce}:" + _md5(f"REGISTER:{uri}"))
        authorization = (
            f'Authorization: Digest username="{username}", realm="{realm}", '
            f'nonce="{nonce}", uri="{uri}", response="{response}", algorithm=MD5\r\n'
        )
        return self.ask(
            self.request(
                "REGISTER",
                uri,
                user=username,
                domain=domain,
                call_id=call_id,
                cseq=2,
                headers=authorization + "Expires: 300\r\n",
                contact=contact,
            )
        )


def proxy_authorization(challenge: str, uri: str, username: str, password: str) -> str:
    """The Proxy-Authorization header answering a 407's challenge for an INVITE to ``uri``."""
    found = re.search(r'realm="([^"]*)".*?nonce="([^"]*)"', challenge)
    assert found, challenge
    realm, nonce = found.groups()
    response = _md5(f"{_md5(f'{username}:{realm}:{password}')}:{nonce}:{_md5(f'INVITE:{uri}')}")
    return (
        f'Proxy-Authorization: Digest username="{username}", realm="{realm}", nonce="{nonce}", '
        f'uri="{uri}", response="{response}", algorithm=MD5\r\n'
    )


def status(answer: str | None) -> int | None:
    """The status code of an answer, or None when there was none."""
    return int(answer.split(" ", 2)[1]) if answer else None
