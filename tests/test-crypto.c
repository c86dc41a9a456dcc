/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-crypto.h"
#include "sl-error.h"

static GByteArray *
hex_decode(const gchar *hex)
{
	GByteArray *buf = g_byte_array_new();
	gsize len = strlen(hex);
	g_assert_cmpuint(len % 2, ==, 0);
	for (gsize i = 0; i < len; i += 2) {
		gint hi = g_ascii_xdigit_value(hex[i]);
		gint lo = g_ascii_xdigit_value(hex[i + 1]);
		guint8 b;
		g_assert_cmpint(hi, >=, 0);
		g_assert_cmpint(lo, >=, 0);
		b = (guint8)(hi << 4 | lo);
		g_byte_array_append(buf, &b, 1);
	}
	return buf;
}

static void
assert_digest(const guint8 digest[SL_SHA256_SIZE], const gchar *hex)
{
	g_autoptr(GByteArray) expected = hex_decode(hex);
	g_assert_cmpmem(digest, SL_SHA256_SIZE, expected->data, expected->len);
}

/* FIPS 180-2 / NIST example messages */
static void
test_sha256_buffer(void)
{
	g_autoptr(GError) error = NULL;
	const gchar *msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	guint8 digest[SL_SHA256_SIZE];

	g_assert_true(sl_sha256_buffer("", 0, digest, &error));
	g_assert_no_error(error);
	assert_digest(digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	g_assert_true(sl_sha256_buffer("abc", 3, digest, &error));
	g_assert_no_error(error);
	assert_digest(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	g_assert_true(sl_sha256_buffer(msg448, strlen(msg448), digest, &error));
	g_assert_no_error(error);
	assert_digest(digest, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_sha256_streamed(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSha256) sha = sl_sha256_new(&error);
	const gchar *msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	guint8 digest[SL_SHA256_SIZE];

	g_assert_no_error(error);
	g_assert_nonnull(sha);
	/* split at odd places, with an empty update in between */
	sl_sha256_update(sha, msg448, 5);
	sl_sha256_update(sha, msg448 + 5, 0);
	sl_sha256_update(sha, msg448 + 5, strlen(msg448) - 5);
	sl_sha256_finish(sha, digest);
	assert_digest(digest, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static gchar *
write_tmp(const gchar *dir, const gchar *name, const void *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
	return path;
}

static void
test_sha256_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("sl-crypto-XXXXXX", &error);
	g_autofree guint8 *million_a = g_malloc(1000000);
	/* larger than the 1 MiB read chunk, and not a multiple of it */
	gsize big_len = 2 * 1024 * 1024 + 17;
	g_autofree guint8 *big = g_malloc(big_len);
	g_autofree gchar *path_a = NULL;
	g_autofree gchar *path_big = NULL;
	g_autofree gchar *path_empty = NULL;
	g_autoptr(SlSha256) sha = NULL;
	guint8 digest_file[SL_SHA256_SIZE];
	guint8 digest_buf[SL_SHA256_SIZE];
	guint64 size = 0;

	g_assert_no_error(error);
	memset(million_a, 'a', 1000000);
	for (gsize i = 0; i < big_len; i++)
		big[i] = (guint8)(i * 31 + (i >> 11));
	path_a = write_tmp(dir, "a", million_a, 1000000);
	path_big = write_tmp(dir, "big", big, big_len);
	path_empty = write_tmp(dir, "empty", "", 0);

	g_assert_true(sl_sha256_file(path_a, digest_file, &error));
	g_assert_no_error(error);
	assert_digest(digest_file, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	g_assert_true(sl_sha256_file(path_big, digest_file, &error));
	g_assert_no_error(error);
	g_assert_true(sl_sha256_buffer(big, big_len, digest_buf, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(digest_file, sizeof(digest_file), digest_buf, sizeof(digest_buf));

	/* a file appended to a running hash, with its size reported */
	sha = sl_sha256_new(&error);
	g_assert_no_error(error);
	sl_sha256_update(sha, "abc", 3);
	g_assert_true(sl_sha256_update_from_file(sha, path_empty, &size, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(size, ==, 0);
	g_assert_true(sl_sha256_update_from_file(sha, path_big, &size, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(size, ==, big_len);
	sl_sha256_finish(sha, digest_file);
	{
		g_autoptr(SlSha256) ref = sl_sha256_new(&error);
		g_assert_no_error(error);
		sl_sha256_update(ref, "abc", 3);
		sl_sha256_update(ref, big, big_len);
		sl_sha256_finish(ref, digest_buf);
	}
	g_assert_cmpmem(digest_file, sizeof(digest_file), digest_buf, sizeof(digest_buf));

	g_assert_cmpint(g_unlink(path_a), ==, 0);
	g_assert_cmpint(g_unlink(path_big), ==, 0);
	g_assert_cmpint(g_unlink(path_empty), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_sha256_file_missing(void)
{
	g_autoptr(GError) error = NULL;
	guint8 digest[SL_SHA256_SIZE];

	g_assert_false(sl_sha256_file("/nonexistent/sevlaunch-test", digest, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_nonnull(strstr(error->message, "/nonexistent/sevlaunch-test"));
}

static void
assert_hmac(const void *key, gsize key_len, const gchar *data, const gchar *hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlHmacSha256) hmac = sl_hmac_sha256_new(key, key_len, &error);
	guint8 mac[SL_SHA256_SIZE];

	g_assert_no_error(error);
	g_assert_nonnull(hmac);
	sl_hmac_sha256_update(hmac, data, strlen(data));
	sl_hmac_sha256_finish(hmac, mac);
	assert_digest(mac, hex);
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block) */
static void
test_hmac_rfc4231(void)
{
	guint8 key1[20];
	guint8 key6[131];

	memset(key1, 0x0b, sizeof(key1));
	memset(key6, 0xaa, sizeof(key6));
	assert_hmac(key1,
		    sizeof(key1),
		    "Hi There",
		    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	assert_hmac("Jefe",
		    4,
		    "what do ya want for nothing?",
		    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	assert_hmac(key6,
		    sizeof(key6),
		    "Test Using Larger Than Block-Size Key - Hash Key First",
		    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

/* NIST SP 800-38A F.5.1 CTR-AES128.Encrypt */
#define F51_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define F51_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define F51_PLAIN                                                                                            \
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"                                   \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define F51_CIPHER                                                                                           \
	"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"                                   \
	"5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"

static void
test_aes128_ctr(void)
{
	g_autoptr(GByteArray) key = hex_decode(F51_KEY);
	g_autoptr(GByteArray) iv = hex_decode(F51_IV);
	g_autoptr(GByteArray) plain = hex_decode(F51_PLAIN);
	g_autoptr(GByteArray) cipher = hex_decode(F51_CIPHER);
	g_autoptr(GByteArray) buf = hex_decode(F51_PLAIN);
	guint8 iv_copy[SL_AES_BLOCK_SIZE];

	g_assert_cmpuint(key->len, ==, SL_AES128_KEY_SIZE);
	g_assert_cmpuint(iv->len, ==, SL_AES_BLOCK_SIZE);
	memcpy(iv_copy, iv->data, sizeof(iv_copy));

	/* the counter crosses the ...feff -> ...ff00 carry in block 2 */
	sl_aes128_ctr_crypt(key->data, iv->data, buf->data, buf->len);
	g_assert_cmpmem(buf->data, buf->len, cipher->data, cipher->len);
	/* the caller's IV is left alone */
	g_assert_cmpmem(iv->data, iv->len, iv_copy, sizeof(iv_copy));

	/* CTR is its own inverse */
	sl_aes128_ctr_crypt(key->data, iv->data, buf->data, buf->len);
	g_assert_cmpmem(buf->data, buf->len, plain->data, plain->len);

	/* a length that is not a whole block gives a prefix of the stream */
	memcpy(buf->data, plain->data, plain->len);
	sl_aes128_ctr_crypt(key->data, iv->data, buf->data, 21);
	g_assert_cmpmem(buf->data, 21, cipher->data, 21);
	g_assert_cmpmem(buf->data + 21, plain->len - 21, plain->data + 21, plain->len - 21);
}

/*
 * sl_memeq_secret must be GnuTLS's constant-time gnutls_memcmp, not a
 * memcmp that returns at the first differing byte (a timing oracle on a
 * MAC). Timing is too noisy to assert in a unit test, so the test binary is
 * linked with -Wl,--wrap=gnutls_memcmp (tests/meson.build): every call from
 * our code lands in the wrapper below, which counts it, records what it was
 * asked and can lie about the answer. A plain memcmp makes no call; code that
 * calls the primitive but decides by something else ignores the lie.
 */
int
__real_gnutls_memcmp(const void *a, const void *b, size_t len);
int
__wrap_gnutls_memcmp(const void *a, const void *b, size_t len);

static struct {
	guint calls;
	const void *a;
	const void *b;
	size_t len;
	gboolean lie; /* answer "differ" for equal buffers and "equal" otherwise */
} memcmp_spy;

int
__wrap_gnutls_memcmp(const void *a, const void *b, size_t len)
{
	int real = __real_gnutls_memcmp(a, b, len);

	memcmp_spy.calls++;
	memcmp_spy.a = a;
	memcmp_spy.b = b;
	memcmp_spy.len = len;
	if (memcmp_spy.lie)
		return real == 0 ? 1 : 0;
	return real;
}

/* one call of the primitive over exactly the caller's range */
static gboolean
memeq_via_primitive(const guint8 *a, const guint8 *b, gsize len)
{
	guint before = memcmp_spy.calls;
	gboolean equal = sl_memeq_secret(a, b, len);

	g_assert_cmpuint(memcmp_spy.calls, ==, before + 1);
	g_assert_true(memcmp_spy.a == a);
	g_assert_true(memcmp_spy.b == b);
	g_assert_cmpuint(memcmp_spy.len, ==, len);
	return equal;
}

static void
test_memeq_secret(void)
{
	guint8 a[32];
	guint8 b[32];

	for (guint i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (guint8)(i * 7 + 1);
	g_assert_true(memeq_via_primitive(a, b, sizeof(a)));
	g_assert_true(memeq_via_primitive(a, b, 0));
	b[0] ^= 0x80;
	g_assert_false(memeq_via_primitive(a, b, sizeof(a)));
	/* only the compared range counts */
	g_assert_true(memeq_via_primitive(a + 1, b + 1, sizeof(a) - 1));
	b[0] = a[0];
	b[31] ^= 0x01;
	g_assert_false(memeq_via_primitive(a, b, sizeof(a)));
	g_assert_true(memeq_via_primitive(a, b, sizeof(a) - 1));

	/* the verdict is the primitive's: make it lie, and the answer follows */
	memcmp_spy.lie = TRUE;
	g_assert_true(memeq_via_primitive(a, b, sizeof(a)));
	g_assert_false(memeq_via_primitive(a, b, sizeof(a) - 1));
	memcmp_spy.lie = FALSE;
}

static void
test_random(void)
{
	g_autoptr(GError) error = NULL;
	const guint8 zero[32] = {0};
	guint8 r1[32] = {0};
	guint8 r2[32] = {0};

	g_assert_true(sl_random_bytes(r1, sizeof(r1), &error));
	g_assert_no_error(error);
	g_assert_true(sl_random_bytes(r2, sizeof(r2), &error));
	g_assert_no_error(error);
	/* 2^-256 chance of a false failure */
	g_assert_false(memcmp(r1, r2, sizeof(r1)) == 0);
	g_assert_false(memcmp(r1, zero, sizeof(r1)) == 0);
	g_assert_false(memcmp(r2, zero, sizeof(r2)) == 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/crypto/sha256-buffer", test_sha256_buffer);
	g_test_add_func("/crypto/sha256-streamed", test_sha256_streamed);
	g_test_add_func("/crypto/sha256-file", test_sha256_file);
	g_test_add_func("/crypto/sha256-file-missing", test_sha256_file_missing);
	g_test_add_func("/crypto/hmac-rfc4231", test_hmac_rfc4231);
	g_test_add_func("/crypto/aes128-ctr", test_aes128_ctr);
	g_test_add_func("/crypto/memeq-secret", test_memeq_secret);
	g_test_add_func("/crypto/random", test_random);
	return g_test_run();
}
