/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-launch-requirements.h"

static const SlLaunchParams test_params = {.api_major = 1, .api_minor = 49, .build_id = 6, .policy = 0x5};

static void
test_requirements_none(void)
{
	g_autoptr(GError) error = NULL;
	SlLaunchRequirements req = {0};
	g_assert_true(sl_launch_requirements_is_empty(&req));
	g_assert_true(sl_launch_requirements_check(&req, &test_params, &error));
	g_assert_no_error(error);
}

static void
test_requirements_min_api(void)
{
	const struct {
		const gchar *min;
		gboolean ok;
	} cases[] = {{"1.49", TRUE}, {"1.48", TRUE}, {"0.255", TRUE}, {"1.50", FALSE}, {"2.0", FALSE}};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		SlLaunchRequirements req = {0};
		g_assert_true(sl_launch_requirements_set_min_api(&req, cases[i].min, &error));
		g_assert_cmpint(sl_launch_requirements_check(&req, &test_params, &error), ==, cases[i].ok);
		if (!cases[i].ok) {
			g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
			g_assert_nonnull(strstr(error->message, "API version 1.49 is older"));
		}
	}
}

static void
test_requirements_min_api_refused(void)
{
	const gchar *bad[] = {"1", "1.2.3", "x.1", "1.256", "", "-1.0"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		SlLaunchRequirements req = {0};
		g_assert_false(sl_launch_requirements_set_min_api(&req, bad[i], &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_false(req.has_min_api);
	}
}

static void
test_requirements_min_build(void)
{
	g_autoptr(GError) error = NULL;
	SlLaunchRequirements req = {.has_min_build_id = TRUE, .min_build_id = 6};
	g_assert_true(sl_launch_requirements_check(&req, &test_params, &error));
	req.min_build_id = 7;
	g_assert_false(sl_launch_requirements_check(&req, &test_params, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_nonnull(strstr(error->message, "build id 6 is older than the minimum 7"));
}

static void
test_requirements_policy(void)
{
	const struct {
		const gchar *names;
		guint32 bits;
		const gchar *missing; /* NULL: policy 0x5 has them all */
	} cases[] = {
	    {"NODBG", 0x1, NULL},
	    {"es,nodbg", 0x5, NULL},
	    {"NOKS", 0x2, "NOKS"},
	    {"NOSEND", 0x8, "NOSEND"},
	    {"DOMAIN", 0x10, "DOMAIN"},
	    {"SEV", 0x20, "SEV"},
	    {"NODBG, ES, NOKS", 0x7, "NOKS"},
	    {"0x40", 0x40, "0x40"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		SlLaunchRequirements req = {0};
		g_assert_true(sl_launch_requirements_set_required_policy(&req, cases[i].names, &error));
		g_assert_cmphex(req.required_policy, ==, cases[i].bits);
		if (cases[i].missing == NULL) {
			g_assert_true(sl_launch_requirements_check(&req, &test_params, &error));
			continue;
		}
		g_assert_false(sl_launch_requirements_check(&req, &test_params, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
		g_assert_nonnull(strstr(error->message, cases[i].missing));
	}
}

static void
test_requirements_policy_refused(void)
{
	const gchar *bad[] = {"NODEBUG", "", "ES,", "NODBG;NOKS"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		SlLaunchRequirements req = {0};
		g_assert_false(sl_launch_requirements_set_required_policy(&req, bad[i], &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	}
}

static void
test_requirements_merge(void)
{
	SlLaunchRequirements a = {
	    .has_min_api = TRUE, .min_api_major = 1, .min_api_minor = 40, .required_policy = 1};
	SlLaunchRequirements b = {.has_min_api = TRUE,
				  .min_api_major = 1,
				  .min_api_minor = 49,
				  .has_min_build_id = TRUE,
				  .min_build_id = 3,
				  .required_policy = 4};
	g_auto(GStrv) names = NULL;

	sl_launch_requirements_merge(&a, &b);
	g_assert_cmpuint(a.min_api_minor, ==, 49);
	g_assert_true(a.has_min_build_id);
	g_assert_cmpuint(a.min_build_id, ==, 3);
	g_assert_cmphex(a.required_policy, ==, 5);
	/* the looser one never wins */
	b.min_api_minor = 10;
	sl_launch_requirements_merge(&a, &b);
	g_assert_cmpuint(a.min_api_minor, ==, 49);
	names = sl_launch_policy_to_names(a.required_policy);
	g_assert_cmpuint(g_strv_length(names), ==, 2);
	g_assert_cmpstr(names[0], ==, "NODBG");
	g_assert_cmpstr(names[1], ==, "ES");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/launch-requirements/none", test_requirements_none);
	g_test_add_func("/launch-requirements/min-api", test_requirements_min_api);
	g_test_add_func("/launch-requirements/min-api-refused", test_requirements_min_api_refused);
	g_test_add_func("/launch-requirements/min-build", test_requirements_min_build);
	g_test_add_func("/launch-requirements/policy", test_requirements_policy);
	g_test_add_func("/launch-requirements/policy-refused", test_requirements_policy_refused);
	g_test_add_func("/launch-requirements/merge", test_requirements_merge);
	return g_test_run();
}
