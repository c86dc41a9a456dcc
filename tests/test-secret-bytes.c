/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-secret-bytes.h"

/*
 * A wipe done with plain memset() passes any test that reads the buffer
 * afterwards: a later read keeps the stores alive. What goes wrong in real
 * code is the store nobody reads again, memset() right before free(), which
 * the compiler may drop (it knows free(), and with LTO it sees through
 * wrappers). Two checks that such a wipe fails, both by linking this binary
 * with -Wl,--wrap (tests/meson.build):
 *  - sl_wipe() must reach explicit_bzero(), the libc call the compiler is not
 *    allowed to remove (or, under _FORTIFY_SOURCE, its checked twin), with
 *    exactly the caller's range; a memset() makes no such call;
 *  - an SlSecretBytes must be all zero at the moment g_free() releases its
 *    bytes: the g_free() wrapper looks at the watched buffer before the real
 *    g_free() runs, which is what a dropped or missing wipe gets wrong.
 */

void
__real_explicit_bzero(void *buf, size_t len);
void
__wrap_explicit_bzero(void *buf, size_t len);
void
__real___explicit_bzero_chk(void *buf, size_t len, size_t buf_len);
void
__wrap___explicit_bzero_chk(void *buf, size_t len, size_t buf_len);
void
__real_g_free(gpointer mem);
void
__wrap_g_free(gpointer mem);

static struct {
	guint calls;
	void *buf;
	size_t len;
} bzero_spy;

static struct {
	const guint8 *watched; /* the buffer whose release is checked */
	gsize len;
	gboolean freed;
	gboolean zero_when_freed;
} free_spy;

static void
bzero_spy_note(void *buf, size_t len)
{
	bzero_spy.calls++;
	bzero_spy.buf = buf;
	bzero_spy.len = len;
}

void
__wrap_explicit_bzero(void *buf, size_t len)
{
	bzero_spy_note(buf, len);
	__real_explicit_bzero(buf, len);
}

void
__wrap___explicit_bzero_chk(void *buf, size_t len, size_t buf_len)
{
	bzero_spy_note(buf, len);
	__real___explicit_bzero_chk(buf, len, buf_len);
}

void
__wrap_g_free(gpointer mem)
{
	if (mem != NULL && mem == (gpointer)free_spy.watched) {
		free_spy.freed = TRUE;
		free_spy.zero_when_freed = TRUE;
		for (gsize i = 0; i < free_spy.len; i++) {
			if (free_spy.watched[i] != 0)
				free_spy.zero_when_freed = FALSE;
		}
		free_spy.watched = NULL;
	}
	__real_g_free(mem);
}

static void
test_wipe_reaches_primitive(void)
{
	const guint8 zero[16] = {0};
	guint8 buf[24];
	guint before;

	memset(buf, 0xa5, sizeof(buf));
	before = bzero_spy.calls;
	sl_wipe(buf + 4, 16);
	g_assert_cmpuint(bzero_spy.calls, ==, before + 1);
	g_assert_true(bzero_spy.buf == buf + 4);
	g_assert_cmpuint(bzero_spy.len, ==, 16);
	/* exactly the range: zero inside, untouched around it */
	g_assert_cmpmem(buf + 4, 16, zero, sizeof(zero));
	g_assert_cmphex(buf[3], ==, 0xa5);
	g_assert_cmphex(buf[20], ==, 0xa5);

	/* NULL and empty are harmless and reach nothing */
	before = bzero_spy.calls;
	sl_wipe(NULL, 16);
	sl_wipe(buf, 0);
	g_assert_cmpuint(bzero_spy.calls, ==, before);
}

static void
test_zero_when_freed(void)
{
	const gsize sizes[] = {1, 16, 32, 4096};

	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		SlSecretBytes *secret = sl_secret_bytes_new(sizes[i]);
		SlSecretBytes *second = sl_secret_bytes_ref(secret);
		guint8 *data = sl_secret_bytes_get_data(secret);

		memset(data, 0x5a, sizes[i]);
		free_spy.watched = data;
		free_spy.len = sizes[i];
		free_spy.freed = FALSE;
		/* a reference still held: nothing is freed or wiped yet */
		sl_secret_bytes_unref(second);
		g_assert_false(free_spy.freed);
		g_assert_cmphex(data[0], ==, 0x5a);
		sl_secret_bytes_unref(secret);
		g_assert_true(free_spy.freed);
		g_assert_true(free_spy.zero_when_freed);
	}
}

/* the spy itself must be able to see a buffer that was not wiped */
static void
test_spy_sees_unwiped(void)
{
	guint8 *data = g_malloc(16);

	memset(data, 0x5a, 16);
	free_spy.watched = data;
	free_spy.len = 16;
	free_spy.freed = FALSE;
	g_free(data);
	g_assert_true(free_spy.freed);
	g_assert_false(free_spy.zero_when_freed);
}

static void
test_copy(void)
{
	const guint8 key[5] = {1, 2, 3, 4, 5};
	g_autoptr(SlSecretBytes) secret = sl_secret_bytes_new_copy(key, sizeof(key));
	g_autoptr(SlSecretBytes) empty = sl_secret_bytes_new(0);

	g_assert_cmpuint(sl_secret_bytes_get_size(secret), ==, sizeof(key));
	g_assert_cmpmem(sl_secret_bytes_get_data(secret), sizeof(key), key, sizeof(key));
	/* an empty buffer still has a valid pointer */
	g_assert_cmpuint(sl_secret_bytes_get_size(empty), ==, 0);
	g_assert_nonnull(sl_secret_bytes_get_data(empty));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secret-bytes/wipe-reaches-primitive", test_wipe_reaches_primitive);
	g_test_add_func("/secret-bytes/zero-when-freed", test_zero_when_freed);
	g_test_add_func("/secret-bytes/spy-sees-unwiped", test_spy_sees_unwiped);
	g_test_add_func("/secret-bytes/copy", test_copy);
	return g_test_run();
}
