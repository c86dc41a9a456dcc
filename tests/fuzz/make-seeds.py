#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the seed corpora under corpus/ (committed; rerun after a format change).

ovmf: the firmware tails in tests/data and broken variants of one; base64: the
VECTORS.md blobs and non-canonical variants; qmp: raw byte streams recorded from
tests/qmp-peer.py answering the commands the fuzz harness sends, plus broken
streams; sev-info: single reply lines taken from those recordings, plus wrong
types; secret-spec: aliases, GUIDs and near misses; sev-cert: the published Rome
chain, one certificate per seed, and broken or misplaced certificates;
domain-xml: libvirt domain XMLs with and without SEV, and ones no libvirt sends;
qmp-differential: single messages from the qmp recordings, and escapes that
json-glib 1.6 scans differently from JSON. config, vmsa, launch-state, packet,
manifest and firmware-volume: see seeds_documents.py.
  make-seeds.py [CORPUS...]   (default: all)
"""

import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

import seeds_documents

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(TOP, 'tests', 'data')
CORPUS = os.path.join(HERE, 'corpus')
AMDSEV = os.path.join(DATA, 'sevctl', 'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
# the harness's commands, with the ids the client gives them
COMMANDS = ['qmp_capabilities', 'query-sev', 'query-sev-launch-measure', 'query-cpus-fast']


def write(name, seed, data):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def ovmf_seeds():
    for name, path in [('amdsev-tail', AMDSEV),
                       ('snp-measure-amdsev', os.path.join(DATA, 'sev-snp-measure', 'ovmf_AmdSev_suffix.bin')),
                       ('snp-measure-ovmfx64', os.path.join(DATA, 'sev-snp-measure', 'ovmf_OvmfX64_suffix.bin'))]:
        write('ovmf', name, read(path))
    fw = bytearray(read(AMDSEV))
    n = len(fw)
    table_len = struct.unpack('<H', fw[n - 50:n - 48])[0]
    write('ovmf', 'bad-too-short', bytes(fw[-47:]))
    write('ovmf', 'bad-footer-only', bytes(fw[-48:]))
    broken = bytearray(fw)
    broken[n - 50:n - 48] = struct.pack('<H', 0xffff)
    write('ovmf', 'bad-table-too-long', bytes(broken))
    broken = bytearray(fw)
    broken[n - 50:n - 48] = struct.pack('<H', 17)
    write('ovmf', 'bad-table-too-short', bytes(broken))
    # the entry nearest the footer: its length field sits just below the table's own header
    first = n - 50
    broken = bytearray(fw)
    broken[first - 18:first - 16] = struct.pack('<H', 3)
    write('ovmf', 'bad-entry-under-header', bytes(broken))
    broken = bytearray(fw)
    broken[first - 18:first - 16] = struct.pack('<H', table_len)
    write('ovmf', 'bad-entry-too-long', bytes(broken))
    broken = bytearray(fw)
    broken[first - 18:first - 16] = struct.pack('<H', 19)
    write('ovmf', 'bad-entry-shrunk', bytes(broken))
    write('ovmf', 'no-footer-4k', b'\xff' * 4096)


def base64_seeds():
    seeds = {
        'nonce': 'wxP6tRHCFrFQWxsuqZA8QA==',
        'blob-m2': 'lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI7DE/q1EcIWsVBbGy6pkDxA',
        'blob-m5': '/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny',
        'one-pad': 'AAE=',
        'bad-empty': '',
        'bad-unpadded': 'wxP6tRHCFrFQWxsuqZA8QA',
        'bad-padding-bits': 'wxP6tRHCFrFQWxsuqZA8QB==',
        'bad-space': 'wxP6 tRHCFrFQWxsuqZA8QA=',
        'bad-urlsafe': 'lswbxWxI9gckya16JQvdFtpYmNO4b-3inAPpqsgoBI7DE_q1EcIWsVBbGy6pkDxA',
        'bad-pad-inside': 'AA==AAAA',
        'bad-short-blob': 'lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI7DE/q1EcIWsVBbGy6pkA==',
    }
    for name, text in seeds.items():
        write('base64', name, text)


def record(peer_args, commands=COMMANDS):
    """The raw bytes the peer sends for the harness's commands."""
    with tempfile.TemporaryDirectory() as tmp:
        sock_path = os.path.join(tmp, 'qmp.sock')
        ready = os.path.join(tmp, 'ready')
        tik = os.path.join(tmp, 'tik')
        with open(tik, 'wb') as f:
            f.write(bytes(range(16)))
        peer = subprocess.Popen(
            [sys.executable, os.path.join(TOP, 'tests', 'qmp-peer.py'), '--unix', sock_path,
             '--ready-file', ready, '--tik', tik, '--mnonce-hex', '00' * 16] + peer_args,
            stdout=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if os.path.exists(ready):
                    break
                time.sleep(0.05)
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock_path)
            for i, cmd in enumerate(commands, 1):
                s.sendall(b'{"execute": "%s", "id": "__sevlaunch#%d"}\n' % (cmd.encode(), i))
            s.shutdown(socket.SHUT_WR)
            out = b''
            s.settimeout(5)
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
            s.close()
        finally:
            peer.wait(timeout=10)
    return out


# the recordings whose reply lines also seed sev-info
SEV_INFO_FROM = ['qemu-6.2-sev', 'qemu-9.2-sev', 'qemu-8.2-sev-es', 'qemu-9.1-snp', 'sev-disabled',
                 'bad-measure']


def qmp_and_sev_info_seeds():
    sev = ['--firmware', AMDSEV]
    es = ['--launch-digest', '00' * 32, '--policy', '0x5', '--vcpus', '4']
    variants = {
        'qemu-6.2-sev': ['--qemu-version', '6.2'] + sev,
        'qemu-9.2-sev': ['--qemu-version', '9.2'] + sev,
        'qemu-8.2-sev-es': ['--qemu-version', '8.2'] + es,
        'qemu-9.1-snp': ['--qemu-version', '9.1', '--sev-type', 'sev-snp', '--launch-digest', '00' * 32],
        'events': ['--interleave-events'] + sev,
        'sev-disabled': ['--sev-disabled'] + sev,
        'sev-unavailable': ['--sev-unavailable'] + sev,
        'bad-measure': ['--bad-measure'] + sev,
        'stray-reply': ['--stray-reply'] + sev,
        'idless-error': ['--idless-error'] + sev,
        'garbage': ['--garbage'] + sev,
        'state-running': ['--state', 'running'] + sev,
    }
    for name, args in variants.items():
        stream = record(args)
        write('qmp', name, stream)
        if name not in SEV_INFO_FROM:
            continue
        for line in stream.split(b'\n'):
            if b'"return"' in line and b'"return": {}' not in line:
                kind = ('measure' if b'"data"' in line else
                        'cpus' if line.startswith(b'{"return": [') else 'query-sev')
                write('sev-info', '%s-%s' % (name, kind), line.rstrip(b'\r'))
    write('qmp', 'bad-no-greeting', b'{"return": {}, "id": "__sevlaunch#1"}\r\n')
    write('qmp', 'bad-truncated', b'{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}')
    write('qmp', 'bad-deep', b'{"QMP": ' + b'[' * 2000 + b']' * 2000 + b'}\r\n')
    write('qmp', 'bad-two-greetings', record(sev, commands=[]) * 2)
    write('sev-info', 'bad-enabled-string', '{"return": {"enabled": "yes"}}')
    write('sev-info', 'bad-policy-string', '{"return": {"enabled": true, "api-major": 1, "api-minor": 40, '
          '"build-id": 40, "policy": "3", "state": "launch-secret", "handle": 1}}')
    write('sev-info', 'bad-policy-huge', '{"return": {"enabled": true, "api-major": 1, "api-minor": 40, '
          '"build-id": 40, "policy": 1099511627776, "state": "launch-secret", "handle": 1}}')
    write('sev-info', 'bad-api-major-300', '{"return": {"enabled": true, "api-major": 300, "api-minor": 40, '
          '"build-id": 40, "policy": 3, "state": "launch-secret", "handle": 1}}')
    write('sev-info', 'bad-sev-type-unknown', '{"return": {"enabled": true, "sev-type": "tdx"}}')
    write('sev-info', 'bad-cpus-empty', '{"return": []}')
    write('sev-info', 'bad-cpus-not-objects', '{"return": [1, 2]}')
    write('sev-info', 'bad-data-number', '{"return": {"data": 5}}')
    write('sev-info', 'bad-return-null', '{"return": null}')


def secret_spec_seeds():
    seeds = {
        'alias': 'luks-key',
        'alias-upper': 'LUKS-KEY',
        'alias-with-file': 'luks-key:/nonexistent',
        'guid': '736869e5-84f0-4973-92ec-06879ce3da0b',
        'guid-upper': '23058844-597B-42FB-8259-A0F5D9D495AF',
        'guid-with-file': '736869e5-aaaa-4973-92ec-06879ce3da0b:secret.txt',
        'bad-null-guid': '00000000-0000-0000-0000-000000000000',
        'bad-guid-short': '736869e5-84f0-4973-92ec-06879ce3da0',
        'bad-guid-dashes': '736869e584f0-4973-92ec-06879ce3da0b-',
        'bad-guid-hex': '736869e5-84f0-4973-92ec-06879ce3da0g',
        'bad-empty-name': ':file',
        'bad-empty': '',
        'bad-unknown-alias': 'luks',
    }
    for name, text in seeds.items():
        write('secret-spec', name, text)


def sev_cert_seeds():
    # first byte: the role the rest replaces in the Rome chain (ARK, ASK, CEK, OCA, PEK, PDH)
    certs = os.path.join(DATA, 'amd-certs')
    rome = [os.path.join(certs, 'builtin', 'rome', 'ark.cert'), os.path.join(certs, 'builtin', 'rome', 'ask.cert')]
    rome += [os.path.join(certs, 'chains', 'rome', n + '.cert') for n in ('cek', 'oca', 'pek', 'pdh')]
    names = ['ark', 'ask', 'cek', 'oca', 'pek', 'pdh']
    for role, path in enumerate(rome):
        cert = read(path)
        write('sev-cert', 'rome-' + names[role], bytes([role]) + cert)
        write('sev-cert', 'bad-truncated-' + names[role], bytes([role]) + cert[:len(cert) // 2])
    write('sev-cert', 'bad-naples-ark-as-ark', b'\x00' + read(os.path.join(certs, 'chains', 'naples', 'ark.cert.bad')))
    write('sev-cert', 'bad-naples-pek-as-pek', b'\x04' + read(os.path.join(certs, 'chains', 'naples', 'pek.cert')))
    write('sev-cert', 'bad-pdh-as-pek', b'\x04' + read(rome[5]))
    write('sev-cert', 'bad-milan-ask-as-ask', b'\x01' + read(os.path.join(certs, 'builtin', 'milan', 'ask.cert')))
    flipped = bytearray(read(rome[4]))
    flipped[0x100] ^= 1
    write('sev-cert', 'bad-pek-flipped-bit', b'\x04' + bytes(flipped))


def domain_xml_seeds():
    # domain XMLs as virDomainGetXMLDesc gives them, and what no libvirt sends
    owner = "<dhCert>AQ==</dhCert><session>Ag==</session>"
    seeds = {
        'sev': "<domain type='kvm'><name>g</name><vcpu current='2'>4</vcpu><os><loader type='pflash'>"
               "/OVMF.fd</loader></os><launchSecurity type='sev'><policy>0x3</policy>" + owner +
               "</launchSecurity></domain>",
        'kernel-hashes': "<domain><os><kernel>/k</kernel><initrd>/i</initrd><cmdline>a b</cmdline>"
                         "<nvram>/n</nvram></os><launchSecurity type='sev' kernelHashes='yes'>" + owner +
                         "</launchSecurity></domain>",
        'plain': "<domain type='qemu'><name>plain</name></domain>",
        'bad-twice': "<domain><launchSecurity type='sev'/><launchSecurity type='sev'/></domain>",
        'bad-entity': "<!DOCTYPE domain [<!ENTITY t \"sev\">]><domain><launchSecurity type='&t;'/></domain>",
        'bad-many-vcpus': "<domain><vcpu>99999</vcpu></domain>",
    }
    for name, text in seeds.items():
        write('domain-xml', name, text)


def qmp_differential_seeds():
    for name in ['qemu-9.2-sev', 'qemu-8.2-sev-es', 'events', 'idless-error']:
        lines = [l.rstrip(b'\r') for l in read(os.path.join(CORPUS, 'qmp', name)).split(b'\n')]
        for i, line in enumerate(l for l in lines if l):
            write('qmp-differential', '%s-%d' % (name, i), line)
    seeds = {
        'escapes': r'{"a": "\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00", "b": ["", {}, [], null]}',
        'duplicate-members': '{"a": 1, "a": [2, 3], "a": "x"}',
        # json-glib 1.6 swallows the character after these escapes: the arrays hide in a string
        'bad-lone-low-surrogate': r'{"e":"\udc00"","e":[[[[[[[[1]]]]]]]]"}',
        'bad-lone-high-surrogate': r'{"e":"\ud800"","e":[[[[[[[[1]]]]]]]]"}',
        'bad-high-surrogate-short-low': r'{"e":"\ud800\u"","e":[[[[[[[[1]]]]]]]]"}',
        'bad-short-unicode': r'{"e":"\u12"","e":[[[[[[[[1]]]]]]]]"}',
        'bad-surrogate-escaped-quote': r'{"e":"\udc00\"x"}',
        'bad-octal': r'{"e":"launch-secret\0x"}',
        'bad-nul': r'{"e":"launch-secret\u0000x"}',
    }
    for name, text in seeds.items():
        write('qmp-differential', name, text)


CORPORA = {
    'ovmf': ovmf_seeds,
    'base64': base64_seeds,
    'qmp': qmp_and_sev_info_seeds,
    'secret-spec': secret_spec_seeds,
    'sev-cert': sev_cert_seeds,
    'domain-xml': domain_xml_seeds,
    'qmp-differential': qmp_differential_seeds,
    'config': lambda: seeds_documents.config_seeds(write, DATA),
    'vmsa': lambda: seeds_documents.vmsa_seeds(write, DATA, read),
    'launch-state': lambda: seeds_documents.launch_state_seeds(write),
    'packet': lambda: seeds_documents.packet_seeds(write),
    'manifest': lambda: seeds_documents.manifest_seeds(write, DATA, TOP),
    'firmware-volume': lambda: seeds_documents.firmware_volume_seeds(write),
}

if __name__ == '__main__':
    for corpus in sys.argv[1:] or CORPORA:
        CORPORA[corpus]()
