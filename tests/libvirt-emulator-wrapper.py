#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A libvirt <emulator> that runs the real qemu-system-x86_64 with a simulated AMD SP.

libvirt runs this in place of QEMU. It runs the real QEMU for everything, with
SEV stripped from its command line, and stands between libvirt and QEMU's
monitor: the SEV commands (query-sev-capabilities, query-sev,
query-sev-launch-measure, sev-inject-launch-secret) are answered from the SEV
model of qmp-peer.py (launch digest of the firmware QEMU really loads, the
measurement under the TIK, the MAC check and decryption of an injected
packet); every other command, event and file descriptor passes through.

libvirt's capability probe runs with accel=tcg instead of kvm:tcg: where
/dev/kvm exists but libvirt's QEMU user cannot open it (a container), the
KVM answer of the probe never matches libvirt's own check, and libvirt would
probe again on every call (seconds each). Domains run under TCG anyway.

What is simulated: the secure processor only. Its TIK/TEK come from sim.json
beside this file (a real SP derives them from the owner's session, which is
not modelled here); sim.json also names the log the proxy writes JSON lines to.
"""

import array
import base64
import importlib.util
import json
import os
import select
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU = '/usr/bin/qemu-system-x86_64'
SEV_COMMANDS = ('query-sev-capabilities', 'query-sev', 'query-sev-launch-measure',
                'sev-inject-launch-secret')


def load_peer():
    spec = importlib.util.spec_from_file_location('qmp_peer', os.path.join(HERE, 'qmp-peer.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PEER = load_peer()


class Sim:
    """The secure processor of one QEMU: its keys, the digest it measured, what it was given."""

    def __init__(self, config, firmware, policy):
        self.config = config
        self.policy = policy
        self.tik = PEER.read_file(config['tik'])
        self.tek = PEER.read_file(config['tek'])
        self.api = tuple(int(x) for x in config.get('api', '1.49').split('.'))
        self.build = config.get('build', 6)
        self.state = 'launch-secret'
        self.mnonce = os.urandom(16)
        self.measurement = None
        if firmware is not None:
            digest = PEER.launch_digest(PEER.read_file(firmware), None, [])
            self.measurement = PEER.launch_measurement(self.tik, self.api[0], self.api[1],
                                                       self.build, policy, digest, self.mnonce)
        self.log = open(config['log'], 'a') if config.get('log') else None

    def note(self, obj):
        if self.log is not None:
            self.log.write(json.dumps(obj) + '\n')
            self.log.flush()

    def answer(self, name, args):
        """The 'return' for an SEV command, or raises PEER.PeerError."""
        self.note({'execute': name})
        if name == 'query-sev-capabilities':
            return {'pdh': base64.b64encode(b'\1' * 2084).decode(),
                    'cert-chain': base64.b64encode(b'\2' * 7868).decode(),
                    'cpu0-id': base64.b64encode(b'\3' * 64).decode(),
                    'cbitpos': 47, 'reduced-phys-bits': 1}
        if self.measurement is None:
            raise PEER.PeerError('SEV feature is not available')
        if name == 'query-sev':
            return {'enabled': True, 'api-major': self.api[0], 'api-minor': self.api[1],
                    'build-id': self.build, 'policy': self.policy, 'state': self.state,
                    'handle': 1}
        if name == 'query-sev-launch-measure':
            return {'data': base64.b64encode(self.measurement + self.mnonce).decode()}
        return self.inject(args)

    def inject(self, args):
        if self.state != 'launch-secret':
            raise PEER.PeerError('SEV: Not in correct state. (LSECRET) %x'
                                 % PEER.SEV_STATES.index(self.state))
        header = PEER.b64decode_strict(args.get('packet-header', ''))
        data = PEER.b64decode_strict(args.get('secret', ''))
        if not header or not data:
            raise PEER.PeerError('SEV: Failed to decode sequence header')
        plain = PEER.open_secret_packet(self.tik, self.tek, header, data, self.measurement)
        if plain is None:
            self.note({'inject-rejected': 'bad mac'})
            raise PEER.PeerError("SEV: failed to inject secret ret=-1 fw_error=11 'Bad measurement'")
        secrets = PEER.parse_secret_table(plain)
        self.note({'injected': {g: v.hex() for g, v in secrets.items()}, 'gpa': args.get('gpa')})
        return {}


# ------------------------------------------------------------------ proxy

def recv_with_fds(sock):
    fds = array.array('i')
    data, ancdata, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(16 * fds.itemsize))
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    return data, list(fds)


def send_all(sock, data, fds=()):
    if fds:
        sent = sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))])
        data = data[sent:]
        for fd in fds:
            os.close(fd)
    if data:
        sock.sendall(data)


def handle_client_line(sim, line, upstream, client, fds):
    """A command from libvirt: answered here if it is SEV's, else sent on to QEMU."""
    try:
        msg = json.loads(line)
    except ValueError:
        msg = None
    name = msg.get('execute') if isinstance(msg, dict) else None
    if name in SEV_COMMANDS:
        reply = {'id': msg['id']} if 'id' in msg else {}
        try:
            reply['return'] = sim.answer(name, msg.get('arguments') or {})
        except PEER.PeerError as e:
            reply['error'] = {'class': e.klass, 'desc': e.desc}
        send_all(client, json.dumps(reply).encode() + b'\r\n')
        for fd in fds:
            os.close(fd)
        return
    if name == 'cont':
        sim.state = 'running'
        sim.note({'execute': 'cont'})
    send_all(upstream, line, fds)


def relay(sim, client, upstream):
    """One libvirt connection; False once QEMU's monitor has gone."""
    pending = b''
    while True:
        ready, _, _ = select.select([client, upstream], [], [])
        if upstream in ready:
            data = upstream.recv(65536)
            if not data:
                return False
            client.sendall(data)
        if client in ready:
            data, fds = recv_with_fds(client)
            if not data:
                return True
            pending += data
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                handle_client_line(sim, line + b'\n', upstream, client, fds)
                fds = []


def connect_upstream(address):
    deadline = time.monotonic() + 60
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(address)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def serve(sim, listener, address):
    """Accepts libvirt on @listener, relays to QEMU at @address, until QEMU goes.

    The machine's init may not reap orphans: the proxy never outlives QEMU."""
    client, _ = listener.accept()
    upstream = connect_upstream(address)
    while relay(sim, client, upstream):
        # libvirt went (a daemon restart): wait for it to come back, or for QEMU to go
        client.close()
        ready, _, _ = select.select([listener, upstream], [], [])
        if upstream in ready and not upstream.recv(65536):
            return
        if listener in ready:
            client, _ = listener.accept()


def detach(run, keep_stderr):
    """Runs @run in a grandchild outside our session; the caller goes on at once.

    libvirt reads a probe's output until EOF: a proxy that kept it open would
    hold libvirtd up, so only a domain's proxy keeps stderr (the domain log)."""
    pid = os.fork()
    if pid != 0:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1) if keep_stderr else (0, 1, 2):
            os.dup2(devnull, fd)
        run()
    except Exception as e:  # the proxy's own failure goes to the domain log (stderr)
        sys.stderr.write('sevlaunch wrapper proxy: %s\n' % e)
    finally:
        os._exit(0)


# --------------------------------------------------------- command lines

def option_value(argv, name):
    for i, arg in enumerate(argv[:-1]):
        if arg == name:
            return i, argv[i + 1]
    return None, None


def firmware_of(argv):
    _, bios = option_value(argv, '-bios')
    if bios is not None:
        return bios
    for i, arg in enumerate(argv[:-1]):
        if arg == '-blockdev' and argv[i + 1].startswith('{'):
            node = json.loads(argv[i + 1])
            if node.get('node-name', '').startswith('libvirt-pflash0') and 'filename' in node:
                return node['filename']
    return None


def strip_sev(argv):
    """QEMU's arguments without SEV; the sev-guest object's policy."""
    out, policy, i = [], None, 0
    while i < len(argv):
        arg = argv[i]
        if arg == '-object' and i + 1 < len(argv) and '"sev-guest"' in argv[i + 1]:
            policy = json.loads(argv[i + 1]).get('policy', 0)
            i += 2
            continue
        if arg == '-machine' and i + 1 < len(argv):
            keys = [k for k in argv[i + 1].split(',') if not k.startswith('confidential-guest-support=')]
            out += [arg, ','.join(keys)]
            i += 2
            continue
        out.append(arg)
        i += 1
    return out, policy


def load_config():
    with open(os.path.join(HERE, 'sim.json')) as f:
        return json.load(f)


def probe(argv):
    """Capability probing (-qmp unix:PATH ... -daemonize): QEMU daemonizes, the proxy stays."""
    i, value = option_value(argv, '-qmp')
    path = value.split(',')[0][len('unix:'):]
    real = path + '.real'
    argv = list(argv)
    argv[i + 1] = value.replace('unix:' + path, 'unix:' + real, 1)
    # the guest runs under TCG: a KVM that libvirt's user cannot open would make every lookup re-probe
    argv = [a.replace('accel=kvm:tcg', 'accel=tcg') for a in argv]
    rc = os.spawnv(os.P_WAIT, QEMU, [QEMU] + argv)
    if rc != 0:
        return rc
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    sim = Sim(load_config(), None, 0)
    detach(lambda: serve(sim, listener, real), False)
    return 0


def monitor_listener(argv):
    """libvirt's monitor: a listening fd it handed over, or a path; its index in argv."""
    for i, arg in enumerate(argv[:-1]):
        if arg == '-chardev' and 'id=charmonitor' in argv[i + 1]:
            opts = dict(o.split('=', 1) for o in argv[i + 1].split(',')[1:] if '=' in o)
            if 'fd' in opts:
                return i, socket.socket(fileno=int(opts['fd']))
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            if os.path.exists(opts['path']):
                os.unlink(opts['path'])
            listener.bind(opts['path'])
            listener.listen(1)
            return i, listener
    raise SystemExit('sevlaunch wrapper: no charmonitor chardev')


def start(argv):
    """A domain: real QEMU (exec, so libvirt's PID stays right), the proxy detached."""
    if not any('"sev-guest"' in a for a in argv):
        # no SEV asked for: QEMU as libvirt started it, its own monitor answering
        os.execv(QEMU, [QEMU] + argv)
    argv, policy = strip_sev(argv)
    sim = Sim(load_config(), firmware_of(argv), policy or 0)
    i, listener = monitor_listener(argv)
    name = 'sevlaunch-sim-%d-%d' % (os.getpid(), time.monotonic_ns())
    argv[i + 1] = 'socket,id=charmonitor,path=%s,abstract=on,server=on,wait=off' % name
    if not os.path.exists('/dev/kvm') or os.environ.get('SEVLAUNCH_SIM_TCG'):
        argv = [a.replace('accel=kvm', 'accel=tcg') for a in argv]
    os.set_inheritable(listener.fileno(), True)
    detach(lambda: serve(sim, listener, '\0' + name), True)
    listener.close()
    os.execv(QEMU, [QEMU] + argv)


def main(argv):
    trace = os.path.join(HERE, 'trace.log')
    if os.path.exists(trace):  # the test's record of how libvirt ran us
        with open(trace, 'a') as f:
            f.write(json.dumps(argv) + '\n')
    if '-qmp' in argv and '-daemonize' in argv:
        return probe(argv)
    if any(a == '-chardev' for a in argv):
        return start(argv)
    os.execv(QEMU, [QEMU] + argv)
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
