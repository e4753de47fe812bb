/* fuzz.h: what the fuzz harnesses share.
 *
 * Each harness (fuzz_capture.c, fuzz_dissect.c, fuzz_replay.c,
 * fuzz_lesson.c) defines LLVMFuzzerTestOneInput and nothing else global.
 * Linked with clang's -fsanitize=fuzzer it is a libFuzzer target; linked
 * with standalone.c it is a program that runs the harness once on every
 * file it is given, which is how the regression inputs run in the normal
 * test suite, with gcc as with clang.
 *
 * A harness says what it found only by crashing: a sanitizer report, or
 * FUZZ_CHECK, which prints what was wrong and aborts. A harness never
 * fails on an input the code under test rightly refuses.
 */
#ifndef PW_FUZZ_H
#define PW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: run once before the first input (libFuzzer's convention). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Always on, whatever NDEBUG says: a broken promise of the code under
 * test, with the message saying which. */
#define FUZZ_CHECK(cond, ...)                                                                     \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                             \
			fputc('\n', stderr);                                                      \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/*
 * fuzz_file - the input as a file the code under test can open by name
 * @data: the bytes
 * @size: how many
 *
 * Returns a path ("/proc/self/fd/N" of a memory file, or a temporary file
 * when memfd_create is missing) holding exactly the bytes, valid until
 * the next call. The same file is rewritten each time: no disk traffic,
 * nothing left behind. Aborts if the file cannot be written (that is the
 * harness's failure, not the input's).
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A 64-bit FNV-1a hash, to remember a frame's bytes without keeping them. */
uint64_t fuzz_hash(uint64_t h, const void *p, size_t n);
#define FUZZ_HASH_INIT 0xcbf29ce484222325ull

/* The string is readable to its NUL within max bytes (ASan checks each
 * byte read); returns its length. Aborts on NULL. */
size_t fuzz_str(const char *s, size_t max, const char *what);

/*
 * fuzz_dissect's input starts with a byte that picks the link type: the
 * ones pw_dissect reads (PW_LINKTYPE_*, the DLT values 12 and 14, IPv6)
 * and a few it does not (with and without a capture pseudo-header, an
 * unknown and a negative value). fuzz_linktype maps any byte to one;
 * fuzz_linktype_byte is the byte for a link type, or -1 if none maps to
 * it (the seed maker writes seeds with it).
 */
int fuzz_linktype(uint8_t b);
int fuzz_linktype_byte(int linktype);

#endif
