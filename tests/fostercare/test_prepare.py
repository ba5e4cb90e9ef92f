"""scripts/prepare.sh stops, naming the service, when PostgreSQL or Redis does not answer.

The checks live in scripts/lib/services.sh; these tests run them with bash against ports
on 127.0.0.1 that nothing (or something that is not Redis) listens on.
"""

import socket
import subprocess
import threading
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "scripts" / "lib" / "services.sh"


def run_check(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f'source "{SERVICES}" && {command}'],
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.fixture
def closed_port() -> int:
    """A port that nothing listens on: the kernel's pick, released again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fake_server():
    """fake_server(reply) listens on a free port and answers every connection with reply."""
    servers = []

    def start(reply: bytes) -> int:
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def serve():
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                with conn:
                    conn.recv(64)
                    conn.sendall(reply)

        threading.Thread(target=serve, daemon=True).start()
        return server.getsockname()[1]

    yield start
    for server in servers:
        server.close()


def test_postgresql_check_fails_naming_postgresql_when_nothing_listens(closed_port):
    result = run_check(f"wait_for_postgresql 127.0.0.1 {closed_port} 1")

    assert result.returncode != 0
    assert f"PostgreSQL does not answer on 127.0.0.1:{closed_port}" in result.stderr


def test_redis_check_fails_naming_redis_when_nothing_listens(closed_port):
    result = run_check(f"wait_for_redis 127.0.0.1 {closed_port} 1")

    assert result.returncode != 0
    assert f"Redis does not answer on 127.0.0.1:{closed_port}" in result.stderr


def test_redis_check_fails_when_the_port_is_held_by_something_else(fake_server):
    port = fake_server(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    result = run_check(f"wait_for_redis 127.0.0.1 {port} 1")

    assert result.returncode != 0
    assert "Redis does not answer" in result.stderr


def test_redis_check_passes_when_redis_answers_ping(fake_server):
    port = fake_server(b"+PONG\r\n")

    result = run_check(f"wait_for_redis 127.0.0.1 {port} 1")

    assert result.returncode == 0, result.stderr


def test_failed_check_shows_the_tail_of_the_server_log(closed_port, tmp_path):
    log = tmp_path / "redis.log"
    log.write_text("".join(f"line {n}\n" for n in range(100)) + "Address already in use\n")

    result = run_check(f"wait_for_redis 127.0.0.1 {closed_port} 1 {log}")

    assert "Address already in use" in result.stderr
    assert "line 50\n" not in result.stderr
