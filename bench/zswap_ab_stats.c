// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-ab's statistics: the mean and sample standard deviation of each
 * metric over a configuration's repetitions, the % change of a variant's
 * mean against the baseline's, and Welch's unequal-variances t-test of
 * that difference (docs/benchmarks.md, "Significance"):
 *
 *	t = (m_b - m_a) / sqrt(s_a^2 / n_a + s_b^2 / n_b)
 *	df = (s_a^2/n_a + s_b^2/n_b)^2 /
 *	     ((s_a^2/n_a)^2 / (n_a - 1) + (s_b^2/n_b)^2 / (n_b - 1))
 *	p = I_{df / (df + t^2)}(df / 2, 1 / 2)	(two-sided)
 *
 * with I the regularised incomplete beta function, evaluated by its
 * continued fraction (modified Lentz's method).
 */
#include <math.h>

#include "zswap_ab.h"

void ab_summarise(struct ab_run *run)
{
	unsigned int m, i, n = run->nr_reps;

	for (m = 0; m < NR_METRICS; m++) {
		double sum = 0, sq = 0;

		for (i = 0; i < n; i++)
			sum += run->rep[i].m[m];
		run->mean[m] = n ? sum / n : 0;
		for (i = 0; i < n; i++)
			sq += (run->rep[i].m[m] - run->mean[m]) * (run->rep[i].m[m] - run->mean[m]);
		run->sd[m] = n > 1 ? sqrt(sq / (n - 1)) : 0;
	}
}

double ab_change(const struct ab_run *a, const struct ab_run *b, enum ab_metric m)
{
	if (a->mean[m] == 0)
		return b->mean[m] == 0 ? 0 : NAN;
	return (b->mean[m] - a->mean[m]) / fabs(a->mean[m]) * 100;
}

/* Continued fraction of the incomplete beta function. */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-12;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;
	int m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 300; m++) {
		double m2 = 2 * m, aa, del;

		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

/* I_x(a, b). */
static double beta_inc(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/*
 * Two-sided p-value of Welch's t-test between the repetitions of @a and
 * @b for metric @m: NAN with fewer than two repetitions on either side;
 * 1 when both sides are constant and equal, 0 when constant and not.
 */
double ab_welch_p(const struct ab_run *a, const struct ab_run *b, enum ab_metric m)
{
	double na = a->nr_reps, nb = b->nr_reps, va, vb, t, df;

	if (na < 2 || nb < 2)
		return NAN;
	va = a->sd[m] * a->sd[m] / na;
	vb = b->sd[m] * b->sd[m] / nb;
	if (va + vb == 0)
		return a->mean[m] == b->mean[m] ? 1 : 0;
	t = (b->mean[m] - a->mean[m]) / sqrt(va + vb);
	df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
	return beta_inc(df / 2, 0.5, df / (df + t * t));
}
