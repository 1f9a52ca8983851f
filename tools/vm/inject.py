#!/usr/bin/env python3
"""inject.py <serial log> <monitor socket>: forwards the guest's input requests to QEMU.

A suite asks for input by printing `# inject: <HMP command>` on the serial console (ktap.sh's
`inject`, e.g. `# inject: sendkey ctrl-alt-l`, `# inject: mouse_move 10 0`); this follows the
log as QEMU writes it and sends each such command to the human monitor on the unix socket.
Only `sendkey`, `mouse_move` and `mouse_button` pass: the guest cannot drive the rest of the
monitor. Runs until killed (run.sh kills it when QEMU exits).
"""
import os
import socket
import sys
import time

ALLOWED = ("sendkey", "mouse_move", "mouse_button")
MARK = "# inject: "


def send(path, command):
    """Sends one command line to the monitor and reads until its prompt comes back."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(command.encode() + b"\n")
        got = b""
        # The banner's prompt, then the command's echo and the next prompt.
        while got.count(b"(qemu)") < 2:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk


def main():
    log, sock = sys.argv[1], sys.argv[2]
    pos, pending = 0, ""
    while True:
        try:
            with open(log, "rb") as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = b""
        if not data:
            time.sleep(0.1)
            continue
        pos += len(data)
        pending += data.decode("utf-8", "replace")
        *lines, pending = pending.split("\n")
        for line in lines:
            line = line.strip()
            if not line.startswith(MARK):
                continue
            command = line[len(MARK):].strip()
            if command.split(" ", 1)[0] not in ALLOWED:
                continue
            try:
                send(sock, command)
            except OSError as e:
                print(f"inject.py: {command}: {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
