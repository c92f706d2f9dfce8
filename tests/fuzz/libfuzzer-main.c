// SPDX-License-Identifier: GPL-2.0-only
/*
 * A main() for the libFuzzer target when the compiler has no libFuzzer
 * (gcc): like LLVM's StandaloneFuzzTargetMain.c, it runs
 * LLVMFuzzerTestOneInput() once on the contents of each file named on the
 * command line, to replay a corpus or a crashing input. A failing input
 * aborts (as under libFuzzer); otherwise the exit status is 0, or 2 if a
 * file cannot be read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? 2 * cap : 4096;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	fprintf(stderr, "race-fuzz-standalone: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	for (i = 1; i < argc; i++)
		if (run_file(argv[i]))
			ret = 2;
	return ret;
}
