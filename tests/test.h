/* test.h: the project's tiny test helper.
 *
 * CHECK(cond, fmt, ...) records a failure with file, line, the condition and
 * a message naming what was expected and what was got, and goes on.
 * TEST_MAIN ends with "N passed, N failed" and exits non-zero on failure.
 * TEST_SKIP(why) prints "skipped: why" and exits 77, CTest's skip code
 * (set SKIP_RETURN_CODE 77 on the test).
 */
#ifndef PW_TEST_H
#define PW_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int test_passed, test_failed;

#define CHECK(cond, ...)                                                                   \
	do {                                                                                   \
		if (cond) {                                                                        \
			test_passed++;                                                                 \
		} else {                                                                           \
			test_failed++;                                                                 \
			fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                                  \
			fputc('\n', stderr);                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_EQ_INT(got, want)                                                            \
	CHECK((long long)(got) == (long long)(want), "%s: expected %lld, got %lld", #got,      \
	      (long long)(want), (long long)(got))

#define TEST_SKIP(why)                                                                     \
	do {                                                                                   \
		printf("skipped: %s\n", why);                                                      \
		exit(77);                                                                          \
	} while (0)

static inline int test_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
