# SPDX-License-Identifier: GPL-2.0-or-later
"""Every JSON document sevlaunch prints is checked against its published schema.

The schemas are docs/json/COMMAND.schema.json (and packet/launch-state documents by
name); the check is Debian's python3-jsonschema, independent of sevlaunch's code.
Run helpers call check_output() on every run, so any test that passes --json (or
runs a command whose product is a JSON document) gets its output validated.
"""

import json
import os

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.environ.get('SCHEMA_DIR', os.path.join(HERE, '..', '..', 'docs', 'json'))

# commands whose stdout is always one JSON document
ALWAYS_JSON = {'query'}

_validators = {}


def validator(name):
    if name not in _validators:
        path = os.path.join(SCHEMA_DIR, name + '.schema.json')
        if not os.path.exists(path):
            raise AssertionError('no schema %s for a JSON output' % path)
        with open(path, encoding='utf-8') as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        _validators[name] = jsonschema.Draft202012Validator(schema)
    return _validators[name]


def validate(obj, name):
    """Raises AssertionError naming every violation of schema @name."""
    errors = sorted(validator(name).iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError('output does not match docs/json/%s.schema.json:\n%s\n%s'
                             % (name, '\n'.join('  %s: %s' % ('/'.join(map(str, e.absolute_path)),
                                                               e.message) for e in errors),
                                json.dumps(obj, indent=1)[:4000]))
    return obj


def parse_one(text, name):
    """@text is exactly one JSON object on one line; returns it, validated."""
    if isinstance(text, bytes):
        text = text.decode('utf-8')  # invalid UTF-8 is a failure by itself
    lines = text.split('\n')
    if len(lines) != 2 or lines[1] != '':
        raise AssertionError('wanted one JSON line on stdout, got %r' % text[:2000])
    obj = json.loads(lines[0])
    if not isinstance(obj, dict):
        raise AssertionError('the JSON output is not an object: %r' % text[:2000])
    return validate(obj, name)


def command_of(argv):
    args = [str(a) for a in argv]
    return args[0] if args else None


def wants_json(argv):
    args = [str(a) for a in argv]
    if '--' in args:
        args = args[:args.index('--')]
    if '-h' in args or any(a.startswith('--help') for a in args):
        return False
    return '--json' in args or (command_of(args) in ALWAYS_JSON and '--text' not in args)


def packet_to_stdout(argv):
    args = [str(a) for a in argv]
    return any(a == '--packet-out' and b == '-' for a, b in zip(args, args[1:])) or \
        '--packet-out=-' in args


def validate_file(path, name):
    """A document sevlaunch wrote to a file (a packet): one JSON line, valid against @name."""
    with open(path, 'rb') as f:
        return parse_one(f.read(), name)


def check_output(argv, stdout, returncode):
    """For a run of `sevlaunch ARGV`: when its stdout is JSON, validate it; returns it or None.

    The object's exit_code must be the process's; a process killed by a signal is left alone.
    `verify --packet-out -` prints the packet document on success and nothing otherwise.
    """
    if returncode < 0:
        return None
    if command_of(argv) == 'verify' and packet_to_stdout(argv):
        if returncode != 0:
            if stdout:
                raise AssertionError('verify --packet-out - failed but printed %r' % stdout[:2000])
            return None
        return parse_one(stdout, 'packet')
    if not wants_json(argv):
        return None
    obj = parse_one(stdout, command_of(argv))
    if obj.get('command') != command_of(argv):
        raise AssertionError('"command" is %r for sevlaunch %s' % (obj.get('command'), command_of(argv)))
    if obj['exit_code'] != returncode:
        raise AssertionError('"exit_code" %r, but sevlaunch exited %d' % (obj['exit_code'], returncode))
    return obj
