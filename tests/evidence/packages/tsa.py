"""A local RFC 3161 timestamp authority for the tests: ``openssl ts`` with a root and a TSA
certificate made in a temporary directory, answering on 127.0.0.1 through a tiny HTTP server."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

OPENSSL = shutil.which("openssl")

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""
EXTENSIONS = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
"""


def _run(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(directory: Path) -> Path:
    """Keys, certificates and the ``openssl ts`` configuration in ``directory``; its config."""
    directory.mkdir(parents=True, exist_ok=True)
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _run("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test Root",
         "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)  # fmt: skip
    _run("req", *curve, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Test TSA",
         cwd=directory)  # fmt: skip
    (directory / "ext.cnf").write_text(EXTENSIONS)
    _run("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
         "-set_serial", "2", "-out", "tsa.crt", "-days", "2", "-extfile", "ext.cnf",
         cwd=directory)  # fmt: skip
    (directory / "serial").write_text("01\n")
    config = directory / "ts.cnf"
    config.write_text(CONFIG.format(dir=directory))
    return config


def reply(config: Path, query: bytes) -> bytes:
    directory = config.parent
    (directory / "query.tsq").write_bytes(query)
    _run("ts", "-reply", "-config", str(config), "-queryfile", "query.tsq", "-out", "reply.tsr",
         cwd=directory)  # fmt: skip
    return (directory / "reply.tsr").read_bytes()


def token_for_other_data(tmp: Path) -> bytes | None:
    """A genuine token of bytes that are not any manifest (None without openssl)."""
    if OPENSSL is None:
        return None
    config = make_authority(tmp / "other-tsa")
    (tmp / "other.txt").write_bytes(b"some other document")
    _run("ts", "-query", "-data", "other.txt", "-sha256", "-cert", "-out", "other.tsq", cwd=tmp)
    return reply(config, (tmp / "other.tsq").read_bytes())


@contextmanager
def authority(directory: Path) -> Iterator[tuple[str, Path]]:
    """(URL, root certificate) of an authority answering on loopback while the block runs."""
    config = make_authority(directory)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                answer = reply(config, body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", directory / "ca.crt"
    finally:
        server.shutdown()
        server.server_close()
