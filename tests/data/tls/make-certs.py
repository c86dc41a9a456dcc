#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the test-only TLS credential directories in QEMU's x509 layout.

Run once by hand (python3-cryptography); the output is committed, so tests never
generate keys. The keys are public test fixtures: never use them for anything else.

  server/        ca-cert.pem server-cert.pem server-key.pem   (QEMU's -object tls-creds-x509)
  client/        ca-cert.pem client-cert.pem client-key.pem   (sevlaunch --qmp-tls-creds)
  other-client/  the same, from another CA that nothing else trusts
"""

import datetime
import os
import sys
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = datetime.datetime(2025, 1, 1)
NOT_AFTER = datetime.datetime(2125, 1, 1)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'sevlaunch tests'),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key_usage(ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=False,
                         key_encipherment=not ca, data_encipherment=False, key_agreement=False,
                         key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)


def build(subject, key, issuer, issuer_key, ca, purpose=None, san=None):
    b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(key_usage(ca), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                        critical=False))
    if purpose is not None:
        b = b.add_extension(x509.ExtendedKeyUsage([purpose]), critical=True)
    if san is not None:
        b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def ca(cn):
    key = ec.generate_private_key(ec.SECP256R1())
    return key, build(cn, key, cn, key, True)


def leaf(out, role, ca_key, ca_cert, cn, purpose, san=None):
    key = ec.generate_private_key(ec.SECP256R1())
    issuer = ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    cert = build(cn, key, issuer, ca_key, False, purpose, san)
    write(os.path.join(out, 'ca-cert.pem'), cert_pem(ca_cert))
    write(os.path.join(out, role + '-cert.pem'), cert_pem(cert))
    write(os.path.join(out, role + '-key.pem'), key_pem(key))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    ca_key, ca_cert = ca('sevlaunch test CA')
    other_key, other_cert = ca('sevlaunch other test CA')
    san = [x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
           x509.IPAddress(ipaddress.ip_address('::1'))]
    leaf(os.path.join(out, 'server'), 'server', ca_key, ca_cert, 'localhost',
         ExtendedKeyUsageOID.SERVER_AUTH, san)
    leaf(os.path.join(out, 'client'), 'client', ca_key, ca_cert, 'sevlaunch test client',
         ExtendedKeyUsageOID.CLIENT_AUTH)
    leaf(os.path.join(out, 'other-client'), 'client', other_key, other_cert,
         'sevlaunch other test client', ExtendedKeyUsageOID.CLIENT_AUTH)


if __name__ == '__main__':
    main()
