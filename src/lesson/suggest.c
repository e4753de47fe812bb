/* suggest.c: "did you mean" for names a lesson misspells, by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours, each
 * one edit: "ip_rvc" is one edit from "ip_rcv"). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson_priv.h"

/* Names longer than this are never suggested (nothing the kernel names is
 * that long), which keeps the table on the stack. */
#define MAXLEN 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance, case ignored. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[MAXLEN + 1][MAXLEN + 1];

	if (la > MAXLEN || lb > MAXLEN)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

const char *lesson_suggest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word), limit = len / 3, best_d = (size_t)-1;
	const char *best = NULL;

	/* One letter or two: any name is a couple of edits away, so only a
	 * difference of case is a likely typo. */
	if (len < 3)
		limit = 0;
	else if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (!names[i])
			continue;
		d = distance(word, names[i]);
		/* Ties go to the first name listed: tables list the common names first. */
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	/* Distance 0 is a name spelt in the wrong case: suggest it too. */
	return best && best_d <= limit ? best : NULL;
}

const char *lesson_did_you_mean(char *buf, size_t len, const char *word, const char *const *names, size_t n)
{
	const char *s = lesson_suggest(word, names, n);

	if (s)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else if (len)
		buf[0] = '\0';
	return buf;
}

int lesson_name_index(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}
