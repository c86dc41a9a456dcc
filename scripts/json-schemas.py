#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes docs/json/*.schema.json, the contract of every JSON document sevlaunch prints.

Edit this file, run it from the source root, commit both; the integration tests validate every
JSON output against the files, and check that they are what this script writes.
"""
import json
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'docs', 'json')
ERROR_CLASSES = ['usage', 'invalid-data', 'read', 'write', 'permission', 'internal', 'mismatch',
                 'connection', 'protocol', 'not-verifiable', 'injection-refused', 'exists']
U = {'type': 'integer', 'minimum': 0}
HEX32 = {'type': 'string', 'pattern': '^[0-9a-f]{64}$'}
HEX16 = {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}
B64 = {'type': 'string', 'pattern': '^[A-Za-z0-9+/]*={0,2}$'}
STR = {'type': 'string'}
STRN = {'type': ['string', 'null']}
BOOL = {'type': 'boolean'}
GUID = {'type': 'string', 'pattern': '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'}

def obj(props, required=(), **kw):
    d = {'type': 'object', 'additionalProperties': False, 'properties': props}
    if required:
        d['required'] = list(required)
    d.update(kw)
    return d

def envelope(command, title, body, success_required=(), extra_all=()):
    props = {
        'schema_version': {'const': 1, 'description': 'bumped on any incompatible change'},
        'command': {'const': command},
        'exit_code': {'type': 'integer', 'minimum': 0, 'maximum': 5,
                      'description': '0 ok, 1 mismatch, 2 usage/input, 3 connection/QMP, '
                                     '4 not verifiable, 5 injection refused'},
        'error': obj({'class': {'enum': ERROR_CLASSES}, 'message': STR}, ['class', 'message'],
                     description='present exactly when exit_code is not 0'),
    }
    props.update(body)
    allof = [{'if': {'properties': {'exit_code': {'const': 0}}},
              'then': {'not': {'required': ['error']}, 'required': list(success_required)},
              'else': {'required': ['error']}}]
    allof += list(extra_all)
    return {
        '$schema': 'https://json-schema.org/draft/2020-12/schema',
        '$id': 'urn:sevlaunch:schema:1:' + command,
        'title': title,
        'type': 'object',
        'additionalProperties': False,
        'required': ['schema_version', 'command', 'exit_code'],
        'properties': props,
        'allOf': allof,
    }

GUEST = obj({
    'state': {'type': 'string', 'description': 'SEV state QEMU reported (live)'},
    'sev_mode': {'enum': ['SEV', 'SEV-ES']},
    'api_major': U, 'api_minor': U, 'build_id': U,
    'policy': {**U, 'description': 'the guest policy (a number; bit 0x4 is SEV-ES)'},
    'vcpus': {'type': ['integer', 'null'], 'minimum': 1,
              'description': 'null: not known (plain SEV does not measure vCPUs)'},
})
VMSA = obj({
    'source': {'enum': ['built', 'files']},
    'files': obj({'cpu0': STRN, 'cpu1': STRN}),
    'cpu': obj({'name': STRN, 'signature': {**U, 'description': 'CPUID 1 EAX'}}),
    'variant': {'enum': ['legacy', 'init2']},
    'sev_features': U,
    'cpu0_sha256': HEX32, 'ap_sha256': HEX32,
}, ['source'])
FILE = obj({'path': STRN, 'sha256': HEX32}, ['path', 'sha256'])
ARTIFACTS = obj({
    'firmware': obj({'path': STR, 'size': U, 'sha256': HEX32}, ['path', 'size']),
    'kernel_hashes': BOOL,
    'kernel': FILE, 'initrd': FILE,
    'cmdline': obj({'text': STRN, 'sha256': HEX32}, ['text', 'sha256']),
}, ['firmware', 'kernel_hashes'])
QEMU = obj({'version': STR, 'major': U, 'minor': U, 'micro': U}, ['version'])

schemas = {}
schemas['ovmf'] = envelope('ovmf', 'sevlaunch ovmf --json', {
    'firmware': STR, 'size': U, 'footer_table': BOOL,
    'sev_es': obj({'possible': BOOL, 'reason': STR, 'reset_address': {'type': ['integer', 'null']}},
                  ['possible', 'reset_address']),
    'secret_area': {'oneOf': [{'type': 'null'}, obj({'base': U, 'size': U}, ['base', 'size'])]},
    'secret_injection': obj({'possible': BOOL, 'reason': STR}, ['possible']),
    'hashes_area': {'oneOf': [{'type': 'null'}, obj({'base': U, 'size': U}, ['base', 'size'])]},
    'kernel_hashes': obj({'possible': BOOL, 'reason': STR}, ['possible']),
    'footer_entries': {'type': 'array', 'items': obj({'guid': GUID, 'size': U}, ['guid', 'size'])},
    'firmware_volumes': {**U, 'description': 'UEFI firmware volume headers (_FVH) found in the image'},
    'nvram_store': {'oneOf': [{'type': 'null'},
                              obj({'offset': U, 'size': U, 'note': STR}, ['offset', 'size', 'note'])],
                    'description': 'an embedded NVRAM variable store (FV fff12b8d-7696-4c8b-a985-'
                                   '2747075b4f50): its variables are not measured; null: stateless'},
}, ['firmware', 'size', 'footer_table', 'sev_es', 'secret_area', 'secret_injection',
    'hashes_area', 'kernel_hashes', 'footer_entries', 'firmware_volumes', 'nvram_store'])
schemas['measure'] = envelope('measure', 'sevlaunch measure --json', {
    'guest': GUEST, 'vmsa': VMSA, 'artifacts': ARTIFACTS, 'launch_digest': HEX32,
    'measurement': HEX32, 'mnonce': HEX16,
    'launch_measure_blob': {**B64, 'description': 'base64 of measurement || mnonce, as sevctl prints it'},
}, ['guest', 'artifacts', 'launch_digest'])
CPU_ENTRY = obj({'name': STR, 'signature': {**U, 'description': 'CPUID 1 EAX, RDX of every VMSA'}},
               ['name', 'signature'])
MANIFEST_ENTRY_PROPS = {
    'index': U,
    'sev_mode': {'enum': ['SEV', 'SEV-ES']},
    'vcpus': {'type': 'integer', 'minimum': 1},
    'cpu': CPU_ENTRY,
    'vmsa_variant': {'enum': ['legacy', 'init2']},
    'sev_features': U,
}
MANIFEST_ENTRY_MATCHED = obj(MANIFEST_ENTRY_PROPS, ['index', 'sev_mode'])
MANIFEST_ENTRY = obj({**MANIFEST_ENTRY_PROPS, 'launch_digest': HEX32}, ['index', 'launch_digest', 'sev_mode'],
                     **{'if': {'properties': {'sev_mode': {'const': 'SEV-ES'}}},
                        'then': {'required': ['vcpus', 'cpu', 'vmsa_variant', 'sev_features']},
                        'else': {'not': {'anyOf': [{'required': [k]} for k in
                                                   ('vcpus', 'cpu', 'vmsa_variant', 'sev_features')]}}})
MANIFEST_FILE = obj({'name': STR, 'size': U, 'sha256': HEX32}, ['name', 'size', 'sha256'])
MANIFEST_INPUTS = obj({
    'firmware': MANIFEST_FILE, 'kernel': MANIFEST_FILE, 'initrd': MANIFEST_FILE,
    'cmdline': {**STR, 'description': 'measured with its terminating NUL'},
    'kernel_hashes': {**BOOL, 'description': 'QEMU kernel-hashes=on: the kernel hashes table is measured'},
    'secret_area': obj({'base': U, 'size': U}, ['base', 'size'],
                       description="the firmware's SEV secret area, where a secret goes without --secret-gpa"),
}, ['firmware', 'kernel_hashes'])
MANIFEST_REQUIREMENTS = obj({
    'min_api_version': obj({'major': {**U, 'maximum': 255}, 'minor': {**U, 'maximum': 255}},
                           ['major', 'minor']),
    'min_build_id': {**U, 'maximum': 255},
    'required_policy': obj({'bits': U, 'names': {'type': 'array', 'items': {
        'enum': ['NODBG', 'NOKS', 'ES', 'NOSEND', 'DOMAIN', 'SEV']}}}, ['bits', 'names']),
}, description="the owner's rules, checked before any verdict")
LIBVIRT = obj({
    'domain': {**STR, 'description': 'its name'},
    'uuid': STR,
    'started': {**BOOL, 'description': 'sevlaunch start started it, paused'},
    'warning': {**STR, 'description': 'what the domain XML allows but the measurement does not cover (<nvram>)'},
}, ['domain', 'uuid', 'started'], description='the libvirt domain (--connect, --domain; start)')
VERIFY_BODY = {
    'qemu': QEMU, 'libvirt': LIBVIRT, 'guest': GUEST, 'vmsa': VMSA, 'artifacts': ARTIFACTS,
    'launch_digest': HEX32, 'mnonce': HEX16,
    'measurement': {**HEX32, 'description': 'the measurement the firmware reported'},
    'verdict': {'enum': ['verified', 'mismatch']},
    'secrets_injected': {'type': 'array', 'items': GUID},
    'secret_gpa': U,
    'resumed': BOOL,
    'quit': obj({'done': BOOL, 'reason': STR}, ['done']),
    'packet': obj({'path': STR, 'secrets': {'type': 'array', 'items': GUID, 'minItems': 1},
                   'payload_size': U, 'header_file': STR, 'payload_file': STR},
                  ['secrets'],
                  description='offline verify with --secret, written on a match only: --packet-out '
                              '(path, with --launch-state) or --header-out/--payload-out (header_file, '
                              'payload_file, payload_size, with --measurement); "-" is standard output'),
    'manifest': obj({'path': STR, 'entries': {'type': 'integer', 'minimum': 1},
                     'signature': {'oneOf': [{'type': 'null'},
                                             obj({'verified': {'const': True},
                                                  'issuer': {**STRN, 'description': "the subject of the CA certificate (from --manifest-ca) the signature verified to"}},
                                                 ['verified'])]}},
                    ['path', 'entries', 'signature'],
                    description='verify --manifest: the reference values used instead of artifacts'),
    'entries_compared': {**U, 'description': "manifest entries of the guest's SEV mode, each compared in "
                                             'constant time'},
    'matched_entry': {'oneOf': [{'type': 'null'}, MANIFEST_ENTRY_MATCHED],
                      'description': 'the manifest entry the measurement matched; null: none did'},
    'explain': obj({'found': BOOL, 'candidates': U,
                    'changes': {'type': 'array', 'items': STR, 'maxItems': 2},
                    'launch_digest': HEX32, 'note': STR}, ['found', 'candidates', 'changes'],
                   description='--explain after a mismatch: the one or two changes to the inputs given '
                               'that match'),
    'warnings': {'type': 'array', 'items': STR,
                 'description': 'e.g. a firmware with an embedded NVRAM store'},
}
VERDICT_REQUIRED = {
    'if': {'properties': {'exit_code': {'enum': [0, 1]}}, 'required': ['exit_code']},
    'then': {'required': ['verdict', 'measurement', 'guest', 'resumed'],
             'anyOf': [{'required': ['launch_digest']}, {'required': ['manifest', 'matched_entry']}],
             'properties': {'guest': {'required': ['api_major', 'api_minor', 'build_id',
                                                   'policy', 'vcpus', 'sev_mode']}}},
}
VERIFY_RULES = [VERDICT_REQUIRED,
                {'if': {'properties': {'exit_code': {'const': 0}}},
                 'then': {'properties': {'verdict': {'const': 'verified'}}}},
                {'if': {'properties': {'verdict': {'const': 'mismatch'}}, 'required': ['verdict']},
                 'then': {'properties': {'resumed': {'const': False}},
                          'not': {'required': ['secrets_injected']}}}]
schemas['verify'] = envelope('verify', 'sevlaunch verify --json', VERIFY_BODY,
                             ['verdict', 'resumed'], VERIFY_RULES)
# start is verify of a libvirt domain it started paused: the same document
schemas['start'] = envelope('start', 'sevlaunch start --json',
                            {k: v for k, v in VERIFY_BODY.items() if k not in ('qemu', 'packet')},
                            ['verdict', 'resumed', 'libvirt'], VERIFY_RULES)
LINK = obj({'signer': {'enum': ['ark', 'ask', 'cek', 'oca', 'pek', 'pdh']},
            'subject': {'enum': ['ark', 'ask', 'cek', 'oca', 'pek', 'pdh']},
            'ok': BOOL, 'reason': STR}, ['signer', 'subject', 'ok'])
CEK_URL = {'type': ['string', 'null'], 'pattern': '^https://kdsintf\\.amd\\.com/cek/id/[0-9A-F]+$',
           'description': "AMD's key distribution URL of this chip's CEK, from cpu0-id"}
schemas['certs'] = envelope('certs', 'sevlaunch certs --json', {
    'platform_source': {'enum': ['qmp', 'launch-state']},
    'chain': {**STRN, 'description': 'the --chain directory; null when the chain came from QEMU'},
    'amd_keys': obj({'source': {'enum': ['built-in', 'files']},
                     'generation': {'enum': ['naples', 'rome', 'milan', 'genoa', 'turin', None]},
                     'detected': {**BOOL, 'description': 'found from which built-in ASK signs the CEK'}},
                    ['source', 'generation', 'detected']),
    'platform': obj({'api_major': U, 'api_minor': U}, ['api_major', 'api_minor']),
    'cek_url': CEK_URL,
    'links': {'type': 'array', 'items': LINK},
    'verified': BOOL,
}, ['chain', 'amd_keys', 'platform', 'links', 'verified'])
schemas['session'] = envelope('session', 'sevlaunch session --json', {
    'certificate_chain': obj({'verified': BOOL, 'path': STRN,
                              'source': {'enum': ['qmp', 'launch-state']},
                              'generation': {'enum': ['naples', 'rome', 'milan', 'genoa', 'turin', None]}},
                             ['verified', 'path']),
    'cek_url': CEK_URL,
    'policy': U,
    'files': obj({k: STR for k in ('godh', 'session', 'tik', 'tek', 'tk')},
                 ['godh', 'session', 'tik', 'tek', 'tk']),
}, ['certificate_chain', 'policy', 'files'])

PLATFORM = obj({
    'pdh': {**B64, 'description': 'base64 of the PDH certificate (2084 bytes)'},
    'cert_chain': {**B64, 'description': 'base64 of PEK || OCA || CEK (3 x 2084 bytes)'},
    'cpu0_id': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]+$',
                'description': 'hex of the chip id; null before QEMU 7.1'},
    'cbitpos': U, 'reduced_phys_bits': U,
}, ['pdh', 'cert_chain', 'cpu0_id', 'cbitpos', 'reduced_phys_bits'])
schemas['query'] = envelope('query', 'sevlaunch query: the launch state document', {
    'qemu': QEMU,
    'guest': obj({**GUEST['properties']}, ['state', 'sev_mode', 'api_major', 'api_minor', 'build_id',
                                           'policy', 'vcpus']),
    'launch_measure': obj({'data': {**B64, 'description': 'query-sev-launch-measure as QEMU gave it: '
                                                            'base64 of measurement || mnonce'},
                           'measurement': HEX32, 'mnonce': HEX16}, ['data', 'measurement', 'mnonce']),
    'platform': {'oneOf': [{'type': 'null'}, PLATFORM],
                 'description': 'query-sev-capabilities; null when QEMU does not answer it'},
}, ['guest', 'launch_measure', 'platform'])
schemas['inject'] = envelope('inject', 'sevlaunch inject --json', {
    'qemu': QEMU,
    'measurement': {**HEX32, 'description': 'what the guest reports now'},
    'mnonce': HEX16,
    'bound_to_this_launch': {**BOOL, 'description': "the packet's measurement is the guest's"},
    'secrets': {'type': 'array', 'items': GUID},
    'secret_gpa': U,
    'injected': BOOL,
    'resumed': BOOL,
}, ['injected', 'resumed', 'measurement', 'bound_to_this_launch'],
    [{'if': {'properties': {'bound_to_this_launch': {'const': False}}, 'required': ['bound_to_this_launch']},
      'then': {'properties': {'injected': {'const': False}, 'resumed': {'const': False}}}}])
schemas['manifest'] = envelope('manifest', 'sevlaunch manifest --json (build, show, sign)', {
    'action': {'enum': ['build', 'show', 'sign']},
    'manifest': {**STR, 'description': 'build: the file written; show, sign: the file read'},
    'entries': {'oneOf': [{'type': 'integer', 'minimum': 1},
                          {'type': 'array', 'items': MANIFEST_ENTRY, 'minItems': 1}],
                'description': 'build: how many; show: the entries as in the manifest document'},
    'firmware': MANIFEST_FILE,
    'inputs': MANIFEST_INPUTS,
    'requirements': MANIFEST_REQUIREMENTS,
    'signature': {**STR, 'description': 'sign: the signature file written'},
}, ['action', 'manifest'])
SEGMENT = obj({k: U for k in ('selector', 'attrib', 'limit', 'base')}, ['selector', 'attrib', 'limit', 'base'])
VMSA_VALUE = {'oneOf': [U, SEGMENT]}
schemas['vmsa'] = envelope('vmsa', 'sevlaunch vmsa --json (show, diff)', {
    'action': STR,
    'vmsa': STR, 'a': STR, 'b': STR,
    'fields': {'type': 'object', 'description': 'show: every named field; diff: the differing ones as {a, b}',
               'additionalProperties': {'oneOf': [U, SEGMENT, obj({'a': VMSA_VALUE, 'b': VMSA_VALUE},
                                                                  ['a', 'b'])]}},
    'cpu': obj({'signature': {**U, 'description': 'RDX: CPUID 1 EAX'}, 'description': STR},
               ['signature', 'description']),
    'identical': BOOL,
    'differing_fields': {'type': 'array', 'items': STR},
}, ['action', 'fields'])
schemas['reference-manifest'] = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    '$id': 'urn:sevlaunch:schema:1:reference-manifest',
    'title': 'the manifest document: reference launch digests (sevlaunch manifest build --out)',
    'type': 'object', 'additionalProperties': False,
    'required': ['schema_version', 'kind', 'inputs', 'requirements', 'entries'],
    'properties': {
        'schema_version': {'const': 1, 'description': 'bumped on any incompatible change'},
        'kind': {'const': 'sevlaunch-manifest'},
        'inputs': MANIFEST_INPUTS,
        'requirements': MANIFEST_REQUIREMENTS,
        'entries': {'type': 'array', 'items': MANIFEST_ENTRY, 'minItems': 1},
    },
}
schemas['packet'] = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    '$id': 'urn:sevlaunch:schema:1:packet',
    'title': "the packet document: verify --packet-out writes it, inject --packet reads it",
    'type': 'object', 'additionalProperties': False,
    'required': ['schema_version', 'document', 'measurement', 'mnonce', 'packet_header', 'secret',
                 'secret_gpa', 'secrets'],
    'properties': {
        'schema_version': {'const': 1},
        'document': {'const': 'packet'},
        'measurement': {**HEX32, 'description': 'the verified measurement the MAC binds'},
        'mnonce': HEX16,
        'packet_header': {**B64, 'description': 'sev-inject-launch-secret packet-header'},
        'secret': {**B64, 'description': 'sev-inject-launch-secret secret (encrypted)'},
        'secret_gpa': {'type': ['integer', 'null'], 'minimum': 1},
        'secrets': {'type': 'array', 'items': GUID, 'minItems': 1},
    },
}


def main():
    check = '--check' in sys.argv[1:]
    stale = []
    for name, schema in schemas.items():
        path = os.path.join(OUT, name + '.schema.json')
        text = json.dumps(schema, indent=2) + '\n'
        if check:
            with open(path, encoding='utf-8') as f:
                if f.read() != text:
                    stale.append(path)
            continue
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    if stale:
        sys.exit('not what scripts/json-schemas.py writes: ' + ', '.join(stale))


if __name__ == '__main__':
    main()
