# SPDX-License-Identifier: GPL-2.0-or-later
"""Seeds for the file-format harnesses (make-seeds.py calls these).

config: key files as --config reads them, and ones it refuses; vmsa: the
sevctl VMSA pages, one page followed by patches, short and long inputs;
launch-state: 'query' outputs with and without the platform, and broken ones;
packet: packet documents as verify --packet-out writes them, and broken ones;
manifest: one written by 'sevlaunch manifest build' (SEVLAUNCH, default
build/src/sevlaunch) and variants of it; firmware-volume: volume headers, one the NVRAM store,
misaligned, truncated.
"""

import base64
import json
import os
import struct
import subprocess
import tempfile
import uuid


def config_seeds(write, data):
    seeds = {
        'verify': '[verify]\nqmp=unix:/run/q.sock\nfirmware=OVMF.fd\ntik=keys/tik.bin\nsev-es=true\n'
                  'vcpus=4\npolicy=0x5\nsecret=disk:secret.bin;luks:/abs/s2\ntimeout=30\n',
        'comments-and-other-groups': '# a comment\n[measure]\nfirmware=/x\n\n[verify]\n# c\nverbose=1\n'
                                     'no-cont=false\nretries=3\nlimit=-9\ndelay=0.5\n',
        'inverted-switch': '[verify]\ncont=false\n',
        'alias': '[verify]\nnum-cpus=2\n',
        'escapes': '[verify]\ncmdline=\\sconsole=ttyS0\\tquiet\\n\\\\\nsev-features=0x20\n',
        'locale-key': '[verify]\nfirmware[de]=x\n',
        'empty-group': '[verify]\n',
        'bad-no-group': 'firmware=x\n',
        'bad-unknown-group': '[verfiy]\nx=1\n',
        'bad-unknown-key': '[verify]\nfirmwre=x\n',
        'bad-twice': '[verify]\nvcpus=1\nnum-cpus=2\n',
        'bad-number': '[verify]\nvcpus=two\n',
        'bad-hex': '[verify]\nsev-features=0xg\n',
        'bad-bool': '[verify]\nsev-es=1x\n',
        'bad-empty-list': '[verify]\nsecret=\n',
        'bad-config-key': '[verify]\nconfig=/etc/other.conf\n',
        'json-given-on-command-line': '[verify]\njson=false\n',
        'nul-in-value': b'[verify]\nqmp=a\x00b\n',
        'bad-utf8': b'[verify]\ncmdline=\xff\xfe\n',
    }
    for name, text in seeds.items():
        write('config', name, text)


def vmsa_seeds(write, data, read):
    vmsa0 = read(os.path.join(data, 'sevctl', 'vmsa0.bin'))
    vmsa1 = read(os.path.join(data, 'sevctl', 'vmsa1.bin'))
    write('vmsa', 'sevctl-vmsa0', vmsa0)
    write('vmsa', 'sevctl-vmsa1', vmsa1)
    # vmsa1 as patches over vmsa0: what 'vmsa diff' shows between BSP and AP
    patches = b''.join(struct.pack('<HB', i, vmsa1[i]) for i in range(len(vmsa0)) if vmsa0[i] != vmsa1[i])
    write('vmsa', 'sevctl-diff', vmsa0 + patches)
    write('vmsa', 'one-byte-off-the-fields', vmsa0 + struct.pack('<HB', 0xfff, 0x5a))
    write('vmsa', 'short', vmsa0[:100])
    write('vmsa', 'empty', b'')
    write('vmsa', 'ones', b'\xff' * 4096 + struct.pack('<HB', 0, 0))


def _launch_state(platform=True, **changes):
    doc = {
        'schema_version': 1, 'command': 'query', 'exit_code': 0,
        'qemu': {'version': '8.2.2', 'major': 8, 'minor': 2, 'micro': 2},
        'guest': {'state': 'launch-secret', 'sev_mode': 'SEV-ES', 'api_major': 0, 'api_minor': 24,
                  'build_id': 15, 'policy': 5, 'vcpus': 2},
        'launch_measure': {'data': base64.b64encode(bytes(range(48))).decode()},
        'platform': {'pdh': base64.b64encode(b'\x01' * 2084).decode(),
                     'cert_chain': base64.b64encode(b'\x02' * 3 * 2084).decode(),
                     'cpu0_id': 'ab' * 64, 'cbitpos': 51, 'reduced_phys_bits': 1},
    }
    if not platform:
        doc['platform'] = None
    for path, value in changes.items():
        obj = doc
        keys = path.split('.')
        for key in keys[:-1]:
            obj = obj[key]
        if value is KeyError:
            del obj[keys[-1]]
        else:
            obj[keys[-1]] = value
    return json.dumps(doc, indent=2)


def launch_state_seeds(write):
    seeds = {
        'query-sev-es': _launch_state(),
        'query-sev-no-platform': _launch_state(platform=False, **{'guest.sev_mode': 'SEV', 'guest.policy': 1}),
        'query-no-qemu-no-vcpus': _launch_state(**{'qemu': KeyError, 'guest.vcpus': KeyError,
                                                   'platform.cpu0_id': KeyError}),
        'bad-command': _launch_state(command='verify'),
        'bad-failed': _launch_state(exit_code=3, error={'class': 'protocol', 'message': 'x'}),
        'bad-version': _launch_state(schema_version=2),
        'bad-mode': _launch_state(**{'guest.sev_mode': 'SEV-SNP'}),
        'bad-policy-range': _launch_state(**{'guest.policy': 2 ** 32}),
        'bad-blob': _launch_state(**{'launch_measure.data': 'AAAA'}),
        'bad-pdh-size': _launch_state(**{'platform.pdh': base64.b64encode(b'\x01' * 2083).decode()}),
        'bad-cpu0-id-odd': _launch_state(**{'platform.cpu0_id': 'abc'}),
        'bad-cpu0-id-long': _launch_state(**{'platform.cpu0_id': 'ab' * 65}),
        'bad-cbitpos': _launch_state(**{'platform.cbitpos': 64}),
        'bad-not-object': '[1, 2]',
        'bad-truncated': _launch_state()[:200],
    }
    for name, text in seeds.items():
        write('launch-state', name, text)


def _packet(**changes):
    doc = {
        'schema_version': 1, 'document': 'packet',
        'measurement': '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
        'mnonce': 'ffeeddccbbaa99887766554433221100',
        'packet_header': base64.b64encode(bytes(range(52))).decode(),
        'secret': base64.b64encode(b'\x5a' * 64).decode(),
        'secret_gpa': 8437760,
        'secrets': ['736869e5-84f0-4973-92ec-06879ce3da0b', '4C2EB361-7D9B-4CC3-8081-127C90D3D294'],
    }
    for key, value in changes.items():
        if value is KeyError:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc, indent=2)


def packet_seeds(write):
    seeds = {
        'packet': _packet(),
        'packet-no-gpa-no-secrets': _packet(secret_gpa=KeyError, secrets=KeyError),
        'bad-header-size': _packet(packet_header=base64.b64encode(bytes(51)).decode()),
        'bad-header-not-canonical': _packet(packet_header=base64.b64encode(bytes(52)).decode()[:-2] + 'B='),
        'bad-payload-blocks': _packet(secret=base64.b64encode(bytes(17)).decode()),
        'bad-payload-empty': _packet(secret=''),
        'bad-gpa-zero': _packet(secret_gpa=0),
        'bad-gpa-huge': _packet(secret_gpa=2 ** 63),
        'bad-secrets-guid': _packet(secrets=['nope']),
        'bad-secrets-type': _packet(secrets='736869e5-84f0-4973-92ec-06879ce3da0b'),
        'bad-document': _packet(document='launch-state'),
        'bad-measurement-hex': _packet(measurement='zz' * 32),
    }
    for name, text in seeds.items():
        write('packet', name, text)


def manifest_seeds(write, data, top):
    sevlaunch = os.environ.get('SEVLAUNCH', os.path.join(top, 'build', 'src', 'sevlaunch'))
    fw = os.path.join(data, 'sevctl', 'OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9')
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in [('sev', []),
                           ('sev-es', ['--sev-es', '--vcpus', '1,2', '--cpu', 'EPYC-Milan',
                                       '--vmsa-variant', 'legacy,init2', '--sev-features', '0,0x20',
                                       '--min-api-version', '0.24', '--min-build-id', '3',
                                       '--require-policy', 'NODBG,ES']),
                           ('kernel', ['--kernel', os.path.join(data, 'sevctl', 'vmlinuz-fake'),
                                       '--initrd', os.path.join(data, 'sevctl', 'initrd-fake'),
                                       '--cmdline', 'console=ttyS0'])]:
            out = os.path.join(tmp, name)
            subprocess.run([sevlaunch, 'manifest', 'build', '--firmware', fw, '--out', out] + args,
                           check=True, stdout=subprocess.DEVNULL)
            with open(out) as f:
                text = f.read()
            write('manifest', name, text)
            if name == 'sev-es':
                base = json.loads(text)

    def variant(name, change):
        doc = json.loads(json.dumps(base))
        change(doc)
        write('manifest', name, json.dumps(doc))

    variant('bad-kind', lambda d: d.update(kind='sevlaunch-report'))
    variant('bad-version', lambda d: d.update(schema_version=2))
    variant('bad-digest', lambda d: d['entries'][0].update(launch_digest='00' * 31))
    variant('bad-vcpus', lambda d: d['entries'][0].update(vcpus=0))
    variant('bad-variant', lambda d: d['entries'][0].update(vmsa_variant='init3'))
    variant('bad-sev-features', lambda d: d['entries'][0].update(sev_features=-1))
    variant('bad-entries-type', lambda d: d.update(entries={}))
    variant('bad-firmware-missing', lambda d: d['inputs'].pop('firmware'))
    variant('bad-secret-area', lambda d: d['inputs'].update(secret_area={'base': -1, 'size': 4}))
    variant('bad-requirements', lambda d: d['requirements'].update(min_api_version={'major': 256}))
    write('manifest', 'bad-not-json', '{"schema_version": 1,')


def _fv_header(guid, length):
    # EFI_FIRMWARE_VOLUME_HEADER: zero vector, file system GUID, length, '_FVH', attributes, header length
    return bytes(16) + guid + struct.pack('<Q', length) + b'_FVH' + struct.pack('<IHH', 0x4feff, 72, 0) + bytes(8)


def firmware_volume_seeds(write):
    nvram = uuid.UUID('fff12b8d-7696-4c8b-a985-2747075b4f50').bytes_le
    ffs2 = uuid.UUID('8c8ce578-8a3d-4f1c-9935-896185c32dd3').bytes_le
    write('firmware-volume', 'nvram-then-code', _fv_header(nvram, 0x84000) + bytes(48) + _fv_header(ffs2, 0x1000))
    write('firmware-volume', 'code-only', bytes(64) + _fv_header(ffs2, 0x1000))
    write('firmware-volume', 'misaligned', bytes(8) + _fv_header(nvram, 0x1000))
    write('firmware-volume', 'truncated-header', _fv_header(nvram, 0x1000)[:55])
    write('firmware-volume', 'huge-length', _fv_header(nvram, 2 ** 64 - 1))
    write('firmware-volume', 'empty', b'')
