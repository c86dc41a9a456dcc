/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-secret-packet.h"

/* VECTORS.md section 4: sevctl `secret build` with a fixed IV */
#define VECTOR_IV "rFR07U3TLH2YnsUj2SVZ7A=="
#define VECTOR_LAUNCH_MEASURE "TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS"
#define S1_HEADER "AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q=="
#define S1_PAYLOAD "0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCCwD/2w5cPA=="
#define S2_HEADER "AAAAAKxUdO1N0yx9mJ7FI9klWeyZ3r0dOEKHUOhIRqzGYYvTJgdMtBPL1nK6GD9aGET7Ng=="
#define S2_PAYLOAD                                                                                           \
	"0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCC+WWs332lpLNUX1Z"       \
	"I3YK7vYgtys4X+uGxEIlkIQ90v8/w8ZFmQMe"

/* the serialized tables, written out by hand from the efi_secret layout */
static const guint8 s1_plaintext[64] = {
    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b,
    0x3a, 0x00, 0x00, 0x00, 0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87,
    0x9c, 0xe3, 0xda, 0x0b, 0x26, 0x00, 0x00, 0x00, 'M',  'Y',  '-',  'L',  'U',  'K',  'S',  '-',
    'P',  'A',  'S',  'S',  'P',  'H',  'R',  'A',  'S',  'E',  0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const guint8 s2_plaintext[96] = {
    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b,
    0x5f, 0x00, 0x00, 0x00, 0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87,
    0x9c, 0xe3, 0xda, 0x0b, 0x26, 0x00, 0x00, 0x00, 'M',  'Y',  '-',  'L',  'U',  'K',  'S',  '-',
    'P',  'A',  'S',  'S',  'P',  'H',  'R',  'A',  'S',  'E',  0xe5, 0x69, 0x68, 0x73, 0xaa, 0xaa,
    0x73, 0x49, 0x92, 0xec, 0x06, 0x87, 0x9c, 0xe3, 0xda, 0x0b, 0x25, 0x00, 0x00, 0x00, 'S',  'O',
    'M',  'E',  ' ',  'O',  'T',  'H',  'E',  'R',  ' ',  'S',  'E',  'C',  'R',  'E',  'T',  0x00,
};

static gchar *
fixture_path(const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", "sevctl", "secret", name, NULL);
}

/* fixtures come back 0644 from git: accepting that is deliberate here */
static SlLaunchKeys *
load_keys(gboolean with_tek)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tik = fixture_path("tik1.bin");
	g_autofree gchar *tek = fixture_path("tek1.bin");
	SlLaunchKeys *keys = sl_launch_keys_load(
	    tik, with_tek ? tek : NULL, NULL, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
	g_assert_no_error(error);
	g_assert_nonnull(keys);
	return keys;
}

/* read independently of sl-launch-keys for the checks */
static GBytes *
load_raw(const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = fixture_path(name);
	gchar *data = NULL;
	gsize len = 0;
	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

static void
decode_exact(const gchar *text, guint8 *out, gsize len)
{
	gsize got = 0;
	g_autofree guchar *data = g_base64_decode(text, &got);
	g_assert_cmpuint(got, ==, len);
	memcpy(out, data, len);
}

static SlSecretTable *
table_from_specs(const gchar *const *specs)
{
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	for (guint i = 0; specs[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) parts = g_strsplit(specs[i], ":", 2);
		g_autofree gchar *path = fixture_path(parts[1]);
		g_autofree gchar *spec = g_strdup_printf("%s:%s", parts[0], path);
		g_assert_true(sl_secret_table_add_spec(
		    table, spec, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error));
		g_assert_no_error(error);
	}
	return g_steal_pointer(&table);
}

static SlSecretPacket *
build_packet(const gchar *const *specs, gboolean fixed_iv, const guint8 measurement[32])
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchKeys) keys = load_keys(TRUE);
	g_autoptr(SlSecretTable) table = table_from_specs(specs);
	SlSecretPacket *packet;
	guint8 iv[16];

	decode_exact(VECTOR_IV, iv, sizeof(iv));
	packet = sl_secret_packet_build(keys, measurement, fixed_iv ? iv : NULL, table, &error);
	g_assert_no_error(error);
	g_assert_nonnull(packet);
	return packet;
}

static void
vector_measurement(guint8 measurement[32])
{
	guint8 blob[48];
	decode_exact(VECTOR_LAUNCH_MEASURE, blob, sizeof(blob));
	/* the MAC covers the measurement, not the nonce after it */
	memcpy(measurement, blob, 32);
}

/* recomputes the MAC from the formula and decrypts the payload */
static void
assert_packet_valid(const SlSecretPacket *packet,
		    const guint8 measurement[32],
		    const guint8 *expected_plain,
		    gsize expected_len)
{
	g_autoptr(GBytes) tik = load_raw("tik1.bin");
	g_autoptr(GBytes) tek = load_raw("tek1.bin");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlHmacSha256) hmac = NULL;
	g_autofree guchar *header = NULL;
	g_autofree guchar *payload = NULL;
	const guint8 zero_flags[4] = {0};
	const guint8 prefix = 0x01;
	guint8 len_le[4];
	guint8 mac[32];
	gsize header_len = 0;
	gsize payload_len = 0;

	g_assert_cmpuint(g_bytes_get_size(tik), ==, 16);
	g_assert_cmpuint(g_bytes_get_size(tek), ==, 16);
	header = g_base64_decode(packet->header_base64, &header_len);
	payload = g_base64_decode(packet->payload_base64, &payload_len);
	g_assert_cmpuint(header_len, ==, SL_SECRET_PACKET_HEADER_SIZE);
	g_assert_cmpuint(payload_len, ==, packet->payload_size);
	g_assert_cmpmem(header, 4, zero_flags, 4);

	len_le[0] = payload_len & 0xff;
	len_le[1] = (payload_len >> 8) & 0xff;
	len_le[2] = (payload_len >> 16) & 0xff;
	len_le[3] = (payload_len >> 24) & 0xff;
	hmac = sl_hmac_sha256_new(g_bytes_get_data(tik, NULL), 16, &error);
	g_assert_no_error(error);
	sl_hmac_sha256_update(hmac, &prefix, 1);
	sl_hmac_sha256_update(hmac, zero_flags, 4);
	sl_hmac_sha256_update(hmac, header + 4, 16);
	sl_hmac_sha256_update(hmac, len_le, 4);
	sl_hmac_sha256_update(hmac, len_le, 4);
	sl_hmac_sha256_update(hmac, payload, payload_len);
	sl_hmac_sha256_update(hmac, measurement, 32);
	sl_hmac_sha256_finish(hmac, mac);
	g_assert_cmpmem(header + 20, 32, mac, 32);

	sl_aes128_ctr_crypt(g_bytes_get_data(tek, NULL), header + 4, payload, payload_len);
	g_assert_cmpmem(payload, payload_len, expected_plain, expected_len);
	sl_wipe(payload, payload_len);
}

static void
test_s1(void)
{
	const gchar *specs[] = {"736869e5-84f0-4973-92ec-06879ce3da0b:secret1.txt", NULL};
	g_autoptr(SlSecretPacket) packet = NULL;
	guint8 measurement[32];

	vector_measurement(measurement);
	packet = build_packet(specs, TRUE, measurement);
	g_assert_cmpstr(packet->header_base64, ==, S1_HEADER);
	g_assert_cmpstr(packet->payload_base64, ==, S1_PAYLOAD);
	g_assert_cmpuint(packet->payload_size, ==, 64);
	assert_packet_valid(packet, measurement, s1_plaintext, sizeof(s1_plaintext));
}

static void
test_s2(void)
{
	const gchar *specs[] = {"736869e5-84f0-4973-92ec-06879ce3da0b:secret1.txt",
				"736869e5-aaaa-4973-92ec-06879ce3da0b:secret2.txt",
				NULL};
	g_autoptr(SlSecretPacket) packet = NULL;
	guint8 measurement[32];

	vector_measurement(measurement);
	packet = build_packet(specs, TRUE, measurement);
	g_assert_cmpstr(packet->header_base64, ==, S2_HEADER);
	g_assert_cmpstr(packet->payload_base64, ==, S2_PAYLOAD);
	g_assert_cmpuint(packet->payload_size, ==, 96);
	assert_packet_valid(packet, measurement, s2_plaintext, sizeof(s2_plaintext));
}

static void
test_s3(void)
{
	/* 16343 bytes pad to 16384; 16344 bytes fill it exactly, no extra block */
	const gchar *names[] = {"secret3.txt", "secret4.txt"};
	guint8 measurement[32];

	vector_measurement(measurement);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *spec = g_strdup_printf("23058844-597b-42fb-8259-a0f5d9d495af:%s", names[i]);
		const gchar *specs[] = {spec, NULL};
		g_autoptr(SlSecretPacket) packet = build_packet(specs, TRUE, measurement);
		g_autofree guchar *payload = NULL;
		gsize len = 0;

		g_assert_cmpuint(packet->payload_size, ==, 16384);
		payload = g_base64_decode(packet->payload_base64, &len);
		g_assert_cmpuint(len, ==, 16384);
	}
}

static void
test_random_iv(void)
{
	const gchar *specs[] = {"luks-key:secret1.txt", NULL};
	g_autoptr(SlSecretPacket) packet1 = NULL;
	g_autoptr(SlSecretPacket) packet2 = NULL;
	guint8 measurement[32];

	vector_measurement(measurement);
	packet1 = build_packet(specs, FALSE, measurement);
	packet2 = build_packet(specs, FALSE, measurement);
	g_assert_cmpstr(packet1->header_base64, !=, packet2->header_base64);
	g_assert_cmpstr(packet1->payload_base64, !=, packet2->payload_base64);
	g_assert_cmpstr(packet1->header_base64, !=, S1_HEADER);
	assert_packet_valid(packet1, measurement, s1_plaintext, sizeof(s1_plaintext));
	assert_packet_valid(packet2, measurement, s1_plaintext, sizeof(s1_plaintext));
}

static void
test_mac_covers_measurement(void)
{
	const gchar *specs[] = {"luks-key:secret1.txt", NULL};
	g_autoptr(SlSecretPacket) packet = NULL;
	guint8 measurement[32];

	vector_measurement(measurement);
	measurement[31] ^= 0x01;
	packet = build_packet(specs, TRUE, measurement);
	/* same IV and keys: same ciphertext, different MAC */
	g_assert_cmpstr(packet->payload_base64, ==, S1_PAYLOAD);
	g_assert_cmpstr(packet->header_base64, !=, S1_HEADER);
	assert_packet_valid(packet, measurement, s1_plaintext, sizeof(s1_plaintext));
}

static void
test_no_tek(void)
{
	const gchar *specs[] = {"luks-key:secret1.txt", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchKeys) keys = load_keys(FALSE);
	g_autoptr(SlSecretTable) table = table_from_specs(specs);
	g_autoptr(SlSecretPacket) packet = NULL;
	guint8 measurement[32];

	vector_measurement(measurement);
	packet = sl_secret_packet_build(keys, measurement, NULL, table, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "no TEK to encrypt the secrets with");
	g_assert_null(packet);
}

static void
test_empty_table(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchKeys) keys = load_keys(TRUE);
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(SlSecretPacket) packet = NULL;
	guint8 measurement[32] = {0};

	packet = sl_secret_packet_build(keys, measurement, NULL, table, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_null(packet);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secret-packet/s1", test_s1);
	g_test_add_func("/secret-packet/s2", test_s2);
	g_test_add_func("/secret-packet/s3", test_s3);
	g_test_add_func("/secret-packet/random-iv", test_random_iv);
	g_test_add_func("/secret-packet/mac-covers-measurement", test_mac_covers_measurement);
	g_test_add_func("/secret-packet/no-tek", test_no_tek);
	g_test_add_func("/secret-packet/empty-table", test_empty_table);
	return g_test_run();
}
