// SPDX-License-Identifier: GPL-2.0-only
/*
 * A main() for the libFuzzer target when the compiler has no libFuzzer
 * (gcc): like LLVM's StandaloneFuzzTargetMain.c, it runs
 * LLVMFuzzerTestOneInput() once on the contents of each file named on the
 * command line, to replay a corpus or a crashing input; a directory
 * stands for the regular files in it (not its subdirectories), in name
 * order, as a corpus directory does for libFuzzer. A failing input aborts
 * (as under libFuzzer); otherwise the exit status is 0, or 2 with no
 * arguments, a file that cannot be read or a directory without files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *prog = "race-fuzz-standalone";

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		int err = errno;

		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(err));
		return -err;
	}
	do {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? 2 * cap : 4096;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				fprintf(stderr, "%s: %s: out of memory\n", prog, path);
				return -ENOMEM;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", prog, path);
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	fprintf(stderr, "%s: %s (%zu bytes)\n", prog, path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* Every regular file of @dir, in name order. */
static int run_dir(const char *dir)
{
	struct dirent **ents;
	int i, n, files = 0, ret = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		int err = errno;

		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(err));
		return -err;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		char *path;

		if (asprintf(&path, "%s/%s", dir, ents[i]->d_name) < 0) {
			fprintf(stderr, "%s: %s: out of memory\n", prog, dir);
			ret = -ENOMEM;
		} else {
			if (!stat(path, &st) && S_ISREG(st.st_mode)) {
				files++;
				if (run_file(path))
					ret = -EIO;
			}
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	if (!files && !ret) {
		fprintf(stderr, "%s: %s: no files in the directory\n", prog, dir);
		ret = -ENOENT;
	}
	return ret;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr,
			"usage: %s FILE|DIR...\n"
			"runs the race-fuzz libFuzzer target once on each FILE and on each regular file\n"
			"of each DIR (not its subdirectories), in name order (docs/fuzzing.md)\n",
			prog);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;
		int err;

		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			err = run_dir(argv[i]);
		else
			err = run_file(argv[i]);
		if (err)
			ret = 2;
	}
	return ret;
}
