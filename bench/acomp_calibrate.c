// SPDX-License-Identifier: GPL-2.0-only
/*
 * acomp-calibrate: measure the software compressors on this machine and
 * write the cost table of the modelled timing mode (src/acomp/cost_table.c)
 * in its source format.
 *
 *	build/bench/acomp-calibrate [--output FILE] [--reps N]
 *
 * For every driver it compresses and decompresses inputs of 512 to 4096
 * bytes of four kinds (zero, text, mixed, random), timing each call
 * through the acomp API with the host clock (median of --reps calls,
 * default 15) in a free-running machine, and fits
 *	ns = fixed + in_ps * in_bytes / 1000 + out_ps * out_bytes / 1000
 * by least squares (coefficients clamped at 0). It prints the fit's
 * samples and residuals on stderr and the table on stdout (or FILE).
 */
#include <crypto/acompress.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zswapsim.h>
#include "bench.h"

static const char *const drivers[] = {
	"lz4-generic", "lz4hc-generic", "zstd-generic", "deflate-generic" };
static const unsigned int sizes[] = { 512, 1024, 2048, 3072, 4096 };
#define NR_KINDS	4
#define MAX_SAMPLES	(ARRAY_SIZE(sizes) * NR_KINDS)
#define MAX_REPS	101

static unsigned int reps = 15;

struct sample {
	double in, out, ns;
};

struct fit {
	double fixed, in, out;		/* ns, ns/byte, ns/byte */
};

struct cal {
	struct fit comp[ARRAY_SIZE(drivers)], decomp[ARRAY_SIZE(drivers)];
	int err;
};

static void fill(u8 *p, unsigned int len, int kind, unsigned int seed)
{
	unsigned int x = seed * 2654435761u + 7, i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		switch (kind) {
		case 0:
			p[i] = 0;
			break;
		case 1:		/* text: a small alphabet in words */
			p[i] = (x % 7) ? "etaoinshrdlu"[x % 12] : ' ';
			break;
		case 2:		/* mixed: runs and noise */
			p[i] = (i / 64) % 2 ? (u8)x : (u8)(i / 64);
			break;
		default:
			p[i] = x;
		}
	}
}

static double median_of(double *v, unsigned int n)
{
	return bench_median(v, n);
}

/* Solve the 3x3 normal equations of ns ~ a + b*in + c*out. */
static struct fit least_squares(const struct sample *s, unsigned int n)
{
	double m[3][4] = { { 0 } };
	struct fit f;
	int i, j, k;

	for (k = 0; k < (int)n; k++) {
		double x[3] = { 1, s[k].in, s[k].out };

		for (i = 0; i < 3; i++) {
			for (j = 0; j < 3; j++)
				m[i][j] += x[i] * x[j];
			m[i][3] += x[i] * s[k].ns;
		}
	}
	for (i = 0; i < 3; i++) {
		int p = i;

		for (j = i + 1; j < 3; j++)
			if (fabs(m[j][i]) > fabs(m[p][i]))
				p = j;
		for (k = 0; k < 4; k++) {
			double t = m[i][k];

			m[i][k] = m[p][k];
			m[p][k] = t;
		}
		if (fabs(m[i][i]) < 1e-12)
			continue;
		for (j = 0; j < 3; j++) {
			double r;

			if (j == i)
				continue;
			r = m[j][i] / m[i][i];
			for (k = i; k < 4; k++)
				m[j][k] -= r * m[i][k];
		}
	}
	f.fixed = fabs(m[0][0]) > 1e-12 ? m[0][3] / m[0][0] : 0;
	f.in = fabs(m[1][1]) > 1e-12 ? m[1][3] / m[1][1] : 0;
	f.out = fabs(m[2][2]) > 1e-12 ? m[2][3] / m[2][2] : 0;
	if (f.fixed < 0)
		f.fixed = 0;
	if (f.in < 0)
		f.in = 0;
	if (f.out < 0)
		f.out = 0;
	return f;
}

static void report(const char *drv, const char *dir, const struct fit *f,
		   const struct sample *s, unsigned int n)
{
	double worst = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		double model = f->fixed + f->in * s[i].in + f->out * s[i].out;
		double rel = s[i].ns > 0 ? fabs(model - s[i].ns) / s[i].ns : 0;

		if (rel > worst)
			worst = rel;
	}
	fprintf(stderr, "%-16s %-10s fixed %7.0f ns  in %7.3f ns/B  out %7.3f ns/B  worst residual %3.0f%%\n",
		drv, dir, f->fixed, f->in, f->out, worst * 100);
}

static int time_op(struct crypto_acomp *tfm, struct acomp_req *req, bool comp,
		   u8 *src, unsigned int slen, u8 *dst, unsigned int dlen,
		   double *ns, unsigned int *out)
{
	double t[MAX_REPS];
	struct scatterlist in, o;
	unsigned int r;
	int ret;

	for (r = 0; r < reps + 2; r++) {
		uint64_t t0;

		sg_init_one(&in, src, slen);
		sg_init_one(&o, dst, dlen);
		acomp_request_set_params(req, &in, &o, slen, dlen);
		t0 = bench_now_ns();
		ret = comp ? crypto_acomp_compress(req) : crypto_acomp_decompress(req);
		if (r >= 2)	/* two warm-up calls */
			t[r - 2] = bench_now_ns() - t0;
		if (ret)
			return ret;
	}
	*ns = median_of(t, reps);
	*out = req->dlen;
	return 0;
}

static int calibrate_task(void *arg)
{
	struct cal *cal = arg;
	u8 *src = kmalloc(4096, GFP_KERNEL), *comp = kmalloc(8192, GFP_KERNEL);
	u8 *back = kmalloc(4096, GFP_KERNEL);
	struct sample cs[MAX_SAMPLES], ds[MAX_SAMPLES];
	unsigned int d, z, k, n;

	cal->err = -ENOMEM;
	if (!src || !comp || !back)
		goto out;
	for (d = 0; d < ARRAY_SIZE(drivers); d++) {
		struct crypto_acomp *tfm = crypto_alloc_acomp(drivers[d], 0, 0);
		struct acomp_req *req;

		if (IS_ERR(tfm)) {
			cal->err = PTR_ERR(tfm);
			goto out;
		}
		req = acomp_request_alloc(tfm);
		if (!req) {
			crypto_free_acomp(tfm);
			goto out;
		}
		n = 0;
		for (z = 0; z < ARRAY_SIZE(sizes); z++) {
			for (k = 0; k < NR_KINDS; k++, n++) {
				unsigned int clen, blen;

				fill(src, sizes[z], k, z);
				cal->err = time_op(tfm, req, true, src, sizes[z], comp, 8192,
						   &cs[n].ns, &clen);
				if (!cal->err)
					cal->err = time_op(tfm, req, false, comp, clen, back,
							   4096, &ds[n].ns, &blen);
				if (cal->err) {
					acomp_request_free(req);
					crypto_free_acomp(tfm);
					goto out;
				}
				cs[n].in = sizes[z];
				cs[n].out = clen;
				ds[n].in = clen;
				ds[n].out = blen;
			}
		}
		cal->comp[d] = least_squares(cs, n);
		cal->decomp[d] = least_squares(ds, n);
		report(drivers[d], "compress", &cal->comp[d], cs, n);
		report(drivers[d], "decompress", &cal->decomp[d], ds, n);
		acomp_request_free(req);
		crypto_free_acomp(tfm);
	}
	cal->err = 0;
out:
	kfree(src);
	kfree(comp);
	kfree(back);
	return cal->err;
}

static void write_table(FILE *f, const struct cal *cal)
{
	unsigned int d;

	fprintf(f, "// SPDX-License-Identifier: GPL-2.0-only\n"
		"/*\n"
		" * CPU cost of the software compressors for the modelled timing mode\n"
		" * (cost.h): { fixed ns, ps per input byte, ps per output byte } for\n"
		" * compress, then decompress. Written by bench/acomp-calibrate; rerun it\n"
		" * to recalibrate:\n"
		" *\tbuild/bench/acomp-calibrate --output src/acomp/cost_table.c\n"
		" */\n"
		"#include <linux/kernel.h>\n"
		"#include \"cost.h\"\n\n"
		"const struct acomp_cost acomp_cost_table[] = {\n");
	for (d = 0; d < ARRAY_SIZE(drivers); d++) {
		const struct fit *c = &cal->comp[d], *x = &cal->decomp[d];

		fprintf(f, "\t{ \"%s\", { %.0f, %.0f, %.0f }, { %.0f, %.0f, %.0f } },\n",
			drivers[d], c->fixed, c->in * 1000, c->out * 1000,
			x->fixed, x->in * 1000, x->out * 1000);
	}
	fprintf(f, "};\n\n"
		"const unsigned int acomp_cost_table_len = ARRAY_SIZE(acomp_cost_table);\n");
}

int main(int argc, char **argv)
{
	const char *output = NULL;
	struct zsim_config cfg;
	struct cal cal;
	FILE *f = stdout;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--output") && i + 1 < argc) {
			output = argv[++i];
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = strtoul(argv[++i], NULL, 0);
			if (reps < 1 || reps > MAX_REPS) {
				fprintf(stderr, "--reps: 1..%d\n", MAX_REPS);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: %s [--output FILE] [--reps N]\n", argv[0]);
			return 2;
		}
	}
	zsim_config_init(&cfg);
	cfg.nr_cpus = 1;
	cfg.backend = ZSIM_FREE_RUNNING;
	cfg.migrate_permille = 0;
	cfg.timing = ZSIM_TIMING_MEASURED;
	if (zsim_machine_start(&cfg))
		return 1;
	ret = zsim_run(0, calibrate_task, &cal);
	zsim_machine_stop();
	if (ret) {
		fprintf(stderr, "acomp-calibrate: failed: %d\n", ret);
		return 1;
	}
	if (output) {
		f = fopen(output, "w");
		if (!f) {
			perror(output);
			return 1;
		}
	}
	write_table(f, &cal);
	if (output && fclose(f)) {
		perror(output);
		return 1;
	}
	return 0;
}
