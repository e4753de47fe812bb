/* course.c: the course, every lesson file of a directory, in the order of
 * their names (lessons are named NN-slug.json so that this is the order
 * in which they are taught). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lesson/lesson_priv.h"

#ifndef PW_LESSONS_DIR
#define PW_LESSONS_DIR "lessons"
#endif

struct pw_course {
	struct pw_lesson **lessons;
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_lesson_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

struct pw_course *pw_course_open(const char *dir, char *err, size_t errlen)
{
	struct pw_course *c = calloc(1, sizeof(*c));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dh;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dh = opendir(dir);
	if (!dh) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(c);
		return NULL;
	}
	while ((d = readdir(dh)) != NULL) {
		char path[4096];
		struct stat st;

		if (!is_lesson_name(d->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) >= sizeof(path) || stat(path, &st) ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*v));

			if (!v)
				goto oom;
			names = v;
		}
		if (!(names[n] = strdup(path)))
			goto oom;
		n++;
	}
	closedir(dh);
	dh = NULL;
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	c->lessons = calloc(n ? n : 1, sizeof(*c->lessons));
	if (!c->lessons)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (!(c->lessons[i] = pw_lesson_load(names[i])))
			goto oom;
		c->n++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return c;
oom:
	if (dh)
		closedir(dh);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	pw_course_close(c);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void pw_course_close(struct pw_course *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		pw_lesson_free(c->lessons[i]);
	free(c->lessons);
	free(c);
}

size_t pw_course_count(const struct pw_course *c) { return c->n; }

struct pw_lesson *pw_course_lesson(const struct pw_course *c, size_t i)
{
	return i < c->n ? c->lessons[i] : NULL;
}

const char *pw_lesson_default_dir(void)
{
	struct stat st;

	if (!stat("lessons", &st) && S_ISDIR(st.st_mode))
		return "lessons";
	return PW_LESSONS_DIR;
}
