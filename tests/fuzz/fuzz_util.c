/* fuzz_util.c: the helpers of fuzz.h. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

static int file_fd = -1;
static char file_path[64];

/* One file for the whole run, made on first use. A memory file needs no
 * clean-up and costs no disk; the temporary file is unlinked at exit. */
static char tmp_path[4096];

static void remove_tmp(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
}

static void file_init(void)
{
	file_fd = memfd_create("pw-fuzz-input", MFD_CLOEXEC);
	if (file_fd >= 0) {
		snprintf(file_path, sizeof(file_path), "/proc/self/fd/%d", file_fd);
		/* /proc may be missing in a container: then the name would not open. */
		if (access(file_path, R_OK) == 0)
			return;
		close(file_fd);
	}
	{
		const char *dir = getenv("TMPDIR");

		snprintf(tmp_path, sizeof(tmp_path), "%s/pw-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
		file_fd = mkstemp(tmp_path);
		if (file_fd < 0) {
			fprintf(stderr, "fuzz: cannot make a temporary file in %s: %s\n", dir ? dir : "/tmp",
				strerror(errno));
			abort();
		}
		atexit(remove_tmp);
		snprintf(file_path, sizeof(file_path), "%.63s", tmp_path);
		if (strlen(tmp_path) >= sizeof(file_path)) {
			fprintf(stderr, "fuzz: TMPDIR is too long a path\n");
			abort();
		}
	}
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (file_fd < 0)
		file_init();
	if (ftruncate(file_fd, 0) != 0) {
		fprintf(stderr, "fuzz: cannot empty the input file: %s\n", strerror(errno));
		abort();
	}
	while (done < size) {
		ssize_t n = pwrite(file_fd, data + done, size - done, (off_t)done);

		if (n <= 0) {
			fprintf(stderr, "fuzz: cannot write the input file: %s\n", strerror(errno));
			abort();
		}
		done += (size_t)n;
	}
	return file_path;
}

uint64_t fuzz_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

size_t fuzz_str(const char *s, size_t max, const char *what)
{
	size_t n = 0;

	FUZZ_CHECK(s != NULL, "%s is NULL", what);
	while (n < max && s[n])
		n++;
	FUZZ_CHECK(n < max, "%s is not NUL-terminated within %zu bytes", what, max);
	return n;
}

static const int linktypes[16] = {
	1, 1, 1,     /* Ethernet, the one the model walks, three times as likely */
	113, 276,    /* Linux cooked v1, v2 */
	101, 12, 14, /* raw IP: LINKTYPE_RAW and the DLT values Linux and OpenBSD give it */
	228, 229,    /* raw IPv4, raw IPv6 */
	0, 108,      /* BSD loopback, host and network byte order */
	123, 204,    /* not read, with a pseudo-header (SunATM, PPP with direction) */
	127, -1,     /* not read: 802.11 radiotap, and a value no table has */
};

int fuzz_linktype(uint8_t b)
{
	return linktypes[b % 16];
}

int fuzz_linktype_byte(int linktype)
{
	for (int i = 0; i < 16; i++)
		if (linktypes[i] == linktype)
			return i;
	return -1;
}
