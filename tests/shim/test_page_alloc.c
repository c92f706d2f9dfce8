// SPDX-License-Identifier: GPL-2.0-only
#include "zsim_test.h"

int main(void)
{
	return 0;
}
