#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in for the QMP monitor of a paused SEV / SEV-ES QEMU.

Written independently of the C code under test: it computes the launch
digest and measurement with hashlib/hmac, opens LAUNCH_SECRET packets with
the cryptography package and parses every structure itself.  It serves one
client connection (or --serve N) and exits.  See --help for the knobs that
shape its answers and the faults it can inject.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import socket
import ssl
import struct
import sys
import time
import uuid

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# guids of the OVMF reset-vector table and of the structures we model
OVMF_FOOTER_GUID = '96b582de-1fb2-45f7-baea-a366c55a082d'
SEV_SECRET_AREA_GUID = '4c2eb361-7d9b-4cc3-8081-127c90d3d294'
SEV_HASH_AREA_GUID = '7255371f-3a3b-4b04-927b-1da6efa8d454'
HASH_TABLE_GUID = '9438d606-4f22-4cc9-b479-a793d411fd21'
HASH_CMDLINE_GUID = '97d02dd8-bd20-4c94-aa78-e7714d36ab2a'
HASH_INITRD_GUID = '44baf731-3a2f-4bd7-9af1-41e29169781d'
HASH_KERNEL_GUID = '4de79437-abd2-427f-b835-d5b172d2045b'
SECRET_TABLE_GUID = '1e74f542-71dd-4d66-963e-ef4287ff173b'

SEV_POLICY_ES = 0x4
SEV_STATES = ['uninit', 'launch-update', 'launch-secret', 'running',
              'send-update', 'receive-update']
SECRET_HEADER_LEN = 4 + 16 + 32
MAX_MESSAGE = 10 * 1024 * 1024


class PeerError(Exception):
    """A QMP GenericError (or other class) to answer with."""

    def __init__(self, desc, klass='GenericError'):
        super().__init__(desc)
        self.desc = desc
        self.klass = klass


# ---------------------------------------------------------------- SEV model

def guid_le(text):
    return uuid.UUID(text).bytes_le


def ovmf_table(fw):
    """Entries of the OVMF reset-vector GUIDed table: {guid: data}."""
    if len(fw) < 50 or fw[-48:-32] != guid_le(OVMF_FOOTER_GUID):
        return {}
    total = struct.unpack('<H', fw[-50:-48])[0]
    if total < 18 or total > len(fw) - 32:
        return {}
    start = len(fw) - 32 - total
    pos = len(fw) - 50
    entries = {}
    while pos - start >= 18:
        guid = str(uuid.UUID(bytes_le=fw[pos - 16:pos]))
        length = struct.unpack('<H', fw[pos - 18:pos - 16])[0]
        if length < 18 or length > pos - start:
            break
        entries[guid] = fw[pos - length:pos - 18]
        pos -= length
    return entries


def hashes_table(kernel, initrd, cmdline):
    """The padded SEV kernel hashes table QEMU measures after the firmware."""
    cmd = (cmdline or '').encode() + b'\0'
    entries = [(HASH_CMDLINE_GUID, hashlib.sha256(cmd).digest()),
               (HASH_INITRD_GUID, hashlib.sha256(initrd or b'').digest()),
               (HASH_KERNEL_GUID, hashlib.sha256(kernel).digest())]
    body = b''.join(guid_le(g) + struct.pack('<H', 50) + h for g, h in entries)
    table = guid_le(HASH_TABLE_GUID) + struct.pack('<H', 18 + len(body)) + body
    pad = (16 - len(table) % 16) % 16
    return table + b'\0' * pad


def launch_digest(fw, table, vmsas):
    h = hashlib.sha256()
    h.update(fw)
    if table:
        h.update(table)
    for v in vmsas:
        h.update(v)
    return h.digest()


def launch_measurement(tik, api_major, api_minor, build, policy, ld, mnonce):
    msg = struct.pack('<BBBBI', 0x04, api_major, api_minor, build, policy)
    return hmac.new(tik, msg + ld + mnonce, hashlib.sha256).digest()


def open_secret_packet(tik, tek, header, ciphertext, measurement):
    """Check the packet MAC and decrypt it, as the PSP would."""
    if len(header) != SECRET_HEADER_LEN:
        raise PeerError('SEV: Failed to decode sequence header')
    flags, iv, mac = header[0:4], header[4:20], header[20:52]
    n = struct.pack('<I', len(ciphertext))
    msg = b'\x01' + flags + iv + n + n + ciphertext + measurement
    want = hmac.new(tik, msg, hashlib.sha256).digest()
    if not hmac.compare_digest(want, mac):
        return None
    dec = Cipher(algorithms.AES(tek), modes.CTR(iv)).decryptor()
    return dec.update(ciphertext) + dec.finalize()


def parse_secret_table(data):
    """The EFI secret table as the guest's efi_secret driver walks it.

    Returns {guid: bytes} or raises ValueError.  The total length may or may
    not cover the zero padding to 16 bytes (tools differ); entries with the
    null GUID are deleted ones and skipped, as Linux does."""
    if len(data) < 20:
        raise ValueError('secret table shorter than its header')
    if data[0:16] != guid_le(SECRET_TABLE_GUID):
        raise ValueError('secret table guid is wrong')
    total = struct.unpack('<I', data[16:20])[0]
    if total < 20 or total > len(data):
        raise ValueError('secret table length %d out of range' % total)
    secrets = {}
    pos = 20
    while total - pos >= 20:
        guid = str(uuid.UUID(bytes_le=data[pos:pos + 16]))
        length = struct.unpack('<I', data[pos + 16:pos + 20])[0]
        if length < 20 or length > total - pos:
            raise ValueError('secret entry length %d out of range' % length)
        if guid in secrets:
            raise ValueError('duplicate secret guid %s' % guid)
        if guid != str(uuid.UUID(int=0)):
            secrets[guid] = data[pos + 20:pos + length]
        pos += length
    if any(data[pos:]):
        raise ValueError('bytes after the last secret entry are not zero')
    return secrets


# ------------------------------------------------------------- the monitor

def b64decode_strict(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def timestamp():
    now = time.time()
    return {'seconds': int(now), 'microseconds': int((now % 1) * 1000000)}


class Guest:
    """What the paused VM looks like; shared by every connection served."""

    def __init__(self, args):
        self.args = args
        self.version = tuple(int(x) for x in args.qemu_version.split('.'))
        self.status = args.run_status
        self.measurement = None
        self.blob = None
        self.secret_area = None
        self.injected = 0
        self.fw_table = {}
        if args.sev_disabled or args.sev_unavailable:
            return
        self.load_keys()
        self.compute_measurement()

    def load_keys(self):
        a = self.args
        self.tik = read_file(a.tik) if a.tik else os.urandom(16)
        self.tek = read_file(a.tek) if a.tek else None
        if len(self.tik) != 16 or (self.tek is not None and len(self.tek) != 16):
            fail('TIK and TEK must be 16 bytes each')

    def compute_measurement(self):
        a = self.args
        mnonce = bytes.fromhex(a.mnonce_hex) if a.mnonce_hex else os.urandom(16)
        if len(mnonce) != 16:
            fail('--mnonce-hex needs 16 bytes')
        if a.launch_digest:
            ld = bytes.fromhex(a.launch_digest)
        else:
            ld = self.digest_from_files()
        if len(ld) != 32:
            fail('launch digest must be 32 bytes')
        api_major, api_minor = (int(x) for x in a.api.split('.'))
        self.measurement = launch_measurement(self.tik, api_major, api_minor,
                                              a.build, a.policy, ld, mnonce)
        self.blob = self.measurement + mnonce
        self.ld = ld
        if a.report_blob:
            # a published blob taken as is (the secret vectors come with one)
            self.blob = base64.b64decode(a.report_blob, validate=True)
            self.measurement = self.blob[0:32]

    def digest_from_files(self):
        a = self.args
        if not a.firmware:
            fail('--firmware or --launch-digest is required')
        fw = bytearray(read_file(a.firmware))
        self.fw_table = ovmf_table(bytes(fw))
        area = self.fw_table.get(SEV_SECRET_AREA_GUID)
        if area is not None and len(area) >= 8:
            self.secret_area = struct.unpack('<II', area[0:8])
        if a.tamper_firmware:
            fw[len(fw) // 2] ^= 0x01
        table = None
        if a.kernel:
            hash_area = self.fw_table.get(SEV_HASH_AREA_GUID)
            if hash_area is None or len(hash_area) < 8:
                fail('SEV: kernel specified but guest firmware has no hashes table GUID')
            base, size = struct.unpack('<II', hash_area[0:8])
            table = hashes_table(read_file(a.kernel),
                                 read_file(a.initrd) if a.initrd else None,
                                 a.cmdline)
            if base == 0 or size < len(table):
                fail('SEV: guest firmware hashes table area is invalid '
                     '(base=0x%x size=0x%x)' % (base, size))
        vmsas = [read_file(v) for v in a.vmsa]
        es = bool(a.policy & SEV_POLICY_ES)
        if es and not vmsas:
            fail('an SEV-ES policy needs --vmsa files (or --launch-digest)')
        if not es and vmsas:
            fail('--vmsa is only measured with an SEV-ES policy (0x4)')
        if es and len(vmsas) != self.vcpus():
            fail('%d VMSAs given for %d vCPUs' % (len(vmsas), self.vcpus()))
        return launch_digest(bytes(fw), table, vmsas)

    def vcpus(self):
        a = self.args
        if a.vcpus is not None:
            return a.vcpus
        return max(1, len(a.vmsa))

    def new_style(self):
        return self.version >= (9, 1)

    # --- commands
    def query_sev(self, _args):
        a = self.args
        if a.sev_unavailable:
            raise PeerError('SEV is not available in this QEMU')
        enabled = not a.sev_disabled
        api_major, api_minor = (int(x) for x in a.api.split('.')) if enabled else (0, 0)
        info = {'enabled': enabled, 'api-major': api_major, 'api-minor': api_minor,
                'build-id': a.build if enabled else 0,
                'state': a.state if enabled else 'uninit'}
        snp = a.sev_type == 'sev-snp'
        if self.new_style():
            info['sev-type'] = 'sev-snp' if (snp and enabled) else 'sev'
            if snp and enabled:
                info['snp-policy'] = a.snp_policy
                return info
        info['policy'] = a.policy if enabled else 0
        info['handle'] = a.handle if enabled else 0
        return info

    def query_sev_launch_measure(self, _args):
        a = self.args
        if a.sev_disabled or a.sev_unavailable or a.sev_type == 'sev-snp':
            raise PeerError('SEV launch measurement is not available')
        if a.state in ('uninit', 'launch-update'):
            raise PeerError('SEV launch measurement is not available')
        if a.measure_data is not None:
            return {'data': a.measure_data}
        if a.huge_measure:
            return {'data': 'A' * (a.huge_measure * 1024 * 1024)}
        blob = self.blob
        if a.bad_measure:
            blob = blob[:47]
        return {'data': base64.b64encode(blob).decode()}

    def query_cpus_fast(self, _args):
        cpus = []
        for i in range(self.vcpus()):
            cpus.append({'thread-id': os.getpid() + 1 + i,
                         'props': {'core-id': i, 'thread-id': 0, 'socket-id': 0},
                         'qom-path': '/machine/unattached/device[%d]' % i,
                         'cpu-index': i, 'target': 'x86_64'})
        return cpus

    def query_sev_capabilities(self, _args):
        """As QEMU 7.2 answers it: the platform's PDH and chain (PEK || OCA || CEK), cpu0-id from 7.1."""
        a = self.args
        if a.sev_unavailable or not a.platform_chain:
            raise PeerError('SEV is not enabled in KVM')
        certs = {n: read_file(os.path.join(a.platform_chain, n + '.cert'))
                 for n in ('pdh', 'pek', 'oca', 'cek')}
        caps = {'pdh': base64.b64encode(certs['pdh']).decode(),
                'cert-chain': base64.b64encode(certs['pek'] + certs['oca'] + certs['cek']).decode(),
                'cbitpos': a.cbitpos, 'reduced-phys-bits': a.reduced_phys_bits}
        if self.version >= (7, 1):
            caps['cpu0-id'] = base64.b64encode(bytes.fromhex(a.cpu0_id)).decode()
        return caps

    def query_status(self, _args):
        info = {'status': self.status, 'running': self.status == 'running'}
        if not self.new_style():
            info['singlestep'] = False
        return info

    def inject(self, args):
        a = self.args
        if a.sev_disabled or a.sev_unavailable:
            raise PeerError('SEV not enabled for guest')
        if a.refuse_inject:
            raise PeerError(self.inject_failure(7, 'Policy failure'))
        if a.state != 'launch-secret':
            raise PeerError('SEV: Not in correct state. (LSECRET) %x'
                            % SEV_STATES.index(a.state))
        header = b64decode_strict(args['packet-header'])
        if not header:
            raise PeerError('SEV: Failed to decode sequence header')
        data = b64decode_strict(args['secret'])
        if not data:
            raise PeerError('SEV: Failed to decode data')
        gpa = args.get('gpa')
        if gpa is None:
            if self.secret_area is None:
                raise PeerError('SEV: no secret area found in OVMF, gpa must be specified.')
            gpa = self.secret_area[0]
        if self.tek is None:
            raise PeerError('qmp-peer: no --tek given, cannot open the packet')
        plain = open_secret_packet(self.tik, self.tek, header, data, self.measurement)
        if plain is None:
            log_line({'inject-rejected': 'bad mac', 'gpa': gpa})
            raise PeerError(self.inject_failure(11, 'Bad measurement'))
        try:
            secrets = parse_secret_table(plain)
        except ValueError as e:
            log_line({'inject-rejected': str(e), 'gpa': gpa})
            raise PeerError(self.inject_failure(11, 'Bad measurement'))
        self.injected += 1
        log_line({'injected': {g: v.hex() for g, v in secrets.items()},
                  'gpa': gpa, 'length': len(data),
                  'table-length': struct.unpack('<I', plain[16:20])[0]})
        return {}

    def inject_failure(self, fw_error, text):
        if self.new_style():
            return "sev_inject_launch_secret: LAUNCH_SECRET ret=-1 fw_error=%d '%s'" % (
                fw_error, text)
        return "SEV: failed to inject secret ret=-1 fw_error=%d '%s'" % (fw_error, text)


# which arguments each command takes: name -> (required, optional)
COMMAND_ARGS = {
    'qmp_capabilities': (set(), {'enable'}),
    'query-sev': (set(), set()),
    'query-sev-launch-measure': (set(), set()),
    'query-cpus-fast': (set(), set()),
    'query-status': (set(), set()),
    'query-sev-capabilities': (set(), set()),
    'sev-inject-launch-secret': ({'packet-header', 'secret'}, {'gpa'}),
    'cont': (set(), set()),
    'stop': (set(), set()),
    'quit': (set(), set()),
}


def check_arguments(name, arguments):
    required, optional = COMMAND_ARGS[name]
    for key in arguments:
        if key not in required and key not in optional:
            raise PeerError("Parameter '%s' is unexpected" % key)
    for key in sorted(required):
        if key not in arguments:
            raise PeerError("Parameter '%s' is missing" % key)
    for key in ('packet-header', 'secret'):
        if key in arguments and not isinstance(arguments[key], str):
            raise PeerError("Invalid parameter type for '%s', expected: string" % key)
    gpa = arguments.get('gpa')
    if 'gpa' in arguments and (not isinstance(gpa, int) or isinstance(gpa, bool)
                               or gpa < 0 or gpa >= 1 << 64):
        raise PeerError("Invalid parameter type for 'gpa', expected: uint64")


class Session:
    """One client connection."""

    def __init__(self, guest, conn):
        self.guest = guest
        self.args = guest.args
        self.conn = conn
        self.negotiated = False
        self.commands = 0
        self.closed = False
        self.current = None

    # --- output
    def send_raw(self, data):
        a = self.args
        try:
            if a.split_writes:
                for i in range(0, len(data), a.split_writes):
                    self.conn.sendall(data[i:i + a.split_writes])
                    time.sleep(0.0002)
            else:
                self.conn.sendall(data)
        except OSError:
            self.closed = True

    def send(self, obj):
        self.send_raw(json.dumps(obj).encode() + b'\r\n')

    def event(self, name, data=None):
        msg = {'timestamp': timestamp(), 'event': name}
        if data is not None:
            msg['data'] = data
        self.send(msg)

    def storm(self, count):
        # batched, so a million events take seconds rather than minutes
        batch = []
        for i in range(count):
            msg = {'timestamp': timestamp(),
                   'event': 'BLOCK_IO_ERROR' if i % 2 else 'RTC_CHANGE',
                   'data': {'offset': i} if i % 2 == 0 else
                   {'device': 'd%d' % i, 'operation': 'read', 'action': 'report',
                    'nospace': False, 'reason': 'storm'}}
            batch.append(json.dumps(msg).encode() + b'\r\n')
            if len(batch) == 4096 or i == count - 1:
                self.send_raw(b''.join(batch))
                batch = []
                if self.closed:
                    return
        log_line({'storm': count})

    def reply(self, cmd_id, ret=None, error=None):
        a = self.args
        if a.delay and (not a.delay_on or self.current in a.delay_on):
            time.sleep(a.delay)
        if a.interleave_events:
            self.event('RTC_CHANGE', {'offset': 0})
        if a.event_storm and (not a.storm_on or self.current in a.storm_on):
            self.storm(a.event_storm)
        if a.stray_reply:
            self.send({'return': {'stray': True}, 'id': 'qmp-peer-stray'})
        if a.idless_error:
            self.send({'error': {'class': 'GenericError', 'desc': 'qmp-peer: idless error'}})
        if error is not None:
            msg = {'error': {'class': error.klass, 'desc': error.desc}}
        else:
            msg = {'return': ret}
        if cmd_id is not None:
            msg['id'] = cmd_id
        self.send(msg)

    # --- input
    def greet(self):
        major, minor = self.guest.version
        self.send({'QMP': {'version': {'qemu': {'micro': 0, 'minor': minor, 'major': major},
                                       'package': 'qmp-peer'},
                           'capabilities': ['oob']}})

    def run(self):
        self.conn.settimeout(self.args.idle_timeout)
        if self.args.no_greeting:
            return
        self.greet()
        if self.args.drop_after == 0:
            return
        splitter = JsonSplitter()
        while not self.closed:
            try:
                chunk = self.conn.recv(65536)
            except (socket.timeout, OSError):
                return
            if not chunk:
                return
            for item in splitter.feed(chunk):
                self.handle(item)
                if self.closed:
                    return
            if splitter.overflow:
                return

    def handle(self, item):
        if isinstance(item, PeerError):
            log_line({'parse-error': item.desc})
            self.reply(None, error=item)
            return
        if not isinstance(item, dict):
            self.reply(None, error=PeerError('QMP input must be a JSON object'))
            return
        cmd_id = item.get('id')
        name = item.get('execute')
        arguments = item.get('arguments', {})
        log_line({'execute': name, 'arguments': arguments, 'id': cmd_id})
        self.current = name
        self.commands += 1
        if name in self.args.hangup_on:
            log_line({'hung-up': name})
            self.closed = True
            return
        try:
            self.dispatch(cmd_id, name, arguments)
        except PeerError as e:
            self.reply(cmd_id, error=e)
        if self.args.drop_after is not None and self.commands >= self.args.drop_after:
            log_line({'dropped': self.commands})
            self.closed = True

    def dispatch(self, cmd_id, name, arguments):
        a = self.args
        if name is None:
            raise PeerError("QMP input lacks member 'execute'")
        if not isinstance(name, str):
            raise PeerError("QMP input member 'execute' must be a string")
        if not isinstance(arguments, dict):
            raise PeerError("QMP input member 'arguments' must be an object")
        if not self.negotiated and name != 'qmp_capabilities':
            raise PeerError("Expecting capabilities negotiation with 'qmp_capabilities'",
                            'CommandNotFound')
        if name not in COMMAND_ARGS or name in a.missing_command:
            raise PeerError('The command %s has not been found' % name, 'CommandNotFound')
        check_arguments(name, arguments)
        if name in a.error_on:
            raise PeerError('qmp-peer: %s failed as asked' % name)
        if name == 'qmp_capabilities':
            if self.negotiated:
                raise PeerError('Capabilities negotiation is already complete, '
                                'command ignored', 'CommandNotFound')
            self.negotiated = True
            self.reply(cmd_id, {})
        elif name == 'query-sev-launch-measure' and a.garbage:
            self.send_raw(b'\x00\xff<html>not json at all\r\n}}}\r\n')
        elif name == 'cont':
            if self.guest.status != 'running':
                self.guest.status = 'running'
                self.event('RESUME')
            self.reply(cmd_id, {})
        elif name == 'stop':
            if self.guest.status == 'running':
                self.guest.status = 'paused'
                self.event('STOP')
            self.reply(cmd_id, {})
        elif name == 'quit':
            self.reply(cmd_id, {})
            self.event('SHUTDOWN', {'guest': False, 'reason': 'host-qmp-quit'})
            self.guest.status = 'shutdown'
            self.closed = True
        else:
            handler = {'query-sev': self.guest.query_sev,
                       'query-sev-launch-measure': self.guest.query_sev_launch_measure,
                       'query-cpus-fast': self.guest.query_cpus_fast,
                       'query-status': self.guest.query_status,
                       'query-sev-capabilities': self.guest.query_sev_capabilities,
                       'sev-inject-launch-secret': self.guest.inject}[name]
            self.reply(cmd_id, handler(arguments))


class JsonSplitter:
    """Cuts a byte stream into top-level JSON values, like QEMU's streamer."""

    def __init__(self):
        self.buf = bytearray()
        self.depth = 0
        self.in_string = False
        self.escape = False
        self.overflow = False

    def feed(self, data):
        out = []
        for byte in data:
            c = chr(byte)
            if self.depth == 0 and not self.buf and c in ' \t\r\n':
                continue
            self.buf.append(byte)
            if len(self.buf) > MAX_MESSAGE:
                self.overflow = True
                return out
            if self.in_string:
                if self.escape:
                    self.escape = False
                elif c == '\\':
                    self.escape = True
                elif c == '"':
                    self.in_string = False
                continue
            if c == '"':
                self.in_string = True
            elif c in '{[':
                self.depth += 1
            elif c in '}]':
                self.depth -= 1
            if self.depth <= 0 and (c in '}]' or c in ' \t\r\n'):
                out.append(self.finish())
        return out

    def finish(self):
        raw = bytes(self.buf)
        self.buf = bytearray()
        self.depth = 0
        try:
            return json.loads(raw.decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            return PeerError('JSON parse error, %s' % e)


# ------------------------------------------------------------------ plumbing

LOG = None


def log_line(obj):
    if LOG is not None:
        LOG.write(json.dumps(obj) + '\n')
        LOG.flush()


def read_file(path):
    with open(path, 'rb') as f:
        return f.read()


def fail(msg):
    sys.stderr.write('qmp-peer: %s\n' % msg)
    sys.exit(2)


def parse_int(text):
    return int(text, 0)


def build_parser():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument('--unix', metavar='PATH')
    where.add_argument('--tcp', metavar='HOST:PORT')
    p.add_argument('--serve', type=int, default=1, metavar='N')
    p.add_argument('--ready-file')
    p.add_argument('--log')
    p.add_argument('--accept-timeout', type=float, default=60.0)
    p.add_argument('--idle-timeout', type=float, default=60.0)
    p.add_argument('--tls-dir', metavar='DIR',
                   help="serve TLS as QEMU's tls-creds-x509 endpoint=server,verify-peer=on: "
                        'DIR holds ca-cert.pem, server-cert.pem, server-key.pem')
    p.add_argument('--qemu-version', default='9.1', choices=['6.2', '7.2', '8.2', '9.1', '9.2'])
    # what query-sev reports
    p.add_argument('--sev-disabled', action='store_true',
                   help='a guest without SEV: query-sev says enabled false, as QEMU does')
    p.add_argument('--sev-unavailable', action='store_true',
                   help='a QEMU built without SEV: query-sev answers an error')
    p.add_argument('--sev-type', default='sev', choices=['sev', 'sev-snp'])
    p.add_argument('--state', default='launch-secret', choices=SEV_STATES)
    p.add_argument('--run-status', default='prelaunch',
                   choices=['prelaunch', 'running', 'paused', 'inmigrate'],
                   help='what query-status says: "running" is a guest libvirt already resumed '
                        '(a plain virsh start)')
    p.add_argument('--api', default='1.49')
    p.add_argument('--build', type=int, default=6)
    p.add_argument('--policy', type=parse_int, default=0x1)
    p.add_argument('--snp-policy', type=parse_int, default=0x30000)
    p.add_argument('--handle', type=int, default=1)
    p.add_argument('--vcpus', type=int)
    # what query-sev-capabilities reports
    p.add_argument('--platform-chain', metavar='DIR',
                   help='pdh.cert pek.cert oca.cert cek.cert of the platform; without it '
                        'query-sev-capabilities answers an error, as on a host without SEV')
    p.add_argument('--cpu0-id', default='5a' * 64, metavar='HEX', help='the chip id (64 bytes)')
    p.add_argument('--cbitpos', type=int, default=47)
    p.add_argument('--reduced-phys-bits', type=int, default=1)
    # what the measurement covers
    p.add_argument('--firmware')
    p.add_argument('--kernel')
    p.add_argument('--initrd')
    p.add_argument('--cmdline')
    p.add_argument('--vmsa', action='append', default=[])
    p.add_argument('--launch-digest', metavar='HEX')
    p.add_argument('--report-blob', metavar='BASE64',
                   help='report this measurement||mnonce instead of computing one')
    p.add_argument('--tik')
    p.add_argument('--tek')
    p.add_argument('--mnonce-hex')
    p.add_argument('--tamper-firmware', action='store_true')
    # faults
    p.add_argument('--interleave-events', action='store_true')
    p.add_argument('--split-writes', type=int, default=0, metavar='N')
    p.add_argument('--drop-after', type=int, metavar='N',
                   help='close the connection after answering N commands (0: after the greeting)')
    p.add_argument('--no-greeting', action='store_true', help='close without a greeting')
    p.add_argument('--delay', type=float, default=0.0, metavar='SECONDS')
    p.add_argument('--delay-on', action='append', default=[], metavar='COMMAND')
    p.add_argument('--garbage', action='store_true')
    p.add_argument('--bad-measure', action='store_true')
    p.add_argument('--measure-data', help='answer query-sev-launch-measure with this data string')
    p.add_argument('--huge-measure', type=int, default=0, metavar='MIB',
                   help='answer query-sev-launch-measure with MIB mebibytes of data')
    p.add_argument('--event-storm', type=int, default=0, metavar='N',
                   help='send N events before every reply')
    p.add_argument('--storm-on', action='append', default=[], metavar='COMMAND',
                   help='send the --event-storm only before the reply to these commands')
    p.add_argument('--hangup-on', action='append', default=[], metavar='COMMAND',
                   help='close the connection on receiving COMMAND, without answering it')
    p.add_argument('--stray-reply', action='store_true',
                   help='send a reply with an id nobody used before every reply')
    p.add_argument('--idless-error', action='store_true',
                   help='send an error without an id before every reply')
    p.add_argument('--refuse-inject', action='store_true')
    p.add_argument('--error-on', action='append', default=[], metavar='COMMAND')
    p.add_argument('--missing-command', action='append', default=[], metavar='COMMAND')
    return p


def listen(args):
    if args.unix:
        try:
            os.unlink(args.unix)
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(args.unix)
        address = 'unix:' + args.unix
    else:
        host, _, port = args.tcp.rpartition(':')
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
        address = 'tcp:%s:%d' % sock.getsockname()
    sock.listen(1)
    sock.settimeout(args.accept_timeout)
    return sock, address


def tls_context(tls_dir):
    """Like QEMU with verify-peer=on: a client certificate from the CA is required."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(tls_dir, 'server-cert.pem'),
                        os.path.join(tls_dir, 'server-key.pem'))
    ctx.load_verify_locations(os.path.join(tls_dir, 'ca-cert.pem'))
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def main():
    global LOG
    args = build_parser().parse_args()
    if args.sev_type == 'sev-snp' and tuple(int(x) for x in args.qemu_version.split('.')) < (9, 1):
        fail('SEV-SNP needs --qemu-version 9.1 or later')
    if args.log:
        LOG = open(args.log, 'a', encoding='utf-8')
    guest = Guest(args)
    tls = tls_context(args.tls_dir) if args.tls_dir else None
    sock, address = listen(args)
    if args.ready_file:
        tmp = args.ready_file + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(address + '\n')
        os.rename(tmp, args.ready_file)
    print('listening on %s' % address, flush=True)
    for _ in range(args.serve):
        try:
            conn, _addr = sock.accept()
        except socket.timeout:
            log_line({'accept-timeout': args.accept_timeout})
            break
        if tls is not None:
            conn.settimeout(args.idle_timeout)
            try:
                conn = tls.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError) as e:
                log_line({'tls-refused': str(e)})
                conn.close()
                continue
        log_line({'connected': True})
        with conn:
            Session(guest, conn).run()
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        log_line({'disconnected': True})
    sock.close()
    if args.unix:
        try:
            os.unlink(args.unix)
        except FileNotFoundError:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
