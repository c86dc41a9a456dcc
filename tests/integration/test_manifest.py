#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reference values: manifest build/show/sign, verify --manifest (offline and live),
the owner's requirements, --explain, and the firmware/VMSA forensics commands.

Every expected launch digest is computed here with hashlib over the firmware and
VMSA pages made by this file: the sevctl VMSAs of tests/data (VECTORS.md section 3)
with RDX, mxcsr, x87 fcw and sev_features patched as VECTORS.md describes. Nothing
expected is taken from sevlaunch's own output. Signatures and certificates come
from GnuTLS's certtool, run here.
"""

import base64
import hashlib
import hmac
import json
import os
import shutil
import struct
import subprocess
import unittest

import harness
from harness import LiveTestCase

EXIT_VERIFIED, EXIT_MISMATCH, EXIT_INPUT, EXIT_CONNECTION, EXIT_NOT_VERIFIABLE = 0, 1, 2, 3, 4

SCHEMA = os.path.join(harness.HERE, '..', '..', 'docs', 'json', 'reference-manifest.schema.json')
AMDSEV_FW = os.path.join(harness.DATA, 'sev-snp-measure', 'ovmf_AmdSev_suffix.bin')
DEBIAN_OVMF_CODE = '/usr/share/OVMF/OVMF_CODE.fd'

# VECTORS.md: M5 (sevctl firmware, 4 legacy vCPUs, api 1.49, build 6, policy 0x5), D4/D5
M5_PARAMS = ['--api-major', '1', '--api-minor', '49', '--build-id', '6', '--policy', '0x5']
M4_PARAMS = ['--api-major', '1', '--api-minor', '40', '--build-id', '40', '--policy', '0x3']
D4_LD = '13810ae661ea11e2bb205621f582fee268f0367c8f97bc297b7fadef3e12002c'
D5_LD = '0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91'

# QEMU's builtin_x86_defs family/model/stepping (target/i386/cpu.c)
CPU_FMS = {'EPYC': (23, 1, 2), 'EPYC-Rome': (23, 49, 0), 'EPYC-Milan': (25, 1, 1),
           'EPYC-Genoa': (25, 17, 0), 'EPYC-Turin': (26, 0, 0)}

# VMSA offsets: VECTORS.md section 3 (mxcsr, x87 fcw, sev_features) and Linux's
# struct sev_es_save_area (rdx)
VMSA_RDX, VMSA_SEV_FEATURES, VMSA_MXCSR, VMSA_X87_FCW = 0x310, 0x3b0, 0x408, 0x410


def cpu_signature(family, model, stepping):
    sig = stepping | (model & 0xf) << 4 | (model >> 4) << 16
    if family > 0xf:
        return sig | 0xf << 8 | (family - 0xf) << 20
    return sig | family << 8


def patch_vmsa(page, signature, variant, features):
    page = bytearray(page)
    struct.pack_into('<Q', page, VMSA_RDX, signature)
    struct.pack_into('<Q', page, VMSA_SEV_FEATURES, features)
    if variant == 'init2':
        struct.pack_into('<I', page, VMSA_MXCSR, 0x1f80)
        struct.pack_into('<H', page, VMSA_X87_FCW, 0x37f)
    return bytes(page)


def vmsas(cpu, variant, features):
    """BSP and AP pages for the sevctl firmware, built from the sevctl legacy pages."""
    sig = cpu_signature(*CPU_FMS[cpu])
    return (patch_vmsa(harness.read_bytes(harness.VMSA0), sig, variant, features),
            patch_vmsa(harness.read_bytes(harness.VMSA1), sig, variant, features))


def launch_digest(firmware, table=b'', pages=()):
    h = hashlib.sha256(harness.read_bytes(firmware) + table)
    for p in pages:
        h.update(p)
    return h.hexdigest()


def es_digest(cpu, variant, features, n):
    bsp, ap = vmsas(cpu, variant, features)
    return launch_digest(harness.SEVCTL_FW, pages=[bsp] + [ap] * (n - 1))


def guid_le(text):
    import uuid
    return uuid.UUID(text).bytes_le


def hashes_table(kernel, initrd, cmdline):
    rows = [('97d02dd8-bd20-4c94-aa78-e7714d36ab2a', cmdline.encode() + b'\0'),
            ('44baf731-3a2f-4bd7-9af1-41e29169781d', initrd),
            ('4de79437-abd2-427f-b835-d5b172d2045b', kernel)]
    body = b''.join(guid_le(g) + struct.pack('<H', 50) + hashlib.sha256(d).digest() for g, d in rows)
    table = guid_le('9438d606-4f22-4cc9-b479-a793d411fd21') + struct.pack('<H', 18 + len(body)) + body
    return table + b'\0' * (-len(table) % 16)


def measurement_blob(tik, api, build, policy, digest_hex, mnonce):
    msg = bytes([4, api[0], api[1], build]) + struct.pack('<I', policy) + bytes.fromhex(digest_hex) + mnonce
    mac = hmac.new(tik, msg, hashlib.sha256).digest()
    return base64.b64encode(mac + mnonce).decode()


def load_schema_validator():
    try:
        import jsonschema
    except ImportError:
        return None
    with open(SCHEMA) as f:
        return jsonschema.Draft202012Validator(json.load(f))


def entry_of(cpu, variant, features, n):
    """The matched_entry object verify --json prints for an SEV-ES combination."""
    return {'sev_mode': 'SEV-ES', 'vcpus': n, 'cpu': {'name': cpu, 'signature': cpu_signature(*CPU_FMS[cpu])},
            'vmsa_variant': variant, 'sev_features': features}


def without_index(entry):
    return {k: v for k, v in entry.items() if k != 'index'}


class ManifestCase(LiveTestCase):

    def setUp(self):
        super().setUp()
        self.tik_bytes = harness.read_bytes(self.tik)
        self.mnonce = bytes(range(16))

    def path(self, name):
        return os.path.join(self.tmp, name)

    def build(self, name, *args, code=EXIT_VERIFIED):
        out = self.path(name)
        res = self.sevlaunch('manifest', 'build', '--out', out, *args)
        self.assertExit(res, code)
        if code != EXIT_VERIFIED:
            self.assertOneErrorLine(res)
            self.assertFalse(os.path.exists(out))
            return None
        with open(out) as f:
            doc = json.load(f)
        validator = load_schema_validator()
        if validator is not None:
            validator.validate(doc)
        return out, doc

    def es_build(self, name, vcpus, cpus, variants='legacy', features='0', *extra):
        return self.build(name, '--firmware', harness.SEVCTL_FW, '--sev-es', '--vcpus', vcpus,
                          '--cpu', cpus, '--vmsa-variant', variants, '--sev-features', features,
                          *extra)

    def blob(self, digest_hex, api=(1, 49), build=6, policy=0x5):
        return measurement_blob(self.tik_bytes, api, build, policy, digest_hex, self.mnonce)

    def verify_offline(self, manifest, blob, *extra, params=M5_PARAMS):
        return self.sevlaunch('verify', '--json', '--manifest', manifest, '--tik', self.tik,
                              '--measurement', blob, *(params + list(extra)))


class TestBuild(ManifestCase):

    def test_every_entry_matches_hashlib(self):
        cpus = ['EPYC', 'EPYC-Rome', 'EPYC-Milan', 'EPYC-Genoa', 'EPYC-Turin']
        _, doc = self.es_build('m.json', '1-6,9', ','.join(cpus), 'legacy,init2', '0,0x20')
        entries = doc['entries']
        self.assertEqual(len(entries), 7 * 5 * 2 * 2)
        seen = set()
        for i, e in enumerate(entries):
            self.assertEqual(e['index'], i)
            self.assertEqual(e['sev_mode'], 'SEV-ES')
            want = es_digest(e['cpu']['name'], e['vmsa_variant'], e['sev_features'], e['vcpus'])
            self.assertEqual(e['launch_digest'], want, e)
            self.assertEqual(e['cpu']['signature'], cpu_signature(*CPU_FMS[e['cpu']['name']]))
            seen.add((e['vcpus'], e['cpu']['name'], e['vmsa_variant'], e['sev_features']))
        self.assertEqual(len(seen), len(entries))
        self.assertEqual({v for v, _, _, _ in seen}, {1, 2, 3, 4, 5, 6, 9})
        fw = harness.read_bytes(harness.SEVCTL_FW)
        self.assertEqual(doc['inputs']['firmware'], {
            'name': os.path.basename(harness.SEVCTL_FW), 'size': len(fw),
            'sha256': hashlib.sha256(fw).hexdigest()})
        self.assertFalse(doc['inputs']['kernel_hashes'])

    def test_published_d4_d5(self):
        empty = self.write_private('empty', b'')
        _, doc = self.build('d.json', '--firmware', AMDSEV_FW, '--kernel', empty, '--initrd', empty,
                            '--cmdline', '', '--sev-es', '--vcpus', '1,4', '--cpu', 'EPYC-v4',
                            '--vmsa-variant', 'init2')
        self.assertEqual([e['launch_digest'] for e in doc['entries']], [D4_LD, D5_LD])
        self.assertEqual(doc['inputs']['kernel']['size'], 0)
        self.assertEqual(doc['inputs']['cmdline'], '')

    def test_sev_with_kernel_is_m4(self):
        _, doc = self.build('k.json', '--firmware', harness.SEVCTL_FW, '--kernel', harness.KERNEL,
                            '--initrd', harness.INITRD, '--cmdline', harness.CMDLINE)
        self.assertEqual(len(doc['entries']), 1)
        self.assertEqual(doc['entries'][0], {'index': 0, 'launch_digest': harness.M4_LD,
                                             'sev_mode': 'SEV'})
        self.assertEqual(doc['inputs']['initrd']['sha256'],
                         hashlib.sha256(harness.read_bytes(harness.INITRD)).hexdigest())
        self.assertTrue(doc['inputs']['kernel_hashes'])

    def test_requirements_recorded(self):
        _, doc = self.build('r.json', '--firmware', harness.SEVCTL_FW, '--min-api-version', '1.49',
                            '--min-build-id', '6', '--require-policy', 'nodbg,ES')
        self.assertEqual(doc['requirements'], {
            'min_api_version': {'major': 1, 'minor': 49}, 'min_build_id': 6,
            'required_policy': {'bits': 5, 'names': ['NODBG', 'ES']}})

    def test_bad_lists_refused(self):
        cases = [('--vcpus', '0'), ('--vcpus', '4-2'), ('--vcpus', '1,1'), ('--vcpus', '1,,2'),
                 ('--cpu', 'EPYC-Foo'), ('--cpu', 'epyc'), ('--vmsa-variant', 'modern'),
                 ('--sev-features', '0,0')]
        for opt, value in cases:
            with self.subTest(opt=opt, value=value):
                args = {'--vcpus': '1', '--cpu': 'EPYC', '--vmsa-variant': 'legacy',
                        '--sev-features': '0'}
                args[opt] = value
                flat = [x for kv in args.items() for x in kv]
                self.build('bad.json', '--firmware', harness.SEVCTL_FW, '--sev-es', *flat,
                           code=EXIT_INPUT)

    def test_sev_es_options_without_sev_es_refused(self):
        self.build('bad.json', '--firmware', harness.SEVCTL_FW, '--vcpus', '1-4', code=EXIT_INPUT)
        self.build('bad.json', '--firmware', harness.SEVCTL_FW, '--sev-es', '--cpu', 'EPYC',
                   code=EXIT_INPUT)

    def test_existing_out_kept(self):
        out = self.write_private('exists.json', b'keep')
        res = self.sevlaunch('manifest', 'build', '--firmware', harness.SEVCTL_FW, '--out', out)
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res)
        self.assertEqual(harness.read_bytes(out), b'keep')

    def test_show(self):
        out, doc = self.es_build('s.json', '2', 'EPYC-Genoa')
        res = self.sevlaunch('manifest', 'show', out)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIn(doc['entries'][0]['launch_digest'], res.out)
        res = self.sevlaunch('manifest', 'show', out, '--json')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(res.json['entries'], doc['entries'])
        self.assertEqual(res.json['inputs'], doc['inputs'])
        self.assertEqual(without_index(res.json['entries'][0]), entry_of('EPYC-Genoa', 'legacy', 0, 2)
                         | {'launch_digest': doc['entries'][0]['launch_digest']})


class TestVerifyOffline(ManifestCase):

    def test_m5_names_the_entry(self):
        out, doc = self.es_build('m.json', '1-8', 'EPYC-Rome,EPYC-Milan', 'legacy,init2', '0,0x20')
        res = self.verify_offline(out, harness.M5_BLOB)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(res.json['verdict'], 'verified')
        matched = res.json['matched_entry']
        self.assertEqual(without_index(matched), entry_of('EPYC-Milan', 'legacy', 0, 4))
        self.assertEqual(doc['entries'][matched['index']]['launch_digest'], harness.M5_LD)
        self.assertEqual(res.json['launch_digest'], harness.M5_LD)
        self.assertEqual(res.json['entries_compared'], len(doc['entries']))
        self.assertEqual(res.json['guest']['vcpus'], 4)
        self.assertEqual(res.json['manifest'], {'path': out, 'entries': len(doc['entries']),
                                                'signature': None})
        text = self.sevlaunch('verify', '--manifest', out, '--tik', self.tik, '--measurement',
                              harness.M5_BLOB, *M5_PARAMS)
        self.assertExit(text, EXIT_VERIFIED)
        self.assertIn('verdict: verified', text.out)
        self.assertIn('name: EPYC-Milan', text.out)

    def test_each_combination(self):
        out, _ = self.es_build('m.json', '1-3', 'EPYC,EPYC-Genoa', 'legacy,init2', '0,0x20')
        for cpu, variant, features, n in [('EPYC', 'init2', 0x20, 3), ('EPYC-Genoa', 'legacy', 0, 1),
                                          ('EPYC-Genoa', 'init2', 0x20, 2)]:
            with self.subTest(cpu=cpu, variant=variant, features=features, n=n):
                res = self.verify_offline(out, self.blob(es_digest(cpu, variant, features, n)))
                self.assertExit(res, EXIT_VERIFIED)
                self.assertEqual(without_index(res.json['matched_entry']),
                                 entry_of(cpu, variant, features, n))

    def test_none_matches(self):
        out, _ = self.es_build('m.json', '1-3', 'EPYC-Milan')
        res = self.verify_offline(out, harness.M5_BLOB)
        self.assertExit(res, EXIT_MISMATCH)
        self.assertEqual(res.json['verdict'], 'mismatch')
        self.assertIsNone(res.json['matched_entry'])
        self.assertNotIn('launch_digest', res.json)
        self.assertOneErrorLine(res, 'none of the 3 SEV-ES entries')

    def test_sev_policy_skips_sev_es_entries(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan')
        res = self.verify_offline(out, harness.M5_BLOB, params=['--api-major', '1', '--api-minor',
                                                                '49', '--build-id', '6', '--policy', '1'])
        self.assertExit(res, EXIT_MISMATCH)
        self.assertEqual(res.json['entries_compared'], 0)

    def test_artifacts_beside_manifest_refused(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan')
        for extra in (['--firmware', harness.SEVCTL_FW], ['--vcpus', '4'], ['--cpu', 'EPYC'],
                      ['--explain']):
            with self.subTest(extra=extra):
                res = self.verify_offline(out, harness.M5_BLOB, *extra)
                self.assertExit(res, EXIT_INPUT)
                self.assertOneErrorLine(res)


class TestRequirements(ManifestCase):

    def test_each_rule_refused(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan')
        rules = [(['--min-api-version', '1.50'], 'API version 1.49 is older than the minimum 1.50'),
                 (['--min-api-version', '2.0'], 'minimum 2.0'),
                 (['--min-build-id', '7'], 'build id 6 is older than the minimum 7'),
                 (['--require-policy', 'NOKS'], 'NOKS'),
                 (['--require-policy', 'NOSEND'], 'NOSEND'),
                 (['--require-policy', 'DOMAIN'], 'DOMAIN'),
                 (['--require-policy', 'SEV'], 'lacks SEV'),
                 (['--require-policy', 'NODBG,ES,NOKS'], 'NOKS')]
        for extra, words in rules:
            with self.subTest(rule=extra):
                res = self.verify_offline(out, harness.M5_BLOB, *extra)
                self.assertExit(res, EXIT_NOT_VERIFIABLE)
                self.assertOneErrorLine(res, 'owner policy', words)
                self.assertNotIn('verdict', res.json)
                self.assertEqual(res.json['error']['class'], 'not-verifiable')

    def test_rules_met(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan')
        res = self.verify_offline(out, harness.M5_BLOB, '--min-api-version', '1.49',
                                  '--min-build-id', '6', '--require-policy', 'NODBG,ES')
        self.assertExit(res, EXIT_VERIFIED)

    def test_manifest_carries_rules(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan', 'legacy', '0', '--min-build-id', '7')
        res = self.verify_offline(out, harness.M5_BLOB)
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'build id 6 is older than the minimum 7')
        out, _ = self.es_build('p.json', '4', 'EPYC-Milan', 'legacy', '0', '--require-policy', 'NOKS')
        res = self.verify_offline(out, harness.M5_BLOB)
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'NOKS')

    def test_rules_with_artifacts(self):
        res = self.sevlaunch('verify', '--firmware', harness.SEVCTL_FW, '--vcpus', '4', '--cpu',
                             'EPYC-Milan', '--tik', self.tik, '--measurement', harness.M5_BLOB,
                             '--require-policy', 'NOKS', *M5_PARAMS)
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'NOKS')

    def test_bad_rule_values(self):
        out, _ = self.es_build('m.json', '4', 'EPYC-Milan')
        for extra in (['--min-api-version', '1'], ['--min-build-id', '256'],
                      ['--require-policy', 'NODEBUG']):
            with self.subTest(extra=extra):
                res = self.verify_offline(out, harness.M5_BLOB, *extra)
                self.assertExit(res, EXIT_INPUT)
                self.assertOneErrorLine(res, extra[0])


@unittest.skipUnless(shutil.which('certtool'), 'certtool (gnutls-bin) is missing')
class TestSignature(ManifestCase):

    def certtool(self, *args):
        subprocess.run(['certtool'] + list(args), cwd=self.tmp, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def make_ca(self, name):
        with open(self.path(name + '.tmpl'), 'w') as f:
            f.write('cn = "%s"\nca\ncert_signing_key\nexpiration_days = 30\n' % name)
        self.certtool('--generate-privkey', '--key-type', 'ecdsa', '--outfile', name + '.key')
        self.certtool('--generate-self-signed', '--load-privkey', name + '.key', '--template',
                      name + '.tmpl', '--outfile', name + '.pem')

    def setUp(self):
        super().setUp()
        self.make_ca('vendor-ca')
        self.make_ca('other-ca')
        with open(self.path('signer.tmpl'), 'w') as f:
            f.write('cn = "vendor signer"\nsigning_key\nexpiration_days = 30\n')
        self.certtool('--generate-privkey', '--key-type', 'ecdsa', '--outfile', 'signer.key')
        os.chmod(self.path('signer.key'), 0o600)
        self.certtool('--generate-certificate', '--load-privkey', 'signer.key',
                      '--load-ca-certificate', 'vendor-ca.pem', '--load-ca-privkey', 'vendor-ca.key',
                      '--template', 'signer.tmpl', '--outfile', 'signer.pem')
        self.manifest, _ = self.es_build('m.json', '1-8', 'EPYC-Milan,EPYC-Genoa')
        self.certtool('--p7-detached-sign', '--load-privkey', 'signer.key', '--load-certificate',
                      'signer.pem', '--infile', 'm.json', '--outfile', 'm.json.p7s')

    def verify_signed(self, manifest, signature, ca):
        return self.verify_offline(manifest, harness.M5_BLOB, '--manifest-signature', signature,
                                   '--manifest-ca', self.path(ca))

    def test_certtool_signature_verifies(self):
        res = self.verify_signed(self.manifest, self.path('m.json.p7s'), 'vendor-ca.pem')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(res.json['manifest']['signature'], {'verified': True,
                                                             'issuer': 'CN=vendor-ca'})
        self.assertEqual(res.json['matched_entry']['cpu']['name'], 'EPYC-Milan')

    def test_changed_bytes_refused(self):
        data = harness.read_bytes(self.manifest)
        # still a valid manifest that still matches M5: only the signature can tell
        tampered = self.write_private('t.json', data.replace(b'"name" : "EPYC-Genoa"',
                                                             b'"name" : "EPYC-Genoz"', 1))
        self.assertNotEqual(harness.read_bytes(tampered), data)
        res = self.verify_signed(tampered, self.path('m.json.p7s'), 'vendor-ca.pem')
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'signature')
        self.assertNotIn('verdict', res.json)
        res = self.verify_offline(tampered, harness.M5_BLOB)
        self.assertExit(res, EXIT_VERIFIED)

    def test_other_ca_refused(self):
        res = self.verify_signed(self.manifest, self.path('m.json.p7s'), 'other-ca.pem')
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res, 'does not verify')

    def test_garbage_signature_refused(self):
        bad = self.write_private('bad.p7s', b'-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n')
        res = self.verify_signed(self.manifest, bad, 'vendor-ca.pem')
        self.assertExit(res, EXIT_NOT_VERIFIABLE)
        self.assertOneErrorLine(res)

    def test_manifest_sign_round_trip(self):
        out = self.path('ours.p7s')
        res = self.sevlaunch('manifest', 'sign', self.manifest, '--key', self.path('signer.key'),
                             '--cert', self.path('signer.pem'), '--out', out)
        self.assertExit(res, EXIT_VERIFIED)
        self.certtool('--p7-verify', '--load-ca-certificate', 'vendor-ca.pem', '--load-data',
                      'm.json', '--infile', 'ours.p7s')
        res = self.verify_signed(self.manifest, out, 'vendor-ca.pem')
        self.assertExit(res, EXIT_VERIFIED)

    def test_open_key_refused(self):
        os.chmod(self.path('signer.key'), 0o644)
        res = self.sevlaunch('manifest', 'sign', self.manifest, '--key', self.path('signer.key'),
                             '--cert', self.path('signer.pem'), '--out', self.path('x.p7s'))
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res)
        self.assertFalse(os.path.exists(self.path('x.p7s')))

    def test_half_given_refused(self):
        res = self.verify_offline(self.manifest, harness.M5_BLOB, '--manifest-signature',
                                  self.path('m.json.p7s'))
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res, '--manifest-ca')


class TestExplain(ManifestCase):

    def explain(self, *args, params=M5_PARAMS, blob=harness.M5_BLOB):
        res = self.sevlaunch('verify', '--json', '--firmware', harness.SEVCTL_FW, '--tik', self.tik,
                             '--measurement', blob, '--explain', *(params + list(args)))
        self.assertExit(res, EXIT_MISMATCH)
        self.assertOneErrorLine(res, 'mismatch')
        self.assertEqual(res.json['verdict'], 'mismatch')
        return res.json['explain']

    def test_wrong_vcpu_count(self):
        found = self.explain('--vcpus', '2', '--cpu', 'EPYC-Milan')
        self.assertEqual(found['changes'], ['vCPU count 4 instead of 2'])
        self.assertEqual(found['launch_digest'], harness.M5_LD)

    def test_wrong_cpu_model(self):
        found = self.explain('--vcpus', '4', '--cpu', 'EPYC-Rome')
        self.assertEqual(found['changes'], ['CPU EPYC-Milan (0xa00f11) instead of EPYC-Rome (0x830f10)'])

    def test_wrong_variant(self):
        found = self.explain('--vcpus', '4', '--cpu', 'EPYC-Milan', '--vmsa-variant', 'init2')
        self.assertEqual(found['changes'], ['VMSA variant legacy instead of init2'])

    def test_pair_of_changes(self):
        found = self.explain('--vcpus', '3', '--cpu', 'EPYC-Milan', '--sev-features', '0x20')
        self.assertEqual(found['changes'], ['sev_features 0x0 instead of 0x20',
                                            'vCPU count 4 instead of 3'])

    def test_trailing_cmdline_space(self):
        # the guest's command line ends in a space, the operator's does not
        kernel, initrd = harness.read_bytes(harness.KERNEL), harness.read_bytes(harness.INITRD)
        digest = launch_digest(harness.SEVCTL_FW, hashes_table(kernel, initrd, harness.CMDLINE + ' '))
        blob = measurement_blob(self.tik_bytes, (1, 40), 40, 0x3, digest, self.mnonce)
        found = self.explain('--kernel', harness.KERNEL, '--initrd', harness.INITRD, '--cmdline',
                             harness.CMDLINE, params=M4_PARAMS, blob=blob)
        self.assertEqual(found['changes'], ['command line with a trailing space'])
        self.assertEqual(found['launch_digest'], digest)

    def test_initrd_absent(self):
        kernel = harness.read_bytes(harness.KERNEL)
        digest = launch_digest(harness.SEVCTL_FW, hashes_table(kernel, b'', harness.CMDLINE))
        blob = measurement_blob(self.tik_bytes, (1, 40), 40, 0x3, digest, self.mnonce)
        found = self.explain('--kernel', harness.KERNEL, '--initrd', harness.INITRD, '--cmdline',
                             harness.CMDLINE, params=M4_PARAMS, blob=blob)
        self.assertEqual(found['changes'], ['no initrd'])

    def test_nothing_near(self):
        found = self.explain('--vcpus', '2', '--cpu', 'EPYC-Rome', '--vmsa-variant', 'init2')
        self.assertFalse(found['found'])
        self.assertEqual(found['changes'], [])
        self.assertGreater(found['candidates'], 64)

    def test_text_output(self):
        res = self.sevlaunch('verify', '--firmware', harness.SEVCTL_FW, '--tik', self.tik,
                             '--measurement', harness.M5_BLOB, '--explain', '--vcpus', '2', '--cpu',
                             'EPYC-Milan', *M5_PARAMS)
        self.assertExit(res, EXIT_MISMATCH)
        self.assertIn('changes: vCPU count 4 instead of 2', res.out)


class TestForensics(ManifestCase):

    @unittest.skipUnless(os.path.isfile(harness.DEBIAN_OVMF), 'Debian ovmf is not installed')
    def test_ovmf_debian_has_nvram(self):
        res = self.sevlaunch('ovmf', harness.DEBIAN_OVMF, '--json')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(res.json['nvram_store']['offset'], 0)
        self.assertEqual(res.json['nvram_store']['size'], 0x20000)
        self.assertIn('nvram store:', self.sevlaunch('ovmf', harness.DEBIAN_OVMF).out)

    @unittest.skipUnless(os.path.isfile(DEBIAN_OVMF_CODE), 'Debian ovmf is not installed')
    def test_ovmf_code_is_stateless(self):
        res = self.sevlaunch('ovmf', DEBIAN_OVMF_CODE, '--json')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertIsNone(res.json['nvram_store'])
        self.assertGreater(res.json['firmware_volumes'], 0)

    @unittest.skipUnless(os.path.isfile(harness.DEBIAN_OVMF), 'Debian ovmf is not installed')
    def test_verify_warns_of_nvram(self):
        digest = hashlib.sha256(harness.read_bytes(harness.DEBIAN_OVMF)).hexdigest()
        blob = measurement_blob(self.tik_bytes, (1, 40), 40, 0x3, digest, self.mnonce)
        res = self.sevlaunch('verify', '--json', '--firmware', harness.DEBIAN_OVMF, '--tik', self.tik,
                             '--measurement', blob, *M4_PARAMS)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(len(res.json['warnings']), 1)
        self.assertIn('NVRAM variable store', res.json['warnings'][0])
        res = self.sevlaunch('verify', '--json', '--firmware', harness.SEVCTL_FW, '--tik', self.tik,
                             '--measurement', harness.M3_BLOB, *M4_PARAMS)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertNotIn('warnings', res.json)

    def test_vmsa_diff_legacy_init2(self):
        legacy, _ = vmsas('EPYC-Milan', 'legacy', 0)
        init2, _ = vmsas('EPYC-Milan', 'init2', 0)
        a = self.write_private('legacy.bin', legacy)
        b = self.write_private('init2.bin', init2)
        res = self.sevlaunch('vmsa', 'diff', a, b, '--json')
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(res.json['differing_fields'], ['mxcsr', 'x87_fcw'])
        self.assertEqual(res.json['fields'], {'mxcsr': {'a': 0, 'b': 0x1f80},
                                              'x87_fcw': {'a': 0, 'b': 0x37f}})
        self.assertFalse(res.json['identical'])
        res = self.sevlaunch('vmsa', 'diff', a, b)
        self.assertIn('differing fields: mxcsr, x87_fcw\n', res.out)

    def test_vmsa_show(self):
        page, _ = vmsas('EPYC-Genoa', 'init2', 0x20)
        res = self.sevlaunch('vmsa', 'show', self.write_private('v.bin', page), '--json')
        self.assertExit(res, EXIT_VERIFIED)
        fields = res.json['fields']
        self.assertEqual(fields['rdx'], 0xa10f10)
        self.assertEqual(res.json['cpu'], {'signature': 0xa10f10, 'description':
                                           'family 25 model 17 stepping 0 (EPYC-Genoa)'})
        self.assertEqual(fields['sev_features'], 0x20)
        self.assertEqual(fields['mxcsr'], 0x1f80)
        self.assertEqual(fields['x87_fcw'], 0x37f)
        self.assertEqual(fields['cs'], {'selector': 0xf000, 'attrib': 0x9b, 'limit': 0xffff,
                                        'base': 0xffff0000})
        self.assertEqual(fields['rip'], 0xfff0)

    def test_vmsa_wrong_size(self):
        res = self.sevlaunch('vmsa', 'show', self.write_private('short.bin', b'\0' * 100))
        self.assertExit(res, EXIT_INPUT)
        self.assertOneErrorLine(res)


class TestLive(ManifestCase):
    """verify --qmp --manifest against qmp-peer.py, which computes its own measurement."""

    def es_peer(self, cpu, variant, features, n, *extra):
        bsp, ap = vmsas(cpu, variant, features)
        files = [self.write_private('bsp-%s-%s.bin' % (cpu, variant), bsp),
                 self.write_private('ap-%s-%s.bin' % (cpu, variant), ap)]
        pages = ['--vmsa', files[0]] + ['--vmsa', files[1]] * (n - 1)
        return self.start_peer('--tik', self.tik, '--api', '1.49', '--build', '6', '--policy', '0x5',
                               '--firmware', harness.SEVCTL_FW, '--vcpus', n, *(pages + list(extra)))

    def live(self, peer, manifest, *extra):
        return self.sevlaunch('verify', '--json', '--qmp', peer.address, '--manifest', manifest,
                              '--tik', self.tik, *extra)

    def assertResumedOnce(self, res, peer):
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        cmds = peer.commands()
        self.assertEqual(cmds.count('cont'), 1, cmds)
        self.assertGreater(cmds.index('cont'), cmds.index('query-sev-launch-measure'), cmds)
        return cmds

    def test_sev_es_names_the_entry(self):
        out, _ = self.es_build('m.json', '1-8', 'EPYC-Rome,EPYC-Milan,EPYC-Genoa', 'legacy,init2',
                               '0,0x20')
        for cpu, variant, features, n in [('EPYC-Milan', 'legacy', 0, 1), ('EPYC-Genoa', 'init2', 0x20, 2),
                                          ('EPYC-Rome', 'legacy', 0x20, 4), ('EPYC-Genoa', 'legacy', 0, 8)]:
            with self.subTest(cpu=cpu, variant=variant, features=features, n=n):
                peer = self.es_peer(cpu, variant, features, n)
                res = self.live(peer, out)
                cmds = self.assertResumedOnce(res, peer)
                # the measurement decides the vCPU count: QEMU is not asked
                self.assertNotIn('query-cpus-fast', cmds)
                self.assertEqual(without_index(res.json['matched_entry']),
                                 entry_of(cpu, variant, features, n))
                self.assertEqual(res.json['guest']['vcpus'], n)
                self.assertTrue(res.json['resumed'])

    def test_sev_with_kernel(self):
        out, _ = self.build('k.json', '--firmware', harness.SEVCTL_FW, '--kernel', harness.KERNEL,
                            '--initrd', harness.INITRD, '--cmdline', harness.CMDLINE)
        peer = self.start_peer('--tik', self.tik, '--api', '1.40', '--build', '40', '--policy', '0x3',
                               '--firmware', harness.SEVCTL_FW, '--kernel', harness.KERNEL,
                               '--initrd', harness.INITRD, '--cmdline', harness.CMDLINE)
        res = self.live(peer, out)
        self.assertResumedOnce(res, peer)
        self.assertEqual(res.json['matched_entry'], {'index': 0, 'sev_mode': 'SEV'})
        self.assertEqual(res.json['launch_digest'], harness.M4_LD)

    def test_no_entry_matches(self):
        out, _ = self.es_build('m.json', '1-3', 'EPYC-Milan')
        peer = self.es_peer('EPYC-Milan', 'legacy', 0, 4)
        res = self.live(peer, out)
        self.assertExit(res, EXIT_MISMATCH)
        self.assertIsNone(res.json['matched_entry'])
        self.assertOneErrorLine(res, 'none of the 3 SEV-ES entries')
        peer.finish()
        self.assertNoResume(peer)

    def test_owner_rules_refused_before_measure(self):
        plain, _ = self.es_build('m.json', '2', 'EPYC-Milan')
        ruled, _ = self.es_build('r.json', '2', 'EPYC-Milan', 'legacy', '0', '--min-api-version', '1.50')
        for manifest, extra, words in [(ruled, [], 'API version 1.49'),
                                       (plain, ['--min-build-id', '7'], 'build id 6'),
                                       (plain, ['--require-policy', 'NOKS'], 'NOKS')]:
            with self.subTest(rule=extra or 'manifest'):
                peer = self.es_peer('EPYC-Milan', 'legacy', 0, 2)
                res = self.live(peer, manifest, *extra)
                self.assertExit(res, EXIT_NOT_VERIFIABLE)
                self.assertOneErrorLine(res, 'owner policy', words)
                peer.finish()
                self.assertNoResume(peer)
                self.assertNotIn('query-sev-launch-measure', peer.commands())

    def test_secret_goes_to_the_manifest_secret_area(self):
        out, _ = self.build('s.json', '--firmware', harness.SEVCTL_FW)
        secret = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'secret1.txt'), 's1.txt')
        peer = self.start_peer('--tik', self.s_tik, '--tek', self.s_tek, '--firmware', harness.SEVCTL_FW,
                               '--api', '1.40', '--build', '40', '--policy', '0x3')
        res = self.sevlaunch('verify', '--qmp', peer.address, '--manifest', out, '--tik', self.s_tik,
                             '--tek', self.s_tek, '--secret', '%s:%s' % (harness.S_GUID1, secret))
        self.assertResumedOnce(res, peer)
        inj = peer.injections()
        self.assertEqual(len(inj), 1, peer.log())
        self.assertEqual(inj[0]['injected'], {harness.S_GUID1: b'MY-LUKS-PASSPHRASE'.hex()})
        # the sevctl firmware's OVMF table puts the secret area at 0x80c000
        self.assertEqual(inj[0]['gpa'], 0x80c000)

    def test_explain_live(self):
        peer = self.es_peer('EPYC-Milan', 'legacy', 0, 4)
        res = self.sevlaunch('verify', '--json', '--qmp', peer.address, '--firmware',
                             harness.SEVCTL_FW, '--tik', self.tik, '--vcpus', '3', '--cpu', 'EPYC-Milan',
                             '--explain')
        self.assertExit(res, EXIT_MISMATCH)
        self.assertEqual(res.json['explain']['changes'], ['vCPU count 4 instead of 3'])
        peer.finish()
        self.assertNoResume(peer)


class TestLaunchState(ManifestCase):
    """verify --launch-state --manifest: the owner needs neither QEMU nor artifacts."""

    def state_of(self, peer):
        res = self.sevlaunch('query', '--qmp', peer.address)
        self.assertExit(res, EXIT_VERIFIED)
        peer.finish()
        return self.write_private('state.json', res.stdout)

    def es_peer(self, cpu, variant, features, n):
        bsp, ap = vmsas(cpu, variant, features)
        pages = ['--vmsa', self.write_private('bsp.bin', bsp)]
        pages += ['--vmsa', self.write_private('ap.bin', ap)] * (n - 1)
        return self.start_peer('--tik', self.tik, '--api', '1.49', '--build', '6', '--policy', '0x5',
                               '--firmware', harness.SEVCTL_FW, '--vcpus', n, *pages)

    def test_matched_entry_and_packet(self):
        out, _ = self.es_build('m.json', '1-4', 'EPYC-Milan,EPYC-Genoa', 'legacy,init2')
        state = self.state_of(self.es_peer('EPYC-Genoa', 'init2', 0, 3))
        secret = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'secret1.txt'), 's1.txt')
        tek = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'tek1.bin'), 'tek.bin')
        packet = self.path('packet.json')
        res = self.sevlaunch('verify', '--json', '--launch-state', state, '--manifest', out, '--tik',
                             self.tik, '--tek', tek, '--secret', 'luks-key:' + secret, '--packet-out',
                             packet)
        self.assertExit(res, EXIT_VERIFIED)
        self.assertEqual(without_index(res.json['matched_entry']), entry_of('EPYC-Genoa', 'init2', 0, 3))
        self.assertTrue(os.path.exists(packet))

    def test_rule_and_mismatch_write_no_packet(self):
        out, _ = self.es_build('m.json', '1-2', 'EPYC-Milan')
        state = self.state_of(self.es_peer('EPYC-Milan', 'legacy', 0, 3))
        packet = self.path('packet.json')
        secret = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'secret1.txt'), 's1.txt')
        tek = self.private_copy(os.path.join(harness.SEVCTL, 'secret', 'tek1.bin'), 'tek.bin')
        for extra, code in [(['--min-build-id', '7'], EXIT_NOT_VERIFIABLE), ([], EXIT_MISMATCH)]:
            with self.subTest(extra=extra):
                res = self.sevlaunch('verify', '--json', '--launch-state', state, '--manifest', out,
                                     '--tik', self.tik, '--tek', tek, '--secret', 'luks-key:' + secret,
                                     '--packet-out', packet, *extra)
                self.assertExit(res, code)
                self.assertOneErrorLine(res)
                self.assertFalse(os.path.exists(packet))


if __name__ == '__main__':
    harness.main()
