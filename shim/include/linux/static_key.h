/* SPDX-License-Identifier: GPL-2.0-only */
/* <linux/static_key.h>: the static keys of <linux/jump_label.h>. */
#ifndef _SHIM_LINUX_STATIC_KEY_H
#define _SHIM_LINUX_STATIC_KEY_H

#include <linux/jump_label.h>

#endif /* _SHIM_LINUX_STATIC_KEY_H */
