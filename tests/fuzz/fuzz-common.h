/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* the libFuzzer entry point: each harness defines it, fuzz-replay.c or libFuzzer calls it */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* once per process: a GLib warning or critical aborts, so the fuzzer counts it as a crash */
void
sl_fuzz_init(void);

/* @data up to its first NUL, as a C caller would see it */
gchar *
sl_fuzz_strndup(const uint8_t *data, size_t size);

G_END_DECLS
